// Who a recorded viewer was when a past session saw them: their facts as of that moment, read from
// the profile store (order lines paid before it, the CRM's counts less the lines paid since, CRM tags
// then in force), so that training on a past session never sees the orders it is asked to predict.
// A platform user the store does not know is a provisional person with an id of its own (negative,
// so it never meets a stored one). Read-only; one instance per session replayed.
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';
import type { Purchase } from '../profiles/records';
import { computeTraits } from '../profiles/traits';
import { uidTypeOf, LIVE_SOURCE } from '../profiles/cache';
import { parseJson, isRecord } from '../shared/values';
import type { Db } from '../storage/db';

export class PersonHistory {
  private readonly seen = new Map<string, PersonFacts>();
  private readonly byPerson = new Map<number, PersonFacts>();
  private unknown = 0;
  private readonly q;

  constructor(db: Db) {
    this.q = {
      identity: db.prepare<[string, string], number>('SELECT person_id FROM identities WHERE type = ? AND value = ?').pluck(),
      traits: db.prepare<[number], string>('SELECT traits FROM persons WHERE id = ?').pluck(),
      types: db.prepare<[number], string>('SELECT type FROM identities WHERE person_id = ?').pluck(),
      tags: db.prepare<[number, string, number], string>(
        'SELECT DISTINCT tag FROM tags WHERE person_id = ? AND source != ? AND (expires_at IS NULL OR expires_at > ?)',
      ).pluck(),
      lines: db.prepare<[number], Omit<Purchase, 'coupon'> & { coupon: number }>(
        'SELECT order_id AS orderId, product_id AS productId, amount_fen AS amountFen, paid_at AS paidAt, coupon FROM person_orders WHERE person_id = ?',
      ),
    };
  }

  /** The person behind an event's user as they were at the event; undefined for masked users and events without one. */
  identify(e: LiveEvent): PersonFacts | undefined {
    const user = e.user;
    if (!user || user.masked) return undefined;
    const key = `${e.platform}\0${user.id}`;
    let facts = this.seen.get(key);
    if (!facts) {
      const type = uidTypeOf(e.platform);
      const id = type && this.q.identity.get(type, user.id);
      facts = id ? (this.byPerson.get(id) ?? this.load(id, e.ts)) : provisional(--this.unknown, e.platform);
      this.seen.set(key, facts);
    }
    return facts;
  }

  private load(id: number, asOf: number): PersonFacts {
    const stored = parseJson(this.q.traits.get(id) ?? '{}');
    const crm = isRecord(stored) ? stored : {};
    const lines = this.q.lines.all(id).map((l) => ({ ...l, coupon: l.coupon === 1 }));
    const before = lines.filter((l) => l.paidAt < asOf);
    const after = lines.length - before.length;
    const afterFen = lines.reduce((sum, l) => sum + (l.paidAt < asOf ? 0 : l.amountFen), 0);
    const crmOrders = typeof crm.orders === 'number' ? crm.orders - after : undefined;
    const crmLtv = typeof crm.ltvFen === 'number' ? crm.ltvFen - afterFen : undefined;
    const types = this.q.types.all(id);
    const facts: PersonFacts = {
      id,
      provisional: !types.includes('crm_id'),
      level: typeof crm.level === 'number' ? crm.level : undefined,
      platforms: types.filter((t) => t.endsWith('_uid')).map((t) => t.slice(0, -4)),
      tags: new Set(this.q.tags.all(id, LIVE_SOURCE, asOf)),
      traits: computeTraits(before, { orders: crmOrders, ltvFen: crmLtv }, asOf),
      bought: new Set(before.map((l) => l.productId)),
      suppressed: false,
      segments: 0,
    };
    this.byPerson.set(id, facts);
    return facts;
  }
}

function provisional(id: number, platform: string): PersonFacts {
  return {
    id,
    provisional: true,
    platforms: [platform],
    tags: new Set(),
    traits: computeTraits([], {}, 0),
    bought: new Set(),
    suppressed: false,
    segments: 0,
  };
}
