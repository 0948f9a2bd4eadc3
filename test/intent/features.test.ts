import { describe, expect, it } from 'vitest';
import type { EventBody } from '../../src-main/events/live-event';
import { F, FEATURE_COUNT, IntentTracker, questionTopic } from '../../src-main/intent/features';
import { reasonText } from '../../src-main/intent/reasons';
import type { PersonFacts } from '../../src-main/profiles/person';
import type { Purchase } from '../../src-main/profiles/records';
import { computeTraits, DAY_MS } from '../../src-main/profiles/traits';
import { ev } from '../helpers/events';

const T = Date.UTC(2026, 10, 23, 20);
const MIN = 60_000;

function person(id: number, lines: Purchase[] = [], extra: Partial<PersonFacts> = {}): PersonFacts {
  return {
    id,
    provisional: lines.length === 0,
    platforms: ['douyin'],
    tags: new Set(),
    traits: computeTraits(lines, {}, T),
    bought: new Set(lines.map((l) => l.productId)),
    suppressed: false,
    segments: 0,
    ...extra,
  };
}

/** Plays `[minute, body]` steps for one viewer and returns their features at `atMinute`. */
function featuresOf(who: PersonFacts, steps: [number, EventBody][], atMinute: number, tracker = new IntentTracker()): Float64Array {
  let slot = -1;
  for (const [minute, body] of steps) slot = tracker.observe(ev(T + minute * MIN, body, `u${who.id}`), who);
  const x = new Float64Array(FEATURE_COUNT);
  tracker.write(slot, T + atMinute * MIN, x);
  return x;
}

const count = (x: Float64Array, feature: number) => Math.round(Math.expm1(x[feature]));

describe('intent features', () => {
  it('follows a session: watch time over visits, products seen and clicked, a cart and an order until paid', () => {
    const steps: [number, EventBody][] = [
      [0, { kind: 'enter' }],
      [1, { kind: 'like', count: 3 }],
      [2, { kind: 'product_exposure', productId: 'p1' }],
      [2.5, { kind: 'product_click', productId: 'p1' }],
      [3, { kind: 'cart_add', productId: 'p1', quantity: 1 }],
      [5, { kind: 'leave' }],
      [10, { kind: 'enter' }],
      [11, { kind: 'order_created', orderId: 'o1', productId: 'p1', amountFen: 29_900 }],
    ];
    const tracker = new IntentTracker();
    const viewer = person(1);
    const x = featuresOf(viewer, steps, 12, tracker);
    expect(count(x, F.watch)).toBe(7); // 5 minutes, then 2 more since coming back
    expect([count(x, F.exposures), count(x, F.clicks), count(x, F.paidHere)]).toEqual([1, 1, 0]);
    expect([x[F.cartOpen], x[F.cartWait], x[F.orderOpen], x[F.orderWait]]).toEqual([1, 9, 1, 1]);
    expect(Math.expm1(x[F.activity])).toBeCloseTo(1 / 7); // one like event in seven minutes
    expect(reasonText('cart', x)).toBe('加购未付 9 分钟');
    expect(reasonText('order', x)).toBe('下单未付 1 分钟');
    expect(reasonText('watch', x)).toBe('已看 7 分钟');

    const paid = featuresOf(viewer, [[12.5, { kind: 'order_paid', orderId: 'o1', productId: 'p1', amountFen: 29_900 }]], 13, tracker);
    expect([paid[F.cartOpen], paid[F.cartWait], paid[F.orderOpen], count(paid, F.paidHere)]).toEqual([0, 0, 0, 1]);
    expect(reasonText('paid', paid)).toBe('本场已付 1 单');
    expect(tracker.size).toBe(1);
  });

  it('counts questions by topic, from the analysis the caller already made or its own', () => {
    expect(questionTopic('160斤穿什么码？')).toBe('尺码');
    expect(questionTopic('主播好美')).toBeNull();
    const tracker = new IntentTracker();
    const viewer = person(2);
    const chat = (minute: number, text: string) => ev(T + minute * MIN, { kind: 'chat', text }, 'u2');
    tracker.observe(chat(0, '160斤穿什么码？'), viewer); // analysed here
    tracker.observe(chat(1, '这个怎么卖'), viewer, '价格/优惠'); // analysed by the caller
    tracker.observe(chat(2, '能便宜点吗'), viewer, null); // the caller says it asks nothing: an interaction
    tracker.observe(chat(3, '主播好美'), viewer);
    const x = new Float64Array(FEATURE_COUNT);
    tracker.write(0, T + 4 * MIN, x);
    expect(count(x, F['asked:尺码'])).toBe(1);
    expect(count(x, F['asked:价格/优惠'])).toBe(1);
    expect(count(x, F['asked:售后'])).toBe(0);
    expect(Math.expm1(x[F.activity]) * 4).toBeCloseTo(2);
    expect(reasonText('尺码', x)).toBe('问过尺码');
    expect(reasonText('售后', x)).toBe('没问售后');
  });

  it('reads history once, when first seen: past orders, lifetime value, recency, price sensitivity, membership, platform', () => {
    const lines: Purchase[] = [
      { orderId: 'a', productId: 'p1', amountFen: 29_900, paidAt: T - 200 * DAY_MS, coupon: true },
      { orderId: 'b', productId: 'p3', amountFen: 12_900, paidAt: T - 10 * DAY_MS, coupon: false },
    ];
    const vip = person(3, lines, { level: 5, tags: new Set(['VIP']) });
    const tracker = new IntentTracker();
    const x = featuresOf(vip, [[0, { kind: 'enter' }]], 1, tracker);
    expect(count(x, F.orders)).toBe(2);
    expect(Math.expm1(x[F.ltv])).toBeCloseTo(428);
    expect(x[F.recency]).toBeCloseTo(30 / 40);
    expect([x[F.sensitivity], x[F.vip], x[F.level], x[F.provisional]]).toEqual([0.5, 1, 1, 0]);
    expect([x[F['platform:douyin']], x[F['platform:kuaishou']], x[F['platform:wechat']]]).toEqual([1, 0, 0]);
    expect(reasonText('history', x)).toBe('近 30 天买过，共 2 单');
    expect(reasonText('member', x)).toBe('VIP 会员');
    expect(reasonText('platform', x)).toBe('来自抖音');

    // An order paid in this session is paid here, not history: the facts changing does not move them.
    vip.traits = computeTraits([...lines, { orderId: 'c', productId: 'p2', amountFen: 15_900, paidAt: T + MIN }], {}, T + MIN);
    const later = featuresOf(vip, [[2, { kind: 'like', count: 1 }]], 3, tracker);
    expect(count(later, F.orders)).toBe(2);

    const old = person(4, [{ orderId: 'd', productId: 'p1', amountFen: 9_900, paidAt: T - 90 * DAY_MS }]);
    expect(reasonText('history', featuresOf(old, [[0, { kind: 'enter' }]], 0))).toBe('买过 1 单，上次 90 天前');
    expect(reasonText('history', featuresOf(person(5), [[0, { kind: 'enter' }]], 0))).toBe('从未下单');
  });

  it('knows a coupon in hand, and a price-sensitive viewer holding one, until it is used', () => {
    const sensitive = person(6, [], { tags: new Set(['价格敏感']) });
    const tracker = new IntentTracker();
    const claimed = featuresOf(sensitive, [[0, { kind: 'coupon_claimed', couponId: 'c1' }]], 1, tracker);
    expect([claimed[F.sensitivity], claimed[F.couponHeld], claimed[F.sensitiveHeld]]).toEqual([1, 1, 1]);
    expect(reasonText('coupon', claimed)).toBe('价格敏感，已领券');
    const used = featuresOf(sensitive, [[2, { kind: 'order_paid', orderId: 'o', productId: 'p1', amountFen: 100, couponId: 'c1' }]], 3, tracker);
    expect([used[F.couponHeld], used[F.sensitiveHeld]]).toEqual([0, 0]);
    expect(reasonText('coupon', used)).toBe('价格敏感，未领券');
  });

  it('counts the initial crowd present from their first act in the room, and nobody present for paying after leaving', () => {
    const tracker = new IntentTracker();
    const crowd = featuresOf(person(7), [[3, { kind: 'like', count: 1 }]], 8, tracker);
    expect(count(crowd, F.watch)).toBe(5);
    expect(tracker.isPresent(0)).toBe(true);
    const gone = person(8);
    featuresOf(gone, [[0, { kind: 'enter' }], [1, { kind: 'leave' }], [4, { kind: 'order_paid', orderId: 'o', productId: 'p1', amountFen: 100 }]], 5, tracker);
    expect(tracker.isPresent(tracker.slotOf(8))).toBe(false);
    expect(tracker.observe(ev(T, { kind: 'like', count: 1 }), undefined)).toBe(-1);
    expect(tracker.slotOf(99)).toBe(-1);
  });
});
