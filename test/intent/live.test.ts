// Purchase intent in a live session: each event updates the viewer's score on their facts (the feed's
// 高意向 badge reads it), ops get the likeliest buyers who have not paid with the reasons, a payer
// leaves the list; the engine puts it in the snapshot and retrains on request.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBody } from '../../src-main/events/live-event';
import { Engine } from '../../src-main/engine/engine';
import { LiveIntent } from '../../src-main/intent/live-intent';
import { IntentScorer } from '../../src-main/intent/model';
import { intentPrior } from '../../src-main/intent/prior';
import { HIGH_INTENT, type PersonFacts } from '../../src-main/profiles/person';
import { badgesOf } from '../../src-main/profiles/segments';
import { computeTraits } from '../../src-main/profiles/traits';
import { until } from '../helpers/collect';
import { ev } from '../helpers/events';
import { tempDir } from '../helpers/temp-dir';

const T = Date.UTC(2026, 10, 23, 20);
const MIN = 60_000;

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

const viewer = (id: number, orders = 0): PersonFacts => {
  const lines = Array.from({ length: orders }, (_, i) => ({ orderId: `o${id}-${i}`, productId: `p${i}`, amountFen: 30_000, paidAt: T - (i + 1) * 5 * 86_400_000, coupon: false }));
  return { id, provisional: orders === 0, platforms: ['douyin'], tags: new Set(), traits: computeTraits(lines, {}, T), bought: new Set(lines.map((l) => l.productId)), suppressed: false, segments: 0 };
};

describe('live intent', () => {
  it('lists the eight likeliest of many, best first', () => {
    const scorer = new IntentScorer(intentPrior);
    const intent = new LiveIntent(() => scorer);
    const viewers = Array.from({ length: 14 }, (_, i) => viewer(i + 1, 6 - (i % 7)));
    for (const who of viewers) {
      intent.observe(ev(T, { kind: 'enter' }, `u${who.id}`), who);
      intent.observe(ev(T + 2 * MIN, { kind: 'product_click', productId: 'p9' }, `u${who.id}`), who);
      intent.observe(ev(T + 3 * MIN, { kind: 'cart_add', productId: 'p9', quantity: 1 }, `u${who.id}`), who);
    }
    // Scored at the time of their last event, each is listed with the score on their facts.
    const expected = viewers
      .filter((v) => v.intent! >= HIGH_INTENT)
      .sort((a, b) => b.intent! - a.intent!)
      .slice(0, 8);
    expect(expected).toHaveLength(8);
    const listed = intent.top(T + 3 * MIN);
    expect(listed.map((v) => v.personId)).toEqual(expected.map((v) => v.id));
    expect(listed.map((v) => v.score)).toEqual(expected.map((v) => v.intent));
  });

  it('scores each event onto the facts, lists the likeliest unpaid buyers with reasons, and drops a payer', () => {
    const scorer = new IntentScorer(intentPrior);
    const intent = new LiveIntent(() => scorer);
    const keen = viewer(1, 4); // a repeat buyer
    const idle = viewer(2);
    const waiting = viewer(3, 4); // does the same as keen, but never pays
    const play = (who: PersonFacts, minute: number, body: EventBody) => intent.observe(ev(T + minute * MIN, body, `u${who.id}`), who);
    play(idle, 0, { kind: 'enter' });
    for (const who of [keen, waiting]) {
      play(who, 0, { kind: 'enter' });
      play(who, 2, { kind: 'product_click', productId: 'p9' });
      play(who, 3, { kind: 'cart_add', productId: 'p9', quantity: 1 });
    }
    play(idle, 4, { kind: 'like', count: 1 });
    expect(keen.intent!).toBeGreaterThan(idle.intent!);
    expect(keen.intent!).toBeGreaterThanOrEqual(HIGH_INTENT);
    expect(badgesOf(keen)).toContain('high_intent');
    expect(badgesOf(idle)).not.toContain('high_intent');

    const listed = intent.top(T + 4 * MIN);
    expect(listed.map((v) => v.personId).sort()).toEqual([1, 3]);
    expect(listed[0]).toMatchObject({ platform: 'douyin', maskedName: expect.stringContaining('*') });
    expect(listed[0].reasons).toEqual(expect.arrayContaining(['加购未付 1 分钟', '近 30 天买过，共 4 单']));

    play(keen, 4.5, { kind: 'order_paid', orderId: 'o1', productId: 'p9', amountFen: 19_900 });
    expect(intent.top(T + 4.5 * MIN).map((v) => v.personId)).toEqual([3]);
    // The list scores anew: a cart left waiting a quarter of an hour is less and less likely to be paid.
    expect(intent.top(T + 15 * MIN)).toEqual([]);
  });

  it('is in the engine: the snapshot lists high-intent viewers, the feed carries scores, and a retrain needs payers', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't', demo: { seed: 8, rate: 1500 } });
    engine.start();
    await until(async () => (await engine!.handlers.getSnapshot({})).intent.length > 0, 20_000, 'a high-intent viewer');
    const snapshot = await engine.handlers.getSnapshot({});
    expect(snapshot.intent[0].score).toBeGreaterThanOrEqual(HIGH_INTENT);
    expect(snapshot.intent[0].reasons.length).toBeGreaterThan(0);
    expect(snapshot.feed.some((item) => typeof item.intent === 'number')).toBe(true);
    expect(await engine.handlers.getIntentModel({})).toMatchObject({ source: 'prior' });
    // Nothing recorded has ended yet: nothing to learn from, and the prior stays in force.
    await expect(engine.handlers.trainIntent({})).rejects.toThrow(/not enough/);
    expect(await engine.handlers.getIntentModel({})).toMatchObject({ source: 'prior' });
  }, 30_000);
});

describe('live intent over a long show', () => {
  it('lets go of viewers idle for half an hour with nothing waiting, and reuses their rows', () => {
    const scorer = new IntentScorer(intentPrior);
    const intent = new LiveIntent(() => scorer);
    const tracker = (intent as unknown as { tracker: { size: number } }).tracker;
    const carting = viewer(1);
    intent.observe(ev(T, { kind: 'cart_add', productId: 'p1', quantity: 1 }, 'u1'), carting);
    for (let i = 2; i <= 1_000; i++) intent.observe(ev(T + i, { kind: 'enter' }, `u${i}`), viewer(i));
    expect(tracker.size).toBe(1_000);
    // An hour later: everyone idle is let go but the viewer whose cart waits; new viewers take their rows.
    for (let i = 1_001; i <= 1_100; i++) intent.observe(ev(T + 60 * MIN + i, { kind: 'enter' }, `u${i}`), viewer(i));
    expect(tracker.size).toBe(101);
    expect(intent.top(T + 60 * MIN + 2_000).map((v) => v.personId)).not.toContain(2);
  });
});

describe('profiling consent', () => {
  it('keeps a person who refused profiling out of intent scoring and the list', () => {
    const scorer = new IntentScorer(intentPrior);
    const intent = new LiveIntent(() => scorer);
    const refused = { ...viewer(1, 4), profilingRefused: true };
    intent.observe(ev(T, { kind: 'enter' }, 'u1'), refused);
    intent.observe(ev(T + 3 * MIN, { kind: 'cart_add', productId: 'p9', quantity: 1 }, 'u1'), refused);
    expect(refused.intent).toBeUndefined();
    expect(badgesOf(refused)).not.toContain('high_intent');
    expect(intent.top(T + 4 * MIN)).toEqual([]);
  });
});
