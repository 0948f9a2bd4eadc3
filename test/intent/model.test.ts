import { beforeAll, describe, expect, it } from 'vitest';
import type { EventBody } from '../../src-main/events/live-event';
import { FEATURE_COUNT, features, IntentTracker } from '../../src-main/intent/features';
import { auc, logLoss, type Rows } from '../../src-main/intent/fit';
import { IntentScorer, parseModel, type IntentModel } from '../../src-main/intent/model';
import { fitModel } from '../../src-main/intent/train';
import { intentPrior } from '../../src-main/intent/prior';
import type { PersonFacts } from '../../src-main/profiles/person';
import { ProfileCache } from '../../src-main/profiles/cache';
import { computeTraits, DAY_MS } from '../../src-main/profiles/traits';
import { ev } from '../helpers/events';
import { demoSession, demoStore, SIM_START, simulatedRows, trainOnDemo, type SimSessions } from '../helpers/intent-sim';
import { tempDir } from '../helpers/temp-dir';

const TRAIN: SimSessions = { seeds: [1, 2, 3], minutes: 60, rate: 20 };
const HELD_OUT: SimSessions = { seeds: [201, 202], minutes: 60, rate: 20 };
const MIN = 60_000;

let cache: ProfileCache;
let model: IntentModel;
let heldOut: Rows;

beforeAll(async () => {
  cache = new ProfileCache(demoStore(tempDir()));
  heldOut = simulatedRows(cache, HELD_OUT).take();
  model = await fitModel(simulatedRows(cache, TRAIN).take(), heldOut, TRAIN.seeds.length, { now: SIM_START });
}, 30_000);

function scoresOf(scorer: IntentScorer, rows: Rows): Float64Array {
  return Float64Array.from({ length: rows.count }, (_, r) => scorer.score(rows.x, r * FEATURE_COUNT));
}

describe('intent model on simulator sessions', () => {
  it('beats the base rate on sessions it was not trained on, and so does the shipped prior', () => {
    const payers = heldOut.y.reduce((n, y) => n + y, 0);
    expect(payers).toBeGreaterThan(100);
    const scores = scoresOf(new IntentScorer(model), heldOut);
    expect(auc(scores, heldOut.y)).toBe(model.heldOut.auc);
    expect(model.heldOut.auc).toBeGreaterThan(0.75);
    // The base rate of the training rows for everyone ranks nobody (AUC 0.5) and loses more.
    const baseRate = model.trainedOn.positives / model.trainedOn.rows;
    const base = new Float64Array(heldOut.count).fill(baseRate);
    expect(auc(base, heldOut.y)).toBe(0.5);
    expect(logLoss(scores, heldOut.y)).toBeLessThan(0.9 * logLoss(base, heldOut.y));
    expect(model.heldOut.logLoss).toBeLessThan(0.9 * model.heldOut.baseLogLoss);
    // The majority guess (nobody pays) is worse still.
    expect(logLoss(new Float64Array(heldOut.count), heldOut.y)).toBeGreaterThan(logLoss(base, heldOut.y));

    expect(parseModel(intentPrior)).toBe(intentPrior);
    expect(intentPrior.heldOut.auc).toBeGreaterThanOrEqual(0.8);
    expect(auc(scoresOf(new IntentScorer(intentPrior), heldOut), heldOut.y)).toBeGreaterThan(0.75);
  });

  it('gives the same model and scores for the same sessions, another model for other seeds', async () => {
    const small: SimSessions = { seeds: [4], minutes: 20, rate: 20 };
    const other: SimSessions = { seeds: [5], minutes: 20, rate: 20 };
    const first = await trainOnDemo(cache, small, other);
    expect(await trainOnDemo(cache, small, other)).toEqual(first);
    expect((await trainOnDemo(cache, other, small)).weights).not.toEqual(first.weights);
    expect(demoSession(4, 5, 20)).toEqual(demoSession(4, 5, 20));
    const rows = simulatedRows(cache, small).take();
    expect(scoresOf(new IntentScorer(first), rows)).toEqual(scoresOf(new IntentScorer(parseModel(JSON.parse(JSON.stringify(first)))!), rows));
  });

  it('explains each score by the features that moved it: putting a reason back to the mean moves the score by its effect, the first most', () => {
    const scorer = new IntentScorer(model);
    const groups = [...new Set(features.map((f) => f.group))];
    /** `x` with the features of `group` at the population mean. */
    const without = (x: Float64Array, group: string) => x.map((v, i) => (features[i].group === group ? model.means[i] : v));
    let explained = 0;
    for (let r = 0; r < heldOut.count; r += 41) {
      const x = heldOut.x.slice(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT);
      const logit = scorer.logit(x);
      const reasons = scorer.explain(x);
      if (reasons.length === 0) continue;
      explained++;
      const direction = Math.sign(logit - model.intercept);
      const moves = groups.map((g) => (logit - scorer.logit(without(x, g))) * direction);
      for (const reason of reasons) {
        expect(reason.effect).toBeCloseTo(logit - scorer.logit(without(x, reason.group)), 9);
        expect(reason.effect * direction).toBeGreaterThan(0);
        expect(reason.text.length).toBeGreaterThan(1);
      }
      expect(reasons[0].effect * direction).toBeCloseTo(Math.max(...moves), 9);
    }
    expect(explained).toBeGreaterThan(500);
  });
});

describe('intent prior on viewers made up for the purpose', () => {
  const T = SIM_START;
  const scorer = new IntentScorer(intentPrior);
  const meanViewer = 1 / (1 + Math.exp(-intentPrior.intercept));

  function person(id: number, extra: Partial<PersonFacts> = {}): PersonFacts {
    return { id, provisional: true, platforms: ['douyin'], tags: new Set(), traits: computeTraits([], {}, T), bought: new Set(), suppressed: false, segments: 0, ...extra };
  }

  /** A viewer who enters at 0 and likes twice a minute until `atMinute`, plus `steps`; their features then. */
  function viewer(who: PersonFacts, steps: [number, EventBody][], atMinute: number): Float64Array {
    const likes = Array.from({ length: atMinute * 2 }, (_, i): [number, EventBody] => [i / 2, { kind: 'like', count: 1 }]);
    const all = [[0, { kind: 'enter' }] as [number, EventBody], ...likes, ...steps].sort((a, b) => a[0] - b[0]);
    const tracker = new IntentTracker();
    for (const [minute, body] of all) tracker.observe(ev(T + minute * MIN, body, `u${who.id}`), who);
    const x = new Float64Array(FEATURE_COUNT);
    tracker.write(0, T + atMinute * MIN, x);
    return x;
  }

  it('says 加购未付 8 分钟 first for a cart left unpaid eight minutes', () => {
    const x = viewer(
      person(1),
      [
        [1, { kind: 'product_exposure', productId: 'p1' }],
        [1.5, { kind: 'product_click', productId: 'p1' }],
        [2, { kind: 'cart_add', productId: 'p1', quantity: 1 }],
      ],
      10,
    );
    expect(scorer.score(x)).toBeGreaterThan(meanViewer);
    expect(scorer.explain(x)[0]).toMatchObject({ group: 'cart', text: '加购未付 8 分钟' });
    // Without the cart, the same viewer scores lower and the cart is no reason.
    const noCart = viewer(person(2), [[1, { kind: 'product_exposure', productId: 'p1' }], [1.5, { kind: 'product_click', productId: 'p1' }]], 10);
    expect(scorer.score(noCart)).toBeLessThan(scorer.score(x));
    expect(scorer.explain(noCart).map((r) => r.group)).not.toContain('cart');
  });

  it('says 近 30 天买过 first for a recent repeat customer, and why a silent newcomer scores low', () => {
    const lines = [
      { orderId: 'a', productId: 'p1', amountFen: 29_900, paidAt: T - 40 * DAY_MS },
      { orderId: 'b', productId: 'p2', amountFen: 15_900, paidAt: T - 10 * DAY_MS },
    ];
    const repeat = viewer(person(3, { provisional: false, level: 3, traits: computeTraits(lines, {}, T) }), [], 5);
    expect(scorer.score(repeat)).toBeGreaterThan(meanViewer);
    expect(scorer.explain(repeat)[0]).toMatchObject({ group: 'history', text: '近 30 天买过，共 2 单' });

    const tracker = new IntentTracker();
    const silent = person(4);
    tracker.observe(ev(T, { kind: 'enter' }, 'u4'), silent);
    const x = new Float64Array(FEATURE_COUNT);
    tracker.write(0, T + 10 * MIN, x);
    expect(scorer.score(x)).toBeLessThan(meanViewer);
    const reasons = scorer.explain(x);
    expect(reasons.every((r) => r.effect < 0)).toBe(true);
    expect(reasons.map((r) => r.text)).toEqual(expect.arrayContaining(['没有互动', '从未下单']));
  });

  it('refuses a saved model for other features or with broken numbers', () => {
    expect(parseModel(JSON.parse(JSON.stringify(intentPrior)))).toEqual(intentPrior);
    expect(parseModel({ ...intentPrior, features: intentPrior.features.slice(1) })).toBeUndefined();
    expect(parseModel({ ...intentPrior, scales: intentPrior.scales.map((s, i) => (i === 3 ? 0 : s)) })).toBeUndefined();
    expect(parseModel({ ...intentPrior, weights: intentPrior.weights.map((w, i) => (i === 0 ? Number.NaN : w)) })).toBeUndefined();
    expect(parseModel({ ...intentPrior, version: 2 })).toBeUndefined();
    expect(parseModel('model')).toBeUndefined();
  });
});
