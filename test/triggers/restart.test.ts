import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src-main/events/live-event';
import type { PersonFacts } from '../../src-main/profiles/person';
import type { Db } from '../../src-main/storage/db';
import type { Decision } from '../../src-main/triggers/decision-log';
import type { TriggerRule } from '../../src-main/triggers/rules';
import { TriggerEngine } from '../../src-main/triggers/trigger-engine';
import { ev } from '../helpers/events';
import { freshDb } from '../profiles/helpers';
import { at, cart, chat, click, enter, leave, like, MIN, paid, person, personRule, roomRule, SEGMENTS, template, type MutableRoom } from './helpers';

/** A deterministic room: 400 persons over an hour entering, clicking, asking, carting, paying, leaving. */
function simulatedStream(): { event: LiveEvent; personId: number }[] {
  let seed = 20_260_105;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const out: { event: LiveEvent; personId: number }[] = [];
  const push = (minute: number, body: Parameters<typeof ev>[1], id: number) => out.push({ event: ev(Math.round(at(minute)), body, `u${id}`), personId: id });
  for (let id = 1; id <= 400; id++) {
    let t = random() * 50;
    push(t, enter, id);
    const product = `p${1 + Math.floor(random() * 3)}`;
    for (let i = 0; i < 6; i++) {
      t += random() * 3;
      const r = random();
      if (r < 0.25) push(t, click(product), id);
      else if (r < 0.4) push(t, chat(random() < 0.5 ? '多少钱' : '能便宜点吗'), id);
      else if (r < 0.55) push(t, cart(product), id);
      else if (r < 0.62) push(t, paid(product, `o${id}-${i}`), id);
      else push(t, like, id);
    }
    if (random() < 0.7) push(t + random() * 10, leave, id);
  }
  return out.sort((a, b) => a.event.ts - b.event.ts);
}

const rules: TriggerRule[] = [
  personRule({ holdoutShare: 0.1, guards: { perSession: 1, budget: { count: 40 } } }),
  personRule({ id: 'ask', trigger: { kind: 'asked_price' }, holdoutShare: 0.1, guards: { perSession: 1 } }),
  personRule({ id: 'clicks', trigger: { kind: 'clicks', count: 2 }, action: { mode: 'suggest', channel: 'copy', template: 'c10', expireMinutes: 3 }, guards: { perSession: 1 } }),
  personRule({ id: 'watch', trigger: { kind: 'watching', minutes: 12 }, guards: { perSession: 1 } }),
  roomRule({ holdoutSlices: true, sliceMinutes: 5, action: { mode: 'auto', channel: 'anchor', template: 'c10', quantity: 5 } }),
];

/** The room as a function of time: interaction falls away in minutes 20–30 and 40–45. */
function roomAt(ts: number, view: MutableRoom): void {
  const minute = Math.floor((ts - at(0)) / MIN);
  view.interactionRate = Array.from({ length: Math.max(0, minute) }, (_, m) => ((m >= 18 && m < 30) || (m >= 38 && m < 45) ? 0.4 : 1));
  view.productOnAir = `p${1 + (Math.floor(minute / 15) % 3)}`;
}

class Run {
  readonly engine: TriggerEngine;
  readonly seen: Decision[] = [];
  private readonly persons = new Map<number, PersonFacts>();
  private readonly view: MutableRoom = { online: 2_000, productOnAir: 'p1', interactionRate: [] };

  constructor(db: Db) {
    this.engine = new TriggerEngine(db, { sessionId: 'live-1', rules, templates: [template({ stock: 150 })], segments: SEGMENTS, salt: 'salt', onDecision: (d) => this.seen.push(d) });
  }

  feed(stream: { event: LiveEvent; personId: number }[]): this {
    for (const { event, personId } of stream) {
      let facts = this.persons.get(personId);
      if (!facts) this.persons.set(personId, (facts = person(personId)));
      roomAt(event.ts, this.view);
      this.engine.observe(event, facts, this.view);
    }
    return this;
  }

  end(): this {
    this.engine.advance(at(120));
    this.engine.flush();
    return this;
  }
}

/** Every audit row but the notes of duplicates, as comparable tuples. */
function rows(db: Db): unknown[] {
  return db
    .prepare("SELECT key, rule_id, person_id, ts, outcome, reason, arm, resolved_at, exposed, converted FROM trigger_decisions WHERE key NOT LIKE '%#dup' ORDER BY key")
    .raw()
    .all();
}

describe('a restart mid-session', () => {
  const stream = simulatedStream();
  const half = Math.floor(stream.length / 2);

  it('replaying the whole session repeats no decision and ends exactly as one uninterrupted engine', () => {
    const straight = freshDb().db;
    new Run(straight).feed(stream).end();
    const expected = rows(straight);
    expect(expected.length).toBeGreaterThan(100);
    const outcomes = new Set((expected as unknown[][]).map((r) => r[4]));
    for (const outcome of ['fired', 'holdout', 'suppressed', 'expired']) expect(outcomes).toContain(outcome);

    const { db } = freshDb();
    const first = new Run(db).feed(stream.slice(0, half));
    first.engine.flush();
    const before = new Set(first.seen.map((d) => d.key));
    const second = new Run(db).feed(stream).end();
    expect(rows(db)).toEqual(expected);
    const acted = second.seen.filter((d) => d.outcome !== 'duplicate' && d.outcome !== 'expired');
    expect(acted.filter((d) => before.has(d.key))).toEqual([]);
    expect(second.seen.filter((d) => d.outcome === 'duplicate').length).toBeGreaterThan(0);
  });

  it('carrying on from where it stopped still counts the caps, budget and stock already used', () => {
    const { db } = freshDb();
    const first = new Run(db).feed(stream.slice(0, half));
    first.engine.flush();
    const second = new Run(db).feed(stream.slice(half)).end();
    const firstKeys = new Set(first.seen.map((d) => d.key));
    expect(second.seen.filter((d) => firstKeys.has(d.key) && d.outcome !== 'expired')).toEqual([]);
    const perPerson = db
      .prepare(
        `SELECT person_id, count(*) AS n FROM trigger_decisions
         WHERE person_id IS NOT NULL AND outcome IN ('fired', 'approved', 'suggested', 'holdout') GROUP BY person_id HAVING n > 1`,
      )
      .all();
    expect(perPerson).toEqual([]);
    const cartFired = db.prepare("SELECT count(*) FROM trigger_decisions WHERE rule_id = 'cart' AND outcome = 'fired'").pluck().get() as number;
    expect(cartFired).toBeLessThanOrEqual(40);
    const given = db.prepare("SELECT coalesce(sum(quantity), 0) FROM trigger_decisions WHERE outcome IN ('fired', 'approved', 'suggested')").pluck().get() as number;
    expect(given).toBeLessThanOrEqual(150);
    expect(second.seen.some((d) => d.outcome === 'suppressed' && d.reason === 'stock')).toBe(true);
  });

  it('keeps a pending suggestion for ops to approve', () => {
    const { db } = freshDb();
    const suggest = personRule({ action: { mode: 'suggest', channel: 'copy', template: 'c10', expireMinutes: 10 } });
    const make = () => new TriggerEngine(db, { sessionId: 's', rules: [suggest], templates: [template()], segments: [], salt: '' });
    const first = make();
    const view = { online: 1, productOnAir: undefined, interactionRate: [] };
    first.observe(ev(at(0), cart('p1'), 'u1'), person(1), view);
    first.advance(at(11));
    first.flush();
    const [pending] = first.pending();
    const second = make();
    expect(second.pending()).toEqual([pending]);
    second.advance(at(12));
    expect(second.approve(pending.key)).toMatchObject({ key: pending.key, outcome: 'approved', resolvedAt: at(12) });
    second.flush();
    expect(db.prepare('SELECT outcome, resolved_at FROM trigger_decisions').all()).toEqual([{ outcome: 'approved', resolved_at: at(12) }]);
  });
});
