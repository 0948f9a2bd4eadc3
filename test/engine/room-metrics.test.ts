// The metrics engine against reference scenarios small enough to compute by hand: every KPI of
// kpis.md for the room, each platform and each product, asserted exactly.
import { describe, expect, it } from 'vitest';
import type { EventBody, LiveEvent, Platform } from '../../src-main/events/live-event';
import { RoomMetrics } from '../../src-main/metrics/room-metrics';
import { ev } from '../helpers/events';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const s = (seconds: number): number => T0 + seconds * 1000;
/** `who` is "d:a" (douyin user a), "k:x" (kuaishou user x), or "d:?" for a masked douyin guest. */
const at = (seconds: number, who: string | Platform, body: EventBody, trafficSource?: LiveEvent['trafficSource']): LiveEvent => {
  const [p, user] = who.includes(':') ? who.split(':') : [who, undefined];
  const platform: Platform = p === 'd' || p === 'douyin' ? 'douyin' : 'kuaishou';
  const e = ev(s(seconds), body, user, platform);
  if (user === '?') e.user = { id: '0', name: '神秘人', masked: true };
  return trafficSource ? { ...e, trafficSource } : e;
};

/** Two platforms, five persons and a masked guest, two products, a refund, a coupon, a leave. */
const scenario: LiveEvent[] = [
  at(0, 'douyin', { kind: 'viewer_stats', online: 100 }),
  at(1, 'kuaishou', { kind: 'viewer_stats', online: 40 }),
  at(2, 'd:a', { kind: 'enter' }, 'recommend'),
  at(3, 'd:b', { kind: 'enter' }, 'follow'),
  at(4, 'k:x', { kind: 'enter' }, 'recommend'),
  at(5, 'd:a', { kind: 'enter' }),
  at(6, 'd:?', { kind: 'enter' }, 'search'),
  at(7, 'douyin', { kind: 'product_switch', productId: 'p1', productName: '轻薄羽绒服', priceFen: 29_900 }),
  at(8, 'd:a', { kind: 'chat', text: '多少钱' }),
  at(9, 'd:a', { kind: 'chat', text: '有S码吗' }),
  at(10, 'k:x', { kind: 'chat', text: '包邮吗' }),
  at(11, 'd:?', { kind: 'chat', text: '来了' }),
  at(12, 'd:b', { kind: 'like', count: 5 }),
  at(13, 'k:x', { kind: 'follow' }),
  at(14, 'd:b', { kind: 'fansclub', action: 'join' }),
  at(15, 'd:a', { kind: 'gift', giftId: 'g', giftName: '小心心', count: 1, valueFen: 100 }),
  at(16, 'd:a', { kind: 'product_exposure', productId: 'p1' }),
  at(17, 'd:b', { kind: 'product_exposure', productId: 'p1' }),
  at(18, 'k:x', { kind: 'product_exposure', productId: 'p1' }),
  at(19, 'd:a', { kind: 'product_click', productId: 'p1' }),
  at(20, 'k:x', { kind: 'product_click', productId: 'p1' }),
  at(21, 'd:a', { kind: 'cart_add', productId: 'p1', quantity: 1 }),
  at(22, 'd:a', { kind: 'order_created', orderId: 'o1', productId: 'p1', amountFen: 29_900 }),
  at(23, 'd:a', { kind: 'order_paid', orderId: 'o1', productId: 'p1', amountFen: 29_900 }),
  at(24, 'douyin', { kind: 'product_switch', productId: 'p2', productName: '羊毛围巾', priceFen: 8_900 }),
  at(24.5, 'douyin', { kind: 'coupon_issued', couponId: 'c1', faceValueFen: 500, productId: 'p2' }),
  at(25, 'd:b', { kind: 'product_exposure', productId: 'p2' }),
  at(26, 'd:b', { kind: 'product_click', productId: 'p2' }),
  at(27, 'd:b', { kind: 'order_created', orderId: 'o2', productId: 'p2', amountFen: 8_900 }),
  at(28, 'd:b', { kind: 'order_paid', orderId: 'o2', productId: 'p2', amountFen: 8_900, couponId: 'c1' }),
  at(30, 'd:b', { kind: 'order_refund', orderId: 'o2', productId: 'p2', amountFen: 8_900 }),
  at(31, 'd:a', { kind: 'leave' }),
  at(32, 'k:x', { kind: 'private_domain_join', channel: 'wecom' }),
  at(33, 'douyin', { kind: 'ad_spend', amountFen: 10_000 }),
  at(34, 'k:y', { kind: 'enter' }),
  at(35, 'k:y', { kind: 'leave' }),
];

const noCoupons = { issued: 0, claimed: 0, redeemed: 0, gmvFen: 0 };

describe('room metrics: the reference scenario', () => {
  const m = new RoomMetrics();
  for (const e of scenario) m.apply(e);

  it('computes every room KPI exactly', () => {
    expect(m.kpis()).toEqual({
      uv: 4, // d:a, d:b, k:x, k:y; the masked guest is nobody
      pv: 6,
      comments: 4,
      commenters: 2,
      interacting: 3, // d:a (chat, gift), k:x (chat, follow), d:b (like)
      likes: 5,
      follows: 1,
      shares: 0,
      fansJoins: 1,
      giftValueFen: 100,
      funnel: { exposed: 3, clicked: 3, carted: 1, ordered: 2, paid: 2 },
      ordersCreated: 2,
      paidOrders: 2,
      gmvFen: 38_800,
      refundedOrders: 1,
      refundFen: 8_900,
      coupons: { issued: 1, claimed: 0, redeemed: 0, gmvFen: 8_900 },
      adSpendFen: 10_000,
      privateDomainJoins: 1,
      traffic: { recommend: 2, follow: 1, search: 1 },
      online: 140,
      onlineChange5m: null,
      peakOnline: 140,
      avgOnline: 140,
      // d:a 2→31 s, d:b 3→35 s (still here), k:x 4→35 s, k:y 34→35 s
      watchMs: 29_000 + 32_000 + 31_000 + 1_000,
      commentsPerMin: 4,
      productOnAir: 'p2',
      fiveMinutesAgo: undefined,
    });
  });

  it('splits them by platform', () => {
    const [douyin, kuaishou] = m.platformKpis();
    expect(douyin).toEqual({
      platform: 'douyin',
      online: 100,
      uv: 2,
      pv: 4,
      comments: 3,
      commenters: 1,
      interacting: 2,
      likes: 5,
      follows: 0,
      shares: 0,
      fansJoins: 1,
      giftValueFen: 100,
      funnel: { exposed: 2, clicked: 2, carted: 1, ordered: 2, paid: 2 },
      ordersCreated: 2,
      paidOrders: 2,
      gmvFen: 38_800,
      refundedOrders: 1,
      refundFen: 8_900,
      coupons: { issued: 1, claimed: 0, redeemed: 0, gmvFen: 8_900 },
      adSpendFen: 10_000,
      privateDomainJoins: 0,
      traffic: { recommend: 1, follow: 1, search: 1 },
    });
    expect(kuaishou).toEqual({
      platform: 'kuaishou',
      online: 40,
      uv: 2,
      pv: 2,
      comments: 1,
      commenters: 1,
      interacting: 1,
      likes: 0,
      follows: 1,
      shares: 0,
      fansJoins: 0,
      giftValueFen: 0,
      funnel: { exposed: 1, clicked: 1, carted: 0, ordered: 0, paid: 0 },
      ordersCreated: 0,
      paidOrders: 0,
      gmvFen: 0,
      refundedOrders: 0,
      refundFen: 0,
      coupons: noCoupons,
      adSpendFen: 0,
      privateDomainJoins: 1,
      traffic: { recommend: 1 },
    });
  });

  it('splits them by product, the one on air first', () => {
    expect(m.productKpis()).toEqual([
      { productId: 'p2', name: '羊毛围巾', priceFen: 8_900, onAir: true, funnel: { exposed: 1, clicked: 1, carted: 0, ordered: 1, paid: 1 }, paidOrders: 1, gmvFen: 8_900, refundFen: 8_900 },
      { productId: 'p1', name: '轻薄羽绒服', priceFen: 29_900, onAir: false, funnel: { exposed: 3, clicked: 2, carted: 1, ordered: 1, paid: 1 }, paidOrders: 1, gmvFen: 29_900, refundFen: 0 },
    ]);
  });

  it('puts the minute on the trend, with product switches and coupons as markers', () => {
    expect(m.trend()).toEqual([{ t: T0, online: 140, entries: 6, comments: 4, gmvFen: 38_800 }]);
    expect(m.recentMarkers()).toEqual([
      { ts: s(7), kind: 'product_switch', label: '轻薄羽绒服' },
      { ts: s(24), kind: 'product_switch', label: '羊毛围巾' },
      { ts: s(24.5), kind: 'coupon', label: '¥5' },
    ]);
  });
});

describe('room metrics: the reference scenario by audience segment', () => {
  // Segment bits as the profile store would give them: 过往买家 = bit 0, VIP = bit 1.
  const masks: Record<string, number> = { a: 0b01 | 0b10, b: 0b01, x: 0b10 };
  const m = new RoomMetrics([
    { id: 'past_buyers', name: '过往买家' },
    { id: 'vip', name: 'VIP' },
  ]);
  for (const e of scenario) m.apply(e, (e.user && !e.user.masked && masks[e.user.id]) || 0);

  it("counts each segment's persons and what they did, nobody else's", () => {
    const [buyers, vip] = m.segmentKpis();
    expect(buyers).toEqual({
      segment: 'past_buyers',
      name: '过往买家',
      uv: 2, // d:a, d:b
      pv: 3,
      comments: 2,
      commenters: 1,
      interacting: 2,
      likes: 5,
      follows: 0,
      shares: 0,
      fansJoins: 1,
      giftValueFen: 100,
      funnel: { exposed: 2, clicked: 2, carted: 1, ordered: 2, paid: 2 },
      ordersCreated: 2,
      paidOrders: 2,
      gmvFen: 38_800,
      refundedOrders: 1,
      refundFen: 8_900,
      coupons: { issued: 0, claimed: 0, redeemed: 0, gmvFen: 8_900 }, // the coupon was issued to the room, not to a person
      adSpendFen: 0,
      privateDomainJoins: 0,
      traffic: { recommend: 1, follow: 1 },
    });
    expect(vip).toEqual({
      segment: 'vip',
      name: 'VIP',
      uv: 2, // d:a, k:x
      pv: 3,
      comments: 3,
      commenters: 2,
      interacting: 2,
      likes: 0,
      follows: 1,
      shares: 0,
      fansJoins: 0,
      giftValueFen: 100,
      funnel: { exposed: 2, clicked: 2, carted: 1, ordered: 1, paid: 1 },
      ordersCreated: 1,
      paidOrders: 1,
      gmvFen: 29_900,
      refundedOrders: 0,
      refundFen: 0,
      coupons: noCoupons,
      adSpendFen: 0,
      privateDomainJoins: 1,
      traffic: { recommend: 2 },
    });
  });
});

describe('room metrics over time', () => {
  it('counts comments per minute over a sliding 60 seconds of event time', () => {
    const m = new RoomMetrics();
    for (let i = 0; i < 30; i++) m.apply(at(i, 'd:u', { kind: 'chat', text: '来了' }));
    expect(m.kpis().commentsPerMin).toBe(30);
    m.apply(at(70, 'd:u', { kind: 'chat', text: '来了' })); // seconds 0..10 have left the window
    expect(m.kpis().commentsPerMin).toBe(30 - 11 + 1);
    m.apply(at(200, 'douyin', { kind: 'viewer_stats', online: 5 }));
    expect(m.kpis().commentsPerMin).toBe(0);
    expect(m.kpis().comments).toBe(31);
  });

  it('compares with five minutes ago, carrying online into quiet minutes, and tracks peak and average', () => {
    const m = new RoomMetrics();
    m.apply(at(0, 'douyin', { kind: 'viewer_stats', online: 500 }));
    for (let minute = 1; minute <= 4; minute++) m.apply(at(minute * 60, `d:u${minute}`, { kind: 'enter' }));
    expect(m.kpis().onlineChange5m).toBeNull();
    m.apply(at(300, 'douyin', { kind: 'viewer_stats', online: 650 }));
    const k = m.kpis();
    expect(k.onlineChange5m).toBe(150);
    expect(k.fiveMinutesAgo).toEqual({ uv: 0, pv: 0, comments: 0, gmvFen: 0, paidOrders: 0 });
    expect(m.trend().map((p) => p.online)).toEqual([500, 500, 500, 500, 500, 650]);
    expect([k.peakOnline, k.avgOnline]).toEqual([650, 525]);
  });

  it('puts a late event into its own minute, and ignores a stale online sample', () => {
    const m = new RoomMetrics();
    m.apply(at(10, 'douyin', { kind: 'viewer_stats', online: 10 }));
    m.apply(at(70, 'douyin', { kind: 'viewer_stats', online: 20 }));
    m.apply(at(50, 'douyin', { kind: 'viewer_stats', online: 15 })); // arrives after the 70 s sample: stale
    m.apply(at(55, 'd:a', { kind: 'order_paid', orderId: 'o', productId: 'p', amountFen: 100 }));
    expect(m.kpis().online).toBe(20);
    expect(m.trend()).toEqual([
      { t: T0, online: 10, entries: 0, comments: 0, gmvFen: 100 },
      { t: T0 + 60_000, online: 20, entries: 0, comments: 0, gmvFen: 0 },
    ]);
  });

  it('counts as a viewer someone acting in the room without an entry we saw, but not a late payment', () => {
    const m = new RoomMetrics();
    m.apply(at(0, 'd:early', { kind: 'chat', text: '一直在' })); // was here before we connected
    m.apply(at(1, 'd:buyer', { kind: 'order_paid', orderId: 'o', productId: 'p', amountFen: 100 })); // from the order system
    const k = m.kpis();
    expect([k.uv, k.pv, k.interacting, k.funnel.paid]).toEqual([1, 0, 1, 1]);
    expect(k.watchMs).toBe(1_000); // d:early present from 0 s to the clock at 1 s
  });

  it('sums online over the platforms of one room: the latest count of each', () => {
    const m = new RoomMetrics();
    m.apply(at(0, 'douyin', { kind: 'viewer_stats', online: 300 }));
    m.apply(at(1, 'kuaishou', { kind: 'viewer_stats', online: 120 }));
    expect(m.kpis().online).toBe(420);
    m.apply(at(4, 'douyin', { kind: 'viewer_stats', online: 250 }));
    m.apply(at(2, 'douyin', { kind: 'viewer_stats', online: 1 })); // late, stale
    expect(m.kpis().online).toBe(370);
    expect(m.platformKpis().map((p) => [p.platform, p.online])).toEqual([
      ['douyin', 250],
      ['kuaishou', 120],
    ]);
  });
});
