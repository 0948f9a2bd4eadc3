// The enrichment cache: the facts of the persons seen live (the hot set: those seen in the last ten
// minutes of event time, at most `capacity` uids), found by platform uid with no database read after
// a person's first sighting; someone idle longer is read again when next seen, so that the hundreds
// of thousands who pass through a long show are not all held. An unknown platform user becomes a
// provisional person at once, with an id from a block reserved in the store (so the id never changes
// and an import running meanwhile cannot take it); provisional persons, the orders seen live and the
// live tags earned are written in one transaction per flush. After imports, syncs, merges and
// erasures the cache is cleared so the next sighting reads the person again.
import type { EventOf, LiveEvent } from '../events/live-event';
import { EvictionOrder } from '../shared/eviction-order';
import type { Db } from '../storage/db';
import { platformUidTypes } from './identity';
import { reservePersonIds } from './person-ids';
import type { PersonFacts } from './person';
import type { Purchase } from './records';
import { builtinSegments, segmentMask, type Segment } from './segments';
import { computeTraits } from './traits';

export const LIVE_SOURCE = 'live';
const DEFAULT_CAPACITY = 200_000;
/** A uid not seen for this long (event time) leaves the cache. */
const IDLE_MS = 10 * 60_000;
/** How stale a cached uid's place in the eviction order may get before a sighting moves it to the back. */
const REFRESH_MS = 60_000;
/** Person ids reserved at a time for provisional persons. */
const ID_BLOCK = 1_000;

interface Known {
  /** Order lines, for recomputing traits when an order arrives. */
  lines: Purchase[];
  crm: { orders?: number; ltvFen?: number };
}

/** A cached uid: its person, and when it was (re)placed at the back of the eviction order. */
interface Cached {
  facts: PersonFacts;
  at: number;
}

/**
 * A uid's place in the eviction order, made each time it is (re)placed at the back. It is stale once
 * the uid was placed again later (its entry's `at` moved on) or forgotten (its map no longer holds
 * that entry).
 */
interface Place {
  uids: Map<string, Cached>;
  uid: string;
  cached: Cached;
  at: number;
}

interface PendingPerson {
  facts: PersonFacts;
  type: string;
  uid: string;
  name: string;
  ts: number;
}

/** The identity type of a platform's user ids, when the profile store has one. */
export function uidTypeOf(platform: string): string | undefined {
  const type = `${platform}_uid`;
  return (platformUidTypes as readonly string[]).includes(type) ? type : undefined;
}

export class ProfileCache {
  /** Per platform: uid → facts. */
  private readonly byUid = new Map<string, Map<string, Cached>>();
  /**
   * Every cached uid in the order last (re)placed: the idle are at the front and forgotten first. (With
   * the maps' own order, a new viewer at capacity took 86 µs instead of 8 once 600,000 had passed a
   * 200,000-uid cache: see shared/eviction-order.ts.)
   */
  private readonly order = new EvictionOrder<Place>((place) => place.cached.at === place.at && place.uids.get(place.uid) === place.cached);
  private cached = 0;
  /** The latest event time seen. */
  private clock = 0;
  /** The same facts by person id, so that a person's second uid finds them. */
  private readonly byPerson = new Map<number, PersonFacts>();
  private readonly known = new WeakMap<PersonFacts, Known>();
  private persons: PendingPerson[] = [];
  private orders: { facts: PersonFacts; line: Purchase }[] = [];
  /** Stored persons seen again: their seen_at moves (retention keys on it). */
  private seen: { personId: number; ts: number }[] = [];
  private tags: { personId: number; tag: string; expiresAt: number }[] = [];
  private untags: { personId: number; tag: string }[] = [];
  private ids = { next: 1, last: 0 };
  /** The segments whose membership each person's mask records (bit i: segments[i]). */
  private segments: readonly Segment[] = builtinSegments;
  /** While held (an import runs), flushes wait: the import must be the only writer of identities. */
  private held = false;
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {
    this.q = {
      identity: db.prepare<[string, string], number>('SELECT person_id FROM identities WHERE type = ? AND value = ?').pluck(),
      person: db.prepare<[number], { traits: string }>('SELECT traits FROM persons WHERE id = ?'),
      types: db.prepare<[number], string>('SELECT type FROM identities WHERE person_id = ?').pluck(),
      tags: db.prepare<[number, number], string>(
        'SELECT DISTINCT tag FROM tags WHERE person_id = ? AND (expires_at IS NULL OR expires_at > ?)',
      ).pluck(),
      lines: db.prepare<[number], { orderId: string; productId: string; amountFen: number; paidAt: number; coupon: number }>(
        'SELECT order_id AS orderId, product_id AS productId, amount_fen AS amountFen, paid_at AS paidAt, coupon FROM person_orders WHERE person_id = ?',
      ),
      /** What the person allowed, in one read: no marketing (suppressed, or consent not granted), no profiling. */
      refusals: db.prepare<{ id: number }, { suppressed: number; profilingRefused: number }>(
        `SELECT EXISTS (SELECT 1 FROM suppressions WHERE person_id = @id)
             OR EXISTS (SELECT 1 FROM consent WHERE person_id = @id AND purpose = 'marketing' AND status != 'granted') AS suppressed,
           EXISTS (SELECT 1 FROM consent WHERE person_id = @id AND purpose = 'profiling' AND status != 'granted') AS profilingRefused`,
      ),
      insertPerson: db.prepare<[{ id: number; ts: number; name: string | null }]>(
        'INSERT INTO persons (id, created_at, updated_at, seen_at, display_name) VALUES (@id, @ts, @ts, @ts, @name)',
      ),
      seen: db.prepare<[number, number]>('UPDATE persons SET seen_at = max(coalesce(seen_at, 0), ?) WHERE id = ?'),
      insertIdentity: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO identities (type, value, person_id) VALUES (?, ?, ?)'),
      deletePerson: db.prepare<[number]>('DELETE FROM persons WHERE id = ?'),
      // Both guarded: a person erased or deleted by retention while their writes waited is skipped.
      insertOrder: db.prepare(
        `INSERT OR IGNORE INTO person_orders (order_id, person_id, product_id, amount_fen, paid_at, coupon, source)
         SELECT @orderId, @personId, @productId, @amountFen, @paidAt, @coupon, '${LIVE_SOURCE}'
         WHERE EXISTS (SELECT 1 FROM persons WHERE id = @personId)`,
      ),
      upsertTag: db.prepare(
        `INSERT INTO tags (person_id, tag, source, expires_at)
         SELECT @personId, @tag, '${LIVE_SOURCE}', @expiresAt WHERE EXISTS (SELECT 1 FROM persons WHERE id = @personId)
         ON CONFLICT (person_id, tag, source) DO UPDATE SET expires_at = excluded.expires_at`,
      ),
      deleteTag: db.prepare(`DELETE FROM tags WHERE person_id = ? AND tag = ? AND source = '${LIVE_SOURCE}'`),
    };
  }

  /** The person behind an event's user; undefined for events without one, masked users, or platforms without uids. */
  identify(e: LiveEvent): PersonFacts | undefined {
    const user = e.user;
    if (!user || user.masked) return undefined;
    const uids = this.byUid.get(e.platform) ?? this.platformMap(e.platform);
    if (!uids) return undefined;
    if (e.ts > this.clock) this.clock = e.ts;
    const cached = uids.get(user.id);
    if (cached) {
      if (e.ts - cached.at >= REFRESH_MS) this.place(uids, user.id, cached, e.ts);
      return cached.facts;
    }
    const type = `${e.platform}_uid`;
    const facts = this.load(type, user.id, e.ts) ?? this.provisional(type, user.id, user.name, e.platform, e.recvTs);
    this.remember(uids, user.id, facts, e.ts);
    return facts;
  }

  /** An order the person paid for live: their traits and purchases change now, the line is written at the next flush. */
  recordOrder(facts: PersonFacts, e: EventOf<'order_paid'>): void {
    const known = this.known.get(facts);
    if (!known || known.lines.some((l) => l.orderId === e.orderId)) return;
    const line: Purchase = { orderId: e.orderId, productId: e.productId, amountFen: e.amountFen, paidAt: e.ts, coupon: e.couponId !== undefined };
    known.lines.push(line);
    facts.traits = computeTraits(known.lines, known.crm, e.ts);
    facts.bought.add(e.productId);
    facts.segments = segmentMask(facts, this.segments, e.ts);
    this.orders.push({ facts, line });
  }

  /** Gives a person a live tag (expiring at `expiresAt`); written at the next flush. */
  tag(personId: number, tag: string, at: number, expiresAt: number): void {
    const facts = this.byPerson.get(personId);
    if (facts) {
      facts.tags.add(tag);
      facts.segments = segmentMask(facts, this.segments, at);
    }
    this.tags.push({ personId, tag, expiresAt });
  }

  untag(personId: number, tag: string, at: number): void {
    const facts = this.byPerson.get(personId);
    if (facts) {
      facts.tags.delete(tag);
      facts.segments = segmentMask(facts, this.segments, at);
    }
    this.untags.push({ personId, tag });
  }

  /** Sets the segments masks record; cached persons are read again so their masks follow. */
  setSegments(segments: readonly Segment[]): void {
    this.segments = segments;
    this.invalidate();
  }

  hold(held: boolean): void {
    this.held = held;
  }

  /** Writes the provisional persons, live orders and live tags gathered since the last flush, then forgets the idle (not while held). */
  flush(): void {
    if (this.held) return;
    if (this.persons.length + this.seen.length + this.orders.length + this.tags.length + this.untags.length > 0) this.write();
    this.evictIdle();
  }

  private write(): void {
    const { persons, seen, orders, tags, untags } = this;
    this.persons = [];
    this.seen = [];
    this.orders = [];
    this.tags = [];
    this.untags = [];
    this.db.transaction(() => {
      // A uid an import or sync linked meanwhile belongs to that person: their writes go there.
      const linked = new Map<number, number>();
      for (const p of persons) this.insertProvisional(p, linked);
      const idOf = (id: number) => linked.get(id) ?? id;
      for (const p of seen) this.q.seen.run(p.ts, p.personId);
      for (const { facts, line } of orders) this.q.insertOrder.run({ ...line, personId: idOf(facts.id), coupon: line.coupon ? 1 : 0 });
      for (const t of tags) this.q.upsertTag.run({ personId: idOf(t.personId), tag: t.tag, expiresAt: t.expiresAt });
      for (const t of untags) this.q.deleteTag.run(idOf(t.personId), t.tag);
    })();
  }

  /** Flushes, then forgets every cached person: the store changed underneath (import, sync, merge, erasure). */
  invalidate(): void {
    this.flush();
    this.byUid.clear();
    this.byPerson.clear();
    this.order.clear();
    this.cached = 0;
  }

  /** Platform uids cached. */
  get size(): number {
    return this.cached;
  }

  /** The uid map of a platform the store has a uid type for, created on first use. */
  private platformMap(platform: string): Map<string, Cached> | undefined {
    if (!uidTypeOf(platform)) return undefined;
    const uids = new Map<string, Cached>();
    this.byUid.set(platform, uids);
    return uids;
  }

  private remember(uids: Map<string, Cached>, uid: string, facts: PersonFacts, ts: number): void {
    if (this.cached >= this.capacity) this.forget(this.order.shift()!);
    const cached = { facts, at: ts };
    uids.set(uid, cached);
    this.cached++;
    this.byPerson.set(facts.id, facts);
    this.place(uids, uid, cached, ts);
  }

  /** Puts a cached uid at the back of the eviction order (its older place goes stale). */
  private place(uids: Map<string, Cached>, uid: string, cached: Cached, at: number): void {
    cached.at = at;
    this.order.push({ uids, uid, cached, at }, this.cached);
  }

  /** Forgets the uids idle for IDLE_MS (after a flush: a provisional person must be written before it is forgotten). */
  private evictIdle(): void {
    const idleBefore = this.clock - IDLE_MS;
    while ((this.order.oldest()?.at ?? Infinity) < idleBefore) this.forget(this.order.shift()!);
  }

  /** Forgets the uid of a place taken out of the order. */
  private forget(place: Place): void {
    place.uids.delete(place.uid);
    this.cached--;
    const { facts } = place.cached;
    if (this.byPerson.get(facts.id) === facts) this.byPerson.delete(facts.id);
  }

  private load(type: string, uid: string, now: number): PersonFacts | undefined {
    const id = this.q.identity.get(type, uid);
    if (id === undefined) return undefined;
    const shared = this.byPerson.get(id);
    if (shared) return shared;
    const traits = JSON.parse(this.q.person.get(id)?.traits ?? '{}') as { level?: number; orders?: number; ltvFen?: number };
    const types = this.q.types.all(id);
    const lines = this.q.lines.all(id).map((l) => ({ ...l, coupon: l.coupon === 1 }));
    const crm = { orders: traits.orders, ltvFen: traits.ltvFen };
    const refusals = this.q.refusals.get({ id })!;
    const facts: PersonFacts = {
      id,
      provisional: !types.includes('crm_id'),
      level: traits.level,
      platforms: types.filter((t) => t.endsWith('_uid')).map((t) => t.slice(0, -4)),
      tags: new Set(this.q.tags.all(id, now)),
      traits: computeTraits(lines, crm, now),
      bought: new Set(lines.map((l) => l.productId)),
      suppressed: refusals.suppressed === 1,
      segments: 0,
    };
    if (refusals.profilingRefused === 1) facts.profilingRefused = true;
    facts.segments = segmentMask(facts, this.segments, now);
    this.known.set(facts, { lines, crm });
    this.seen.push({ personId: id, ts: Date.now() });
    return facts;
  }

  private provisional(type: string, uid: string, name: string, platform: string, ts: number): PersonFacts {
    const facts: PersonFacts = {
      id: this.reservedId(),
      provisional: true,
      platforms: [platform],
      tags: new Set(),
      traits: computeTraits([], {}, ts),
      bought: new Set(),
      suppressed: false,
      segments: 0,
    };
    facts.segments = segmentMask(facts, this.segments, ts);
    this.known.set(facts, { lines: [], crm: {} });
    this.persons.push({ facts, type, uid, name, ts });
    return facts;
  }

  /** The next id of the reserved block, reserving a new block when it is used up. */
  private reservedId(): number {
    if (this.ids.next > this.ids.last) {
      const first = reservePersonIds(this.db, ID_BLOCK);
      this.ids = { next: first, last: first + ID_BLOCK - 1 };
    }
    return this.ids.next++;
  }

  /**
   * A provisional person's row, unless an import or sync linked the uid to someone meanwhile (noted in
   * `linked`): then the identifier is not inserted, and the row just made is deleted again. Inserting
   * first spares the look-up for the ordinary case, a new viewer.
   */
  private insertProvisional(p: PendingPerson, linked: Map<number, number>): void {
    this.q.insertPerson.run({ id: p.facts.id, ts: p.ts, name: p.name || null });
    if (this.q.insertIdentity.run(p.type, p.uid, p.facts.id).changes > 0) return;
    linked.set(p.facts.id, this.q.identity.get(p.type, p.uid)!);
    this.q.deletePerson.run(p.facts.id);
  }
}
