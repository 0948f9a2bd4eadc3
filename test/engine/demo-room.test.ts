import { beforeAll, describe, expect, it } from 'vitest';
import { checkEvent } from '../../src-main/events/check';
import { eventKinds, type EventKind, type EventOf, type LiveEvent } from '../../src-main/events/live-event';
import { crmTags, demoProfiles, type DemoProfile } from '../../src-main/sources/demo/audience';
import { products } from '../../src-main/sources/demo/catalog';
import { defaultFunnel, DemoRoom, type DemoRoomOptions } from '../../src-main/sources/demo/demo-room';

const START = Date.UTC(2026, 10, 23, 12, 0, 0);
const SECOND = 1_000;
const MINUTE = 60_000;
const profiles = demoProfiles();

/** Plays `room` from START to START + `durationMs`, one simulated second per call, handing each event to `visit`. */
function play(room: DemoRoom, durationMs: number, visit: (e: LiveEvent) => void): void {
  for (let t = START + SECOND - 1; t < START + durationMs; t += SECOND) for (const e of room.eventsUntil(t)) visit(e);
}

function collect(options: Partial<DemoRoomOptions>, durationMs: number): LiveEvent[] {
  return new DemoRoom({ seed: 1, startTs: START, rate: 100, ...options }).eventsUntil(START + durationMs - 1);
}

function countByKind(events: LiveEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return counts;
}

/** Kinds a viewer does in the room, which only present viewers may do. */
const inRoomKinds = new Set<EventKind>(['chat', 'like', 'gift', 'follow', 'share', 'fansclub', 'private_domain_join', 'coupon_claimed', 'product_exposure', 'product_click', 'cart_add']);

describe('demo room: determinism and time', () => {
  it.each([
    { rate: 50, durationMs: 10 * MINUTE },
    { rate: 5_000, durationMs: 20 * SECOND },
  ])('plays the same events for the same seed whatever the chunking of the calls, other events for another seed ($rate events/s)', ({ rate, durationMs }) => {
    const whole = collect({ seed: 7, rate }, durationMs);
    const room = new DemoRoom({ seed: 7, startTs: START, rate });
    const chunked: LiveEvent[] = [];
    let t = START - 5;
    for (let step = 1; t < START + durationMs - 1; step = (step * 7 + 3) % 4_001) {
      t = Math.min(t + step, START + durationMs - 1);
      chunked.push(...room.eventsUntil(t));
    }
    expect(chunked).toEqual(whole);
    expect(collect({ seed: 8, rate }, durationMs)).not.toEqual(whole);
  });

  it('emits events in time order, up to the asked time, with unique ids, received when they happen', () => {
    const room = new DemoRoom({ seed: 1, startTs: START, rate: 2_000 });
    const first = room.eventsUntil(START + 30_000);
    const second = room.eventsUntil(START + 60_000);
    const all = [...first, ...second];
    expect(first.every((e) => e.ts <= START + 30_000)).toBe(true);
    expect(second.every((e) => e.ts > START + 30_000 && e.ts <= START + 60_000)).toBe(true);
    expect(all.filter((e, i) => i > 0 && e.ts < all[i - 1].ts)).toEqual([]);
    expect(all.every((e) => e.recvTs === e.ts && e.ts >= START)).toBe(true);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all.slice(0, 3).map((e) => [e.kind, e.platform])).toEqual([
      ['live_start', 'douyin'],
      ['live_start', 'kuaishou'],
      ['live_start', 'wechat'],
    ]);
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => new DemoRoom({ seed: 1, startTs: START, rate: 0 })).toThrow(RangeError);
    expect(() => new DemoRoom({ seed: 1, startTs: START, rate: Number.NaN })).toThrow(RangeError);
  });
});

describe('demo room: a believable live-commerce room', () => {
  // Twenty minutes at 100 events/s with many refunds, so that every kind shows up.
  let events: LiveEvent[];
  let counts: Record<string, number>;
  beforeAll(() => {
    events = collect({ rate: 100, funnel: { paidToRefund: 0.5 } }, 20 * MINUTE);
    counts = countByKind(events);
  });

  it('produces only events valid under the event model, of every kind but live_end', () => {
    const invalid = events.map((e) => checkEvent(e)).filter((c) => !c.ok);
    expect(invalid).toEqual([]);
    expect(eventKinds.filter((k) => !counts[k])).toEqual(['live_end']);
  });

  it('reports viewers every 2 s per platform, ad spend every minute on Douyin, a product switch every few minutes', () => {
    for (const platform of ['douyin', 'kuaishou', 'wechat']) {
      const stats = events.filter((e) => e.kind === 'viewer_stats' && e.platform === platform);
      expect(stats).toHaveLength(600);
      expect(stats.every((e, i) => e.ts === START + 2_000 * i)).toBe(true);
      expect(stats.every((e) => e.kind === 'viewer_stats' && e.online > 0 && e.online <= e.totalViewers!)).toBe(true);
    }
    const spend = events.filter((e) => e.kind === 'ad_spend');
    expect(spend.map((e) => e.ts - START)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((m) => m * MINUTE));
    expect(spend.every((e) => e.platform === 'douyin' && e.kind === 'ad_spend' && e.amountFen > 0)).toBe(true);
    const switches = events.filter((e) => e.kind === 'product_switch' && e.platform === 'douyin');
    expect(switches.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < switches.length; i++) {
      expect(switches[i].ts - switches[i - 1].ts).toBeGreaterThanOrEqual(3 * MINUTE);
      expect(switches[i].ts - switches[i - 1].ts).toBeLessThanOrEqual(6 * MINUTE);
    }
  });

  it('has a lineup of eight products in four categories, priced in fen', () => {
    expect(products).toHaveLength(8);
    expect(new Set(products.map((p) => p.category))).toEqual(new Set(['服饰', '美妆', '食品', '家居']));
    expect(products.every((p) => Number.isInteger(p.priceFen) && p.priceFen > 0)).toBe(true);
  });

  it('chats in Chinese, asking mostly about the product on air, on every topic ops care about', () => {
    const chats = events.filter((e) => e.kind === 'chat');
    expect(chats.length).toBeGreaterThan(20_000);
    expect(chats.every((e) => /[\u4e00-\u9fff]|666/.test(e.text))).toBe(true);
    const texts = chats.map((e) => e.text).join('\n');
    for (const topic of [/码/, /多少钱|什么价/, /券/, /发货|快递/, /材质|成分|配料/, /适合|能用|能吃|能穿/, /几号/, /库存|补货|抢光/, /退换|无理由|运费险/]) {
      expect(texts).toMatch(topic);
    }
    expect(texts).toMatch(/\d号链接多少钱/);
    // Of the chats that name a product (by name or link number), most name the one on air.
    let onAir = products[0];
    let naming = 0;
    let namingOnAir = 0;
    for (const e of events) {
      if (e.kind === 'product_switch') onAir = products.find((p) => p.id === e.productId)!;
      if (e.kind !== 'chat') continue;
      const named = products.filter((p, i) => e.text.includes(p.name) || e.text.includes(`${i + 1}号`));
      if (named.length !== 1) continue;
      naming++;
      if (named[0] === onAir) namingOnAir++;
    }
    expect(naming).toBeGreaterThan(2_000);
    expect(namingOnAir / naming).toBeGreaterThan(0.75);
  });

  it('sends gifts with their value, free ones at 0, and combo streaks counted once per event', () => {
    const giftEvents = events.filter((e): e is EventOf<'gift'> => e.kind === 'gift');
    expect(giftEvents.some((e) => e.valueFen === 0)).toBe(true);
    expect(giftEvents.some((e) => e.valueFen >= 100_000)).toBe(true);
    const streaks = new Map<string, EventOf<'gift'>[]>();
    for (const e of giftEvents) if (e.streakId) streaks.set(e.streakId, [...(streaks.get(e.streakId) ?? []), e]);
    expect([...streaks.values()].some((s) => s.length >= 5)).toBe(true);
    for (const streak of streaks.values()) {
      expect(new Set(streak.map((e) => `${e.user!.id} ${e.giftId} ${e.count}`))).toEqual(new Set([`${streak[0].user!.id} ${streak[0].giftId} 1`]));
    }
  });

  it('ties coupons to orders: issued for the product on air, claimed, redeemed on the paid order', () => {
    const issued = new Set(events.flatMap((e) => (e.kind === 'coupon_issued' ? [e.couponId] : [])));
    const claimedBy = new Set(events.flatMap((e) => (e.kind === 'coupon_claimed' ? [`${e.user!.id} ${e.couponId}`] : [])));
    expect([...claimedBy].every((c) => issued.has(c.split(' ')[1]))).toBe(true);
    const paidWithCoupon = events.filter((e) => e.kind === 'order_paid' && e.couponId);
    expect(paidWithCoupon.length).toBeGreaterThan(10);
    const redeemed = new Map(events.flatMap((e) => (e.kind === 'coupon_redeemed' ? [[e.orderId, e.couponId] as const] : [])));
    for (const paid of paidWithCoupon) {
      if (paid.kind !== 'order_paid') continue;
      expect(redeemed.get(paid.orderId)).toBe(paid.couponId);
      expect(claimedBy.has(`${paid.user!.id} ${paid.couponId}`)).toBe(true);
    }
  });

  it('lets only present viewers act: nobody chats, likes or clicks after leaving until they come back', () => {
    const gone = new Set<string>();
    const inside = new Set<string>();
    const wrong: string[] = [];
    for (const e of events) {
      if (!e.user) continue;
      const who = `${e.platform} ${e.user.id}`;
      if (e.kind === 'enter') {
        if (inside.has(who)) wrong.push(`${who} entered twice`);
        inside.add(who);
        gone.delete(who);
      } else if (e.kind === 'leave') {
        if (gone.has(who)) wrong.push(`${who} left twice`);
        gone.add(who);
        inside.delete(who);
      } else if (inRoomKinds.has(e.kind) && gone.has(who)) {
        wrong.push(`${e.kind} from ${who} after leaving`);
      }
    }
    expect(wrong).toEqual([]);
    expect(counts.leave).toBeGreaterThan(5_000);
  });

  it('moves in engagement waves: chat per minute rises and falls', () => {
    const perMinute = Array.from({ length: 20 }, () => 0);
    for (const e of events) if (e.kind === 'chat') perMinute[Math.floor((e.ts - START) / MINUTE)]++;
    expect(Math.max(...perMinute) / Math.min(...perMinute)).toBeGreaterThan(1.6);
  });
});

describe('demo room: the audience', () => {
  const uidOwner = new Map<string, { profile: DemoProfile; platform: string }>();
  for (const profile of profiles) for (const [platform, uid] of Object.entries(profile.uids)) uidOwner.set(uid, { profile, platform });

  it('draws deterministic CRM profiles with phone, uids, tags, level and past orders', () => {
    expect(demoProfiles()).toEqual(profiles);
    expect(profiles).toHaveLength(3_000);
    expect(new Set(profiles.map((p) => p.crmId)).size).toBe(3_000);
    expect(new Set(profiles.map((p) => p.phone)).size).toBe(3_000);
    expect(uidOwner.size).toBe(profiles.reduce((n, p) => n + Object.keys(p.uids).length, 0));
    for (const p of profiles) {
      expect(p.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(p.name).toMatch(/[\u4e00-\u9fff]/);
      const uids = Object.entries(p.uids);
      expect(uids.length === 1 || uids.length === 2).toBe(true);
      for (const [platform, uid] of uids) expect(uid.startsWith({ douyin: 'dy_', kuaishou: 'ks_', wechat: 'wx_' }[platform]!)).toBe(true);
      if (p.uids.wechat) expect(p.unionId).toMatch(/^o[\w-]{27}$/);
      expect(p.tags.every((t) => (crmTags as readonly string[]).includes(t))).toBe(true);
      expect(p.level).toBeGreaterThanOrEqual(1);
      expect(p.level).toBeLessThanOrEqual(5);
      for (const o of p.orders) {
        expect(products.some((x) => x.id === o.productId)).toBe(true);
        expect(Number.isInteger(o.amountFen) && o.amountFen > 0).toBe(true);
      }
    }
    for (const tag of crmTags) expect(profiles.some((p) => p.tags.includes(tag)), tag).toBe(true);
    expect(profiles.filter((p) => p.unionId).length).toBeGreaterThan(500);
    expect(demoProfiles(2)).not.toEqual(profiles);
  });

  it('is the CRM profiles (their platform uids, on the right platform) plus about 60% anonymous arrivals, some masked', () => {
    const events = collect({ rate: 200 }, 30 * MINUTE);
    const wrong: LiveEvent[] = [];
    let enters = 0;
    let anonymous = 0;
    let vipEnters = 0;
    for (const e of events) {
      if (!e.user) continue;
      const owner = uidOwner.get(e.user.id);
      const fits = owner
        ? e.platform === owner.platform && e.user.name === owner.profile.name && !e.user.masked
        : /^(dy|ks|wx)_(a|guest)\d+$/.test(e.user.id) && e.user.id.startsWith({ douyin: 'dy', kuaishou: 'ks', wechat: 'wx' }[e.platform as string]!);
      if (!fits) wrong.push(e);
      if (e.kind !== 'enter') continue;
      enters++;
      if (!owner) anonymous++;
      if (owner?.profile.tags.includes('VIP')) vipEnters++;
      if (!['recommend', 'follow', 'search', 'paid', 'share'].includes(e.trafficSource!)) wrong.push(e);
    }
    expect(wrong).toEqual([]);
    expect(anonymous / enters).toBeGreaterThan(0.55);
    expect(anonymous / enters).toBeLessThan(0.65);
    expect(vipEnters).toBeGreaterThan(10);
    const masked = events.filter((e) => e.user?.masked);
    expect(masked.length).toBeGreaterThan(0);
    expect(masked.every((e) => e.user!.id.includes('_guest') && e.user!.name === '神秘人')).toBe(true);
    expect(events.some((e) => e.kind === 'enter' && e.trafficSource === 'paid' && e.platform !== 'douyin')).toBe(false);
  });
});

describe('demo room: funnel and rate', () => {
  describe('over two hours at 200 events/s', () => {
    const end = START + 2 * 60 * MINUTE;
    const counts: Record<string, number> = {};
    const visits: number[] = [];
    let paidEarly = 0;
    let refundedEarly = 0;
    let paidBeforeCreated = 0;
    beforeAll(() => {
      const entered = new Map<string, number>();
      const created = new Set<string>();
      const paidAt = new Map<string, number>();
      play(new DemoRoom({ seed: 9, startTs: START, rate: 200 }), end - START, (e) => {
        counts[e.kind] = (counts[e.kind] ?? 0) + 1;
        const who = e.user && `${e.platform} ${e.user.id}`;
        if (e.kind === 'enter') entered.set(who!, e.ts);
        if (e.kind === 'leave' && entered.has(who!)) visits.push(e.ts - entered.get(who!)!);
        if (e.kind === 'order_created') created.add(e.orderId);
        if (e.kind === 'order_paid') {
          if (!created.has(e.orderId)) paidBeforeCreated++;
          paidAt.set(e.orderId, e.ts);
        }
        if (e.kind === 'order_refund' && paidAt.get(e.orderId)! < end - 40 * MINUTE) refundedEarly++;
      });
      paidEarly = [...paidAt.values()].filter((ts) => ts < end - 40 * MINUTE).length;
    }, 30_000);

    it('converts along the funnel at the configured rates (±25%)', () => {
      const within = (actual: number, configured: number): void => {
        expect(actual).toBeGreaterThan(configured * 0.75);
        expect(actual).toBeLessThan(configured * 1.25);
      };
      expect(counts.product_exposure).toBeGreaterThan(100_000);
      within(counts.product_click / counts.product_exposure, defaultFunnel.exposureToClick);
      within(counts.cart_add / counts.product_click, defaultFunnel.clickToCart);
      within(counts.order_created / counts.cart_add, defaultFunnel.cartToOrder);
      within(counts.order_paid / counts.order_created, defaultFunnel.orderToPaid);
      // Refunds come up to 40 minutes after payment: count those of orders paid before that.
      within(refundedEarly / paidEarly, defaultFunnel.paidToRefund);
      expect(paidBeforeCreated).toBe(0);
    });

    it('keeps viewers a heavy-tailed time: most visits end within two minutes, some last past half an hour', () => {
      expect(visits.length).toBeGreaterThan(50_000);
      expect(visits.filter((v) => v < 2 * MINUTE).length / visits.length).toBeGreaterThan(0.6);
      expect(visits.filter((v) => v > 30 * MINUTE).length / visits.length).toBeGreaterThan(0.01);
    });
  });

  it('follows a funnel given in the options', () => {
    const counts = countByKind(collect({ rate: 200, funnel: { exposureToClick: 0.4, clickToCart: 0.1 } }, 20 * MINUTE));
    expect(counts.product_click / counts.product_exposure).toBeCloseTo(0.4, 1);
    expect(counts.cart_add / counts.product_click).toBeCloseTo(0.1, 1);
  });

  it.each([
    { rate: 10, minutes: 10 },
    { rate: 200, minutes: 3 },
    { rate: 50_000, minutes: 1 },
  ])('keeps to $rate events/s within ±10% over each simulated minute', ({ rate, minutes }) => {
    const room = new DemoRoom({ seed: 2, startTs: START, rate });
    const perMinute = Array.from({ length: minutes }, () => 0);
    play(room, minutes * MINUTE, (e) => perMinute[Math.floor((e.ts - START) / MINUTE)]++);
    for (const n of perMinute) {
      expect(n / 60).toBeGreaterThan(rate * 0.9);
      expect(n / 60).toBeLessThan(rate * 1.1);
    }
  }, 30_000);

  it('generates a million events well under five seconds', () => {
    const room = new DemoRoom({ seed: 3, startTs: START, rate: 50_000 });
    const started = performance.now();
    let n = 0;
    for (let t = START; n < 1_000_000; t += 50) n += room.eventsUntil(t).length;
    const elapsed = performance.now() - started;
    console.log(`demo room: ${n} events in ${Math.round(elapsed)} ms (${Math.round((n / elapsed) * 1000)} events/s)`);
    expect(elapsed).toBeLessThan(5_000);
  }, 30_000);
});
