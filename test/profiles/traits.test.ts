import { describe, expect, it } from 'vitest';
import type { Purchase } from '../../src-main/profiles/records';
import { computeTraits, DAY_MS, daysSince } from '../../src-main/profiles/traits';

const NOW = Date.UTC(2026, 0, 1);
let n = 0;

function line(paidAt: number, amountFen: number, coupon?: boolean): Purchase {
  return { orderId: `o${++n}`, productId: 'p1', amountFen, paidAt, ...(coupon !== undefined && { coupon }) };
}

/** RFM of a person whose one known line is `agoMs` old and whose CRM gives orders and LTV. */
function rfm(agoMs: number, orders: number, ltvFen: number) {
  return computeTraits([line(NOW - agoMs, 0)], { orders, ltvFen }, NOW).rfm;
}

describe('computeTraits figures', () => {
  it('gives zeros and no RFM for a person with no orders', () => {
    expect(computeTraits([], {}, NOW)).toEqual({ orders: 0, ltvFen: 0, couponShare: 0 });
    expect(computeTraits([], { orders: 0, ltvFen: 0 }, NOW).rfm).toBeUndefined();
  });

  it('takes the larger of the CRM count and the number of lines', () => {
    expect(computeTraits([line(NOW, 100), line(NOW, 100)], { orders: 5 }, NOW).orders).toBe(5);
    expect(computeTraits([line(NOW, 100), line(NOW, 100)], { orders: 1 }, NOW).orders).toBe(2);
  });

  it('takes the larger of the CRM LTV and the sum of the lines', () => {
    expect(computeTraits([line(NOW, 1000), line(NOW, 2500)], { ltvFen: 3000 }, NOW).ltvFen).toBe(3500);
    expect(computeTraits([line(NOW, 1000), line(NOW, 2500)], { ltvFen: 9000 }, NOW).ltvFen).toBe(9000);
  });

  it('takes the latest paidAt whatever the order of the lines', () => {
    const traits = computeTraits([line(NOW - 5 * DAY_MS, 1), line(NOW - DAY_MS, 1), line(NOW - 9 * DAY_MS, 1)], {}, NOW);
    expect(traits.lastPurchaseAt).toBe(NOW - DAY_MS);
  });

  it('gives the share of lines bought with a coupon', () => {
    const lines = [line(NOW, 1, true), line(NOW, 1, false), line(NOW, 1), line(NOW, 1, true)];
    expect(computeTraits(lines, {}, NOW).couponShare).toBe(0.5);
  });

  it('scores a CRM-only buyer (no dated line) as least recent', () => {
    const traits = computeTraits([], { orders: 3, ltvFen: 50_000 }, NOW);
    expect(traits.lastPurchaseAt).toBeUndefined();
    expect(traits.rfm).toEqual({ r: 1, f: 3, m: 3, segment: '重要保持' });
  });

  it('counts days since the last purchase, Infinity for none', () => {
    expect(daysSince(NOW - 36 * 3_600_000, NOW)).toBe(1.5);
    expect(daysSince(undefined, NOW)).toBe(Infinity);
  });
});

describe('RFM groups', () => {
  const cases: [string, number, number, number, object][] = [
    ['重要价值', 10 * DAY_MS, 3, 30_000, { r: 4, f: 3, m: 3 }],
    ['重要发展', 5 * DAY_MS, 2, 50_000, { r: 5, f: 2, m: 3 }],
    ['重要保持', 100 * DAY_MS, 3, 100_000, { r: 2, f: 3, m: 4 }],
    ['重要挽留', 200 * DAY_MS, 1, 300_000, { r: 1, f: 1, m: 5 }],
    ['一般价值', 3 * DAY_MS, 6, 29_999, { r: 5, f: 4, m: 2 }],
    ['一般发展', DAY_MS, 1, 5_000, { r: 5, f: 1, m: 1 }],
    ['一般保持', 91 * DAY_MS, 12, 12_000, { r: 2, f: 5, m: 2 }],
    ['一般挽留', 181 * DAY_MS, 1, 9_999, { r: 1, f: 1, m: 1 }],
  ];
  for (const [segment, ago, orders, ltvFen, scores] of cases) {
    it(segment, () => expect(rfm(ago, orders, ltvFen)).toEqual({ ...scores, segment }));
  }

  it('reads the group from the order lines alone', () => {
    const lines = [line(NOW - 40 * DAY_MS, 20_000, true), line(NOW - 2 * DAY_MS, 15_000)];
    expect(computeTraits(lines, {}, NOW).rfm).toEqual({ r: 5, f: 2, m: 3, segment: '重要发展' });
  });
});

describe('RFM thresholds', () => {
  it('scores recency at 7, 30, 90 and 180 days', () => {
    const r = (ago: number) => rfm(ago, 1, 0)!.r;
    expect([0, 7 * DAY_MS, 7 * DAY_MS + 1].map(r)).toEqual([5, 5, 4]);
    expect([30 * DAY_MS, 30 * DAY_MS + 1].map(r)).toEqual([4, 3]);
    expect([90 * DAY_MS, 90 * DAY_MS + 1].map(r)).toEqual([3, 2]);
    expect([180 * DAY_MS, 180 * DAY_MS + 1].map(r)).toEqual([2, 1]);
  });

  it('scores a purchase dated after now as most recent', () => {
    expect(rfm(-DAY_MS, 1, 0)!.r).toBe(5);
  });

  it('scores frequency at 2, 3, 6 and 12 orders', () => {
    const f = (orders: number) => rfm(0, orders, 0)!.f;
    expect([1, 2, 3, 5, 6, 11, 12, 40].map(f)).toEqual([1, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('scores monetary at ¥100, ¥300, ¥1000 and ¥3000', () => {
    const m = (fen: number) => rfm(0, 1, fen)!.m;
    expect([0, 9_999, 10_000, 29_999, 30_000, 99_999, 100_000, 299_999, 300_000].map(m)).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5,
    ]);
  });

  it('calls a score of 3 high and 2 low', () => {
    expect(rfm(90 * DAY_MS, 3, 30_000)!.segment).toBe('重要价值');
    expect(rfm(90 * DAY_MS + 1, 3, 30_000)!.segment).toBe('重要保持');
    expect(rfm(0, 2, 30_000)!.segment).toBe('重要发展');
    expect(rfm(0, 3, 29_999)!.segment).toBe('一般价值');
  });
});
