import { describe, expect, it } from 'vitest';
import { freshDb } from '../profiles/helpers';
import { holdoutBucket } from '../../src-main/triggers/holdout';
import { guardNames, type GuardName } from '../../src-main/triggers/rules';
import { TriggerEngine } from '../../src-main/triggers/trigger-engine';
import { at, cart, chat, harness, MIN, paid, person, personRule, roomRule, stored, T0, template, type Harness } from './helpers';

describe('cart abandonment', () => {
  it('fires once per person whose cart is unpaid 10 minutes on, and not for one who paid in time', () => {
    const h = harness();
    h.send(at(0), cart('p1'), 1);
    h.send(at(0), cart('p1'), 2);
    h.send(at(0.5), cart('p1'), 3);
    h.send(at(3), cart('p1'), 3); // the same product again while unpaid: still the first cart's window
    h.send(at(5), paid('p1'), 2);
    h.send(at(9), chat('在吗'), 4);
    expect(h.seen).toEqual([]);
    h.engine.advance(at(30));
    const fired = h.of('fired');
    expect(fired.map((d) => [d.personId, d.ts])).toEqual([
      [1, at(10)],
      [3, at(10.5)],
    ]);
    expect(fired[0]).toMatchObject({ ruleId: 'cart', ruleVersion: 1, channel: 'webhook', productId: 'p1', coupon: template(), quantity: 1, arm: 'treated' });
    expect(h.seen).toHaveLength(2);
    h.engine.flush();
    expect(stored(h.db).map((r) => r.outcome)).toEqual(['fired', 'fired']);
  });

  it('counts a payment at the very end of the window as in time', () => {
    const h = harness();
    h.send(at(0), cart('p1'), 1);
    h.send(at(10), paid('p1'), 1);
    h.engine.advance(at(60));
    expect(h.seen).toEqual([]);
  });

  it('gives each unpaid product its own occurrence, and a cart after a payment a new one', () => {
    const h = harness();
    h.send(at(0), cart('p1'), 1);
    h.send(at(1), cart('p2'), 1);
    h.send(at(2), paid('p1'), 1);
    h.send(at(3), cart('p1'), 1);
    h.engine.advance(at(30));
    expect(h.of('fired').map((d) => [d.productId, d.ts])).toEqual([
      ['p2', at(11)],
      ['p1', at(13)],
    ]);
    expect(new Set(h.seen.map((d) => d.key)).size).toBe(2);
  });

  it('decides the same on a replay of the same stream', () => {
    const run = () => {
      const h = harness({ rules: [personRule({ holdoutShare: 0.3, guards: { perSession: 1, budget: { count: 20 } } })] });
      for (let i = 0; i < 200; i++) {
        h.send(at(i / 20), cart(`p${i % 3}`), i % 60);
        if (i % 7 === 0) h.send(at(i / 20 + 4), paid(`p${i % 3}`), i % 60);
      }
      h.engine.advance(at(60));
      return h.seen.map((d) => [d.key, d.outcome, d.reason, d.ts]);
    };
    const first = run();
    expect(first.length).toBeGreaterThan(20);
    expect(run()).toEqual(first);
  });
});

describe('caps and budget', () => {
  it('hold when a hundred persons qualify in the same millisecond', () => {
    const h = harness({ rules: [personRule({ guards: { budget: { count: 5 } } })] });
    for (let id = 1; id <= 100; id++) h.send(T0, cart('p1'), id);
    h.engine.advance(at(11));
    expect(h.of('fired')).toHaveLength(5);
    expect(h.of('suppressed').map((d) => d.reason)).toEqual(new Array(95).fill('budget_count'));
    h.engine.flush();
    expect(stored(h.db)).toHaveLength(100);
  });

  it('cap one person who qualifies three times in the same millisecond', () => {
    const h = harness({ rules: [personRule({ guards: { perSession: 1 } })] });
    for (const p of ['p1', 'p2', 'p3']) h.send(T0, cart(p), 1);
    h.engine.advance(at(11));
    expect(h.seen.map((d) => [d.outcome, d.reason])).toEqual([
      ['fired', undefined],
      ['suppressed', 'cap_session'],
      ['suppressed', 'cap_session'],
    ]);
  });

  it('count a room-wide rule’s quantity against budget and stock', () => {
    const h = harness({ rules: [roomRule({ action: { mode: 'auto', channel: 'anchor', template: 'c10', quantity: 40 }, guards: { cooldownMinutes: 0, budget: { faceValueFen: 100_000 } } })] });
    h.room.interactionRate.push(...new Array(10).fill(1), 0.5, 0.5);
    for (let m = 0; m < 60; m += 10) h.send(at(m), chat('冷场了'), 1);
    // 40 coupons of ¥10 are ¥400 a decision: two fit in ¥1,000, the third does not.
    expect(h.seen.map((d) => d.outcome)).toEqual(['fired', 'fired', 'suppressed', 'suppressed', 'suppressed', 'suppressed']);
    expect(h.seen[2].reason).toBe('budget_value');
  });
});

/** Caps high enough not to be what suppresses. */
const loose = { perSession: 10, perDay: 10, perWeek: 10 };

/** Drives one guard into suppressing the rule's second decision for person 1; returns its reason. */
function secondReason(h: Harness, between?: () => void): string | undefined {
  h.send(at(0), cart('p1'), 1);
  h.engine.advance(at(10.5));
  between?.();
  h.send(at(11), cart('p2'), 1);
  h.engine.advance(at(30));
  const second = h.seen.at(-1)!;
  expect(second.outcome).toBe('suppressed');
  return second.reason;
}

describe('guards', () => {
  it('each suppresses with its name', () => {
    const reasons = new Map<GuardName, string | undefined>();
    const check = (guard: GuardName, reason: string | undefined) => reasons.set(guard, reason);

    {
      const h = harness();
      h.send(at(0), cart('p1'), 1, person(1, { suppressed: true }));
      h.engine.advance(at(11));
      check('consent', h.seen[0].reason);
    }
    {
      const h = harness();
      h.send(at(0), cart('p1'), 1, person(1, { tags: ['已流失'] }));
      h.engine.advance(at(11));
      check('churned', h.seen[0].reason);
    }
    {
      const h = harness();
      check('tolerance', secondReason(h, () => h.send(at(10.6), chat('别发了，烦不烦'), 1)));
    }
    check('once', secondReason(harness({ rules: [personRule({ guards: { ...loose, oncePerPerson: true } })] })));
    check('cooldown', secondReason(harness({ rules: [personRule({ guards: { ...loose, cooldownMinutes: 30 } })] })));
    check('cap_session', secondReason(harness({ rules: [personRule({ guards: { perSession: 1 } })] })));
    {
      // Decisions of earlier sessions count for the rolling day and week.
      const earlier = (minutesAgo: number[]) => {
        const { db } = freshDb();
        for (const ago of minutesAgo) {
          const h = harness({ db, sessionId: `ago-${ago}` });
          h.send(at(-ago), cart('p9'), 1);
          h.engine.advance(at(-ago + 11));
          h.engine.flush();
          expect(h.of('fired')).toHaveLength(1);
        }
        return db;
      };
      check('cap_day', secondReason(harness({ db: earlier([3 * 24 * 60, 20 * 60]), sessionId: 'today', rules: [personRule({ guards: { ...loose, perDay: 2 } })] })));
      check('cap_week', secondReason(harness({ db: earlier([6 * 24 * 60, 3 * 24 * 60]), sessionId: 'today', rules: [personRule({ guards: { ...loose, perDay: 5, perWeek: 3 } })] })));
    }
    {
      // T0 is 20:00 local: a quiet period from 20:05 to 20:30 holds the first decision (20:10) back.
      const h = harness({ rules: [personRule({ guards: { ...loose, quiet: [{ from: '20:05', to: '20:30' }] } })] });
      h.send(at(0), cart('p1'), 1);
      h.engine.advance(at(11));
      check('quiet', h.seen[0].reason);
    }
    check('budget_count', secondReason(harness({ rules: [personRule({ guards: { ...loose, budget: { count: 1 } } })] })));
    check('budget_value', secondReason(harness({ rules: [personRule({ guards: { ...loose, budget: { faceValueFen: 1_500 } } })] })));
    {
      // Stock counts across sessions.
      const { db } = freshDb();
      const first = harness({ db, sessionId: 'a', templates: [template({ stock: 2 })] });
      first.send(at(0), cart('p1'), 7);
      first.engine.advance(at(11));
      first.engine.flush();
      check('stock', secondReason(harness({ db, sessionId: 'b', templates: [template({ stock: 2 })] })));
    }

    expect([...reasons.keys()].sort()).toEqual([...guardNames].sort());
    for (const [guard, reason] of reasons) expect(reason, guard).toBe(guard);
  });

  it('lets a quiet period wrap past midnight', () => {
    // 23:00 to 08:00 local; T0 + 5 h is 01:00.
    const h = harness({ rules: [personRule({ guards: { ...loose, quiet: [{ from: '23:00', to: '08:00' }] } })] });
    h.send(at(0), cart('p1'), 1);
    h.send(at(5 * 60), cart('p1'), 2);
    h.engine.advance(at(6 * 60));
    expect(h.seen.map((d) => d.reason ?? d.outcome)).toEqual(['fired', 'quiet']);
  });
});

describe('the tolerance signal', () => {
  it('holds back for the session a person who reacts badly to a coupon, and only such a person', () => {
    const h = harness({ rules: [personRule({ trigger: { kind: 'asked_price' } })] });
    h.send(at(0), chat('多少钱'), 1);
    h.send(at(0), chat('这个多少钱'), 2);
    expect(h.of('fired').map((d) => d.personId)).toEqual([1, 2]);
    h.send(at(1), chat('别再发了，骚扰'), 1); // annoyed, a minute after their coupon
    h.send(at(1), chat('麻烦发一下链接'), 2); // polite, not annoyed
    h.send(at(1), chat('别发了'), 3); // no coupon in the last half hour: not a reaction to one
    h.room.productOnAir = 'p2';
    for (const id of [1, 2, 3]) h.send(at(40), chat('现在什么价'), id);
    expect(h.seen.slice(2).map((d) => [d.personId, d.outcome, d.reason])).toEqual([
      [1, 'suppressed', 'tolerance'],
      [2, 'fired', undefined],
      [3, 'fired', undefined],
    ]);
    h.engine.flush();
    expect(h.db.prepare('SELECT person_id, reason FROM trigger_holds').all()).toEqual([{ person_id: 1, reason: '别再发了，骚扰' }]);
  });

  it('counts a room-wide coupon, and survives a restart', () => {
    const { db } = freshDb();
    const h = harness({ db, rules: [personRule({ trigger: { kind: 'asked_price' } })] });
    h.send(at(0), { kind: 'coupon_issued', couponId: 'c', faceValueFen: 500 }, 9);
    h.send(at(5), chat('烦死了'), 1);
    h.engine.flush();
    const again = harness({ db, rules: [personRule({ trigger: { kind: 'asked_price' } })] });
    again.send(at(50), chat('多少钱'), 1);
    expect(again.seen.map((d) => d.reason)).toEqual(['tolerance']);
  });
});

describe('suggestions', () => {
  const suggest = (init: Record<string, unknown> = {}) =>
    personRule({ action: { mode: 'suggest', channel: 'copy', template: 'c10', expireMinutes: 5 }, ...init });

  it('wait for ops, who approve or dismiss them', () => {
    const h = harness({ rules: [suggest()] });
    h.send(at(0), cart('p1'), 1);
    h.send(at(0), cart('p1'), 2);
    h.engine.advance(at(11));
    const [a, b] = h.engine.pending();
    expect([a.outcome, a.personId, a.expiresAt, b.personId]).toEqual(['suggested', 1, at(15), 2]);
    expect(h.engine.approve(a.key)).toMatchObject({ key: a.key, outcome: 'approved', resolvedAt: at(11) });
    expect(h.engine.dismiss(b.key)).toMatchObject({ outcome: 'dismissed' });
    expect(h.engine.pending()).toEqual([]);
    expect(h.engine.approve(a.key)).toBeUndefined();
    h.engine.flush();
    expect(stored(h.db).map((r) => r.outcome)).toEqual(['approved', 'dismissed']);
  });

  it('expire after their minutes, and give back what they reserved', () => {
    const h = harness({ rules: [suggest({ guards: { budget: { count: 1 } } })] });
    h.send(at(0), cart('p1'), 1);
    h.send(at(1), cart('p1'), 2);
    h.engine.advance(at(11.5));
    expect(h.seen.map((d) => [d.personId, d.outcome, d.reason])).toEqual([
      [1, 'suggested', undefined],
      [2, 'suppressed', 'budget_count'],
    ]);
    h.engine.advance(at(15.5));
    expect(h.seen.at(-1)).toMatchObject({ personId: 1, outcome: 'expired', resolvedAt: at(15) });
    h.send(at(20), cart('p1'), 3);
    h.engine.advance(at(30.5));
    expect(h.seen.at(-1)).toMatchObject({ personId: 3, outcome: 'suggested', expiresAt: at(35) });
    // Approving at the moment of expiry is too late.
    h.engine.advance(at(35));
    expect(h.engine.approve(h.seen.at(-1)!.key)).toMatchObject({ outcome: 'expired' });
  });

  it('are not delivered to a person held back meanwhile', () => {
    const h = harness({ rules: [suggest(), personRule({ id: 'ask', trigger: { kind: 'asked_price' } })] });
    h.send(at(0), chat('多少钱'), 1);
    h.send(at(0), cart('p1'), 1);
    h.engine.advance(at(10.5));
    h.send(at(11), chat('别发了'), 1);
    const pending = h.engine.pending()[0];
    expect(h.engine.approve(pending.key)).toMatchObject({ outcome: 'suppressed', reason: 'tolerance' });
  });
});

describe('holdout', () => {
  it('holds out about the configured share of 10,000 persons, deterministically, and delivers them nothing', () => {
    const run = (salt: string) => {
      const h = harness({ salt, rules: [personRule({ holdoutShare: 0.1 })] });
      for (let id = 1; id <= 10_000; id++) h.send(T0 + id, cart('p1'), id);
      h.engine.advance(at(30));
      return h;
    };
    const h = run('salt');
    const held = h.of('holdout');
    expect(held.length / 10_000).toBeGreaterThan(0.09);
    expect(held.length / 10_000).toBeLessThan(0.11);
    expect(h.of('fired')).toHaveLength(10_000 - held.length);
    expect(held.every((d) => d.arm === 'holdout')).toBe(true);
    expect(held.every((d) => holdoutBucket(d.personId!, 'cart', 'salt') < 0.1)).toBe(true);
    expect(run('salt').of('holdout').map((d) => d.personId)).toEqual(held.map((d) => d.personId));
    const other = new Set(run('other salt').of('holdout').map((d) => d.personId));
    expect(held.filter((d) => other.has(d.personId)).length).toBeLessThan(held.length / 2);
  });

  it('counts a holdout against the person’s caps, as if treated', () => {
    const id = [...Array(100).keys()].find((i) => holdoutBucket(i, 'cart', 'salt') < 0.5)!;
    const h = harness({ rules: [personRule({ holdoutShare: 0.5, guards: { perSession: 1 } })] });
    h.send(at(0), cart('p1'), id);
    h.send(at(1), cart('p2'), id);
    h.engine.advance(at(20));
    expect(h.seen.map((d) => d.reason ?? d.outcome)).toEqual(['holdout', 'cap_session']);
  });

  it('alternates time slices for a room-wide rule: one decision a slice, odd slices held out', () => {
    const h = harness({ rules: [roomRule({ holdoutSlices: true, sliceMinutes: 10 })] });
    h.room.interactionRate.push(...new Array(10).fill(2), 1.2, 1.3);
    for (let s = 0; s < 60 * 6; s++) h.send(T0 + s * 10_000, chat('冷场'), 1); // an hour, a comment every 10 s
    const slices = h.seen.map((d) => [Math.floor(d.ts / (10 * MIN)) % 2, d.outcome, d.arm]);
    expect(slices).toHaveLength(6);
    for (const [parity, outcome, arm] of slices) expect([outcome, arm]).toEqual(parity === 1 ? ['holdout', 'holdout'] : ['fired', 'treated']);
  });
});

describe('room-wide rules', () => {
  it('fire when the interaction rate drops 30% below the 10-minute baseline with enough viewers online', () => {
    const h = harness({ rules: [roomRule()] });
    h.room.interactionRate.push(...new Array(10).fill(1), 0.8, 0.75);
    h.send(at(0), chat('嗯'), 1);
    expect(h.seen).toEqual([]); // down 22.5%
    h.room.interactionRate.push(0.6);
    h.room.online = 400;
    h.send(at(1), chat('嗯'), 1);
    expect(h.seen).toEqual([]); // (1·8 + 0.8 + 0.75)/10 = 0.955 → (0.75 + 0.6)/2 = 0.675: down 29.3%, and too few online
    h.room.interactionRate.push(0.5);
    h.send(at(2), chat('嗯'), 1);
    expect(h.seen).toEqual([]); // down enough now, still too few online
    h.room.online = 800;
    h.send(at(3), chat('嗯'), 1);
    expect(h.seen.map((d) => [d.outcome, d.scope, d.personId, d.channel, d.quantity, d.productId])).toEqual([['fired', 'room', undefined, 'anchor', 50, 'p1']]);
  });

  it('wait out their cooldown', () => {
    const h = harness({ rules: [roomRule({ guards: { cooldownMinutes: 25 }, sliceMinutes: 5 })] });
    h.room.interactionRate.push(...new Array(10).fill(1), 0.5, 0.5);
    for (let m = 0; m < 40; m += 5) h.send(at(m), chat('嗯'), 1);
    expect(h.seen.map((d) => d.reason ?? d.outcome)).toEqual(['fired', 'cooldown', 'cooldown', 'cooldown', 'cooldown', 'fired', 'cooldown', 'cooldown']);
  });
});

describe('delivery failures', () => {
  it('are audited and stop counting against caps, budget and stock', () => {
    const h = harness({ rules: [personRule({ guards: { perSession: 1, budget: { count: 1 } } })], templates: [template({ stock: 1 })] });
    h.send(at(0), cart('p1'), 1);
    h.engine.advance(at(10.5));
    h.engine.flush();
    const key = h.of('fired')[0].key;
    expect(h.engine.deliveryFailed(key, 'HTTP 503')).toMatchObject({ key, outcome: 'delivery_failed', reason: 'HTTP 503' });
    expect(h.engine.deliveryFailed(key, 'again')).toBeUndefined();
    h.send(at(11), cart('p2'), 1);
    h.engine.advance(at(30));
    expect(h.seen.at(-1)).toMatchObject({ outcome: 'fired', productId: 'p2' });
    h.engine.flush();
    expect(stored(h.db).map((r) => [r.outcome, r.reason])).toEqual([
      ['delivery_failed', 'HTTP 503'],
      ['fired', null],
    ]);
  });
});

describe('bounded memory', () => {
  it('tracks at most maxPersons persons at once', () => {
    const h = harness({ maxPersons: 10 });
    for (let id = 1; id <= 30; id++) h.send(at(0), cart('p1'), id);
    h.engine.advance(at(11));
    expect(h.of('fired').map((d) => d.personId)).toEqual([...Array(10).keys()].map((i) => i + 1));
  });

  it('forgets a person who left with nothing pending, and knows their decisions again from the table', () => {
    const h = harness({ maxPersons: 2, rules: [personRule({ trigger: { kind: 'asked_price' }, guards: { perSession: 1 } })] });
    h.send(at(0), chat('多少钱'), 1);
    h.send(at(0), { kind: 'leave' }, 1);
    for (let id = 2; id <= 6; id++) {
      h.send(at(1), chat('便宜点'), id);
      h.send(at(1), { kind: 'leave' }, id);
      h.engine.flush(); // histories beyond maxPersons are forgotten after a flush
    }
    h.send(at(2), chat('多少钱'), 1); // back, same product on air: the same occurrence
    h.room.productOnAir = 'p2';
    h.send(at(3), chat('多少钱'), 1);
    expect(h.seen.filter((d) => d.personId === 1).map((d) => d.reason ?? d.outcome)).toEqual(['fired', 'fired', 'cap_session']);
    expect(h.seen.filter((d) => d.personId === 1)[1].key).toMatch(/#dup$/);
    expect(h.of('duplicate')).toHaveLength(1);
  });
});

describe('the engine', () => {
  it('refuses rules that name an unknown template or segment', () => {
    const { db } = freshDb();
    const bad = personRule({ action: { mode: 'auto', channel: 'webhook', template: 'nope' }, where: { segments: { any: ['ghosts'] } } });
    expect(() => new TriggerEngine(db, { sessionId: 's', rules: [bad, personRule({ id: 'x', where: { segments: { none: ['ghosts'] } } })], templates: [template()], segments: [], salt: '' })).toThrow(
      /rule cart: unknown coupon template nope; rule x: unknown segment ghosts/,
    );
  });

  it('lists this session’s decisions newest first', () => {
    const h = harness();
    for (let id = 1; id <= 3; id++) h.send(at(id), cart('p1'), id);
    h.engine.advance(at(20));
    expect(h.engine.decisions(2).map((d) => d.personId)).toEqual([3, 2]);
    expect(h.engine.decisions()[2]).toEqual(h.seen[0]);
  });
});
