// The demo room: a simulated live-commerce room broadcast on Douyin, Kuaishou and WeChat Channels at
// once, deterministic from its seed. An audience of CRM profiles and anonymous viewers arrives (with a
// traffic source) and leaves after heavy-tailed watch times; while present, viewers chat (questions
// about the product on air, small talk), like, send gifts (with combos), follow, join the fans club,
// share, claim coupons and see products, and some of them go down the funnel exposure → click → cart
// → order → payment (→ refund), the more likely the more they lean to buy (lean.ts: past orders, VIP,
// price sensitivity and a coupon in hand, coming to shop rather than to watch, questions asked this
// visit); some hesitate minutes between cart and order. Room counters (viewer_stats every 2 s per
// platform, ad_spend every minute, product switches and coupons every few minutes) come on top. The `rate` is the total: every
// kind counts. No work grows with the number of events: a binary heap for everything scheduled, arrays
// with swap-remove for who is present, chat text precomputed per product.
import type { EventUser, LiveEvent } from '../../events/live-event';
import { demoProfiles, drawPlatform, nickname, type DemoProfile } from './audience';
import {
  adChannel,
  anchorQuestions,
  demoPlatforms,
  fansClubName,
  gifts,
  liveTitle,
  productQuestions,
  products,
  smallTalk,
  tagQuestions,
  uidPrefixes,
  type DemoProduct,
  type QuestionTemplate,
} from './catalog';
import { BROWSER_PASSES, BROWSER_QUESTION_SHARE, FunnelStep, profileLean, SHOPPER_QUESTION_SHARE, shopperChance, visitLean } from './lean';
import { cumulative, Random } from './random';

/** Conversion rates between the steps of the funnel, each of the step before. */
export interface FunnelRates {
  exposureToClick: number;
  clickToCart: number;
  cartToOrder: number;
  orderToPaid: number;
  paidToRefund: number;
}

export const defaultFunnel: FunnelRates = { exposureToClick: 0.12, clickToCart: 0.35, cartToOrder: 0.6, orderToPaid: 0.85, paidToRefund: 0.03 };

export interface DemoRoomOptions {
  seed: number;
  /** Simulated time of the first event, ms. */
  startTs: number;
  /** Events per second, all kinds together (within a few percent over a minute). */
  rate: number;
  funnel?: Partial<FunnelRates>;
  /** The known people in the audience; `demoProfiles()` by default. */
  profiles?: readonly DemoProfile[];
}

interface Viewer {
  readonly uid: string;
  readonly name: string;
  /** Index into `demoPlatforms`. */
  readonly platform: number;
  readonly masked: boolean;
  readonly level: number;
  /** Index into the profiles, −1 for an anonymous viewer. */
  readonly profile: number;
  /** What the viewer's history makes of their lean to buy (lean.ts). */
  readonly lean: number;
  readonly priceSensitive: boolean;
  /** The current visit is to shop (not just to watch). */
  shopper: boolean;
  /** Questions about the product on air asked in the current visit. */
  asked: number;
  following: boolean;
  /** Fans club level, 0 when not a member. */
  fansLevel: number;
  /** A claimed coupon not used yet. */
  coupon: Coupon | undefined;
  /** Index in the present list, −1 when away. */
  slot: number;
  /** Watch-time kind of the current visit (index into `stays`). */
  stay: number;
  leaveTs: number;
  /** Already counted in the platform's total viewers. */
  counted: boolean;
}

interface Coupon {
  id: string;
  productId: string;
  faceValueFen: number;
  thresholdFen: number;
  untilTs: number;
}

type Emit = (ts: number, out: LiveEvent[]) => void;

const MINUTE = 60_000;
const STATS_EVERY_MS = 2_000;
const SWITCH_EVERY_MS = [180_000, 360_000] as const;
const COUPON_AFTER_SWITCH_MS = [45_000, 120_000] as const;
const COUPON_VALID_MS = 5 * MINUTE;
/** Arrivals' share of the rate, while the present audience is under its cap. */
const ENTER_SHARE = 0.09;
const MAX_PRESENT = 100_000;
/** Share of the steady audience already waiting when the broadcast starts. */
const INITIAL_CROWD = 0.5;
const ANONYMOUS_SHARE = 0.6;
/** Of new anonymous arrivals: guests the platform masks. */
const GUEST_SHARE = 0.15;
/** Of anonymous arrivals: someone who left earlier and comes back. */
const RETURN_SHARE = 0.15;
const RETURN_POOL = 2_000;
/** Watch time, a mix of exponentials: 70% leave within two minutes, about 3% stay past half an hour. */
const stays = [
  { share: 0.65, meanMs: 45_000 },
  { share: 0.28, meanMs: 300_000 },
  { share: 0.07, meanMs: 2_100_000 },
];
const MEAN_STAY_MS = stays.reduce((sum, s) => sum + s.share * s.meanMs, 0);
const stayTotals = cumulative(stays.map((s) => s.share));
/** Who is present at a given moment: long visits weigh by their length. */
const presentStayTotals = cumulative(stays.map((s) => s.share * s.meanMs));
/** Real viewers per simulated one, per platform: online = present × scale. */
const onlineScale = [30, 20, 12];
const trafficSources = ['recommend', 'follow', 'search', 'paid', 'share'] as const;
/** Traffic source shares per platform; paid traffic (投流) only on Douyin. */
const trafficTotals = [cumulative([0.5, 0.15, 0.07, 0.2, 0.08]), cumulative([0.6, 0.2, 0.1, 0, 0.1]), cumulative([0.45, 0.2, 0.05, 0, 0.3])];
const PAID_PLATFORM = 0;
/** Ad spend per simulated paid arrival (each stands for `onlineScale` real ones). */
const SPEND_PER_PAID_ARRIVAL_FEN = 80 * onlineScale[PAID_PLATFORM];

/** Of the present viewers' actions: product exposures; the engaged kinds below scale with the wave. */
const EXPOSURE_SHARE = 0.12;
const engagedKinds = ['chat', 'gift', 'follow', 'share', 'fansclub', 'private_domain_join', 'coupon_claimed'] as const;
const engagedTotals = cumulative([0.33, 0.05, 0.02, 0.012, 0.005, 0.003, 0.01]);
const GIFT_SHARE = engagedTotals[1] - engagedTotals[0];
const ON_AIR_EXPOSURE = 0.75;
const STREAK_CHANCE = 0.35;
const STREAK_EXTRA = [1, 8] as const;
const giftTotals = cumulative(gifts.map((g) => g.weight));
const streakExtrasPerGift =
  (STREAK_CHANCE * ((STREAK_EXTRA[0] + STREAK_EXTRA[1]) / 2) * gifts.reduce((sum, g) => sum + (g.combo ? g.weight : 0), 0)) /
  giftTotals[giftTotals.length - 1];
/** From cart to order: most decide within a minute, some hesitate for minutes (a coupon, the end of the pitch). */
const QUICK_WAIT_MS = 30_000;
const HESITANT_SHARE = 0.5;
const HESITANT_WAIT_MS = 10 * MINUTE;
const MAX_CART_WAIT_MS = 30 * MINUTE;
/** A viewer adding the coupon's product to the cart claims it first, if not done yet. */
const CART_CLAIM_CHANCE = 0.5;
/** Measured, for the rate budget: claims per cart add, redemptions per paid order. */
const CLAIMS_PER_CART = 0.3;
const REDEEM_SHARE = 0.3;
const MEAN_SWITCH_MS = (SWITCH_EVERY_MS[0] + SWITCH_EVERY_MS[1]) / 2;
/** Events per second that do not depend on the audience: stats, ad spend, product switches and coupons. */
const FIXED_RATE = (demoPlatforms.length * 1000) / STATS_EVERY_MS + 1000 / MINUTE + (2 * demoPlatforms.length * 1000) / MEAN_SWITCH_MS;

const roomIds = demoPlatforms.map((p) => `demo-${p}`);

export class DemoRoom {
  private readonly random: Random;
  private readonly startTs: number;
  private readonly rate: number;
  private readonly funnel: FunnelRates;
  private readonly toClick: FunnelStep;
  private readonly toCart: FunnelStep;
  /** Expected funnel events (and coupon claims and redemptions) that follow one exposure. */
  private readonly funnelFollowUps: number;
  private readonly arrivalRate: number;
  private readonly agenda = new Agenda();
  private readonly wavePhases: [number, number];

  /** Viewer accounts of each profile, one per platform uid. */
  private readonly accounts: Viewer[][];
  private readonly questionTags: string[][];
  /** Profiles not in the room. */
  private readonly away: number[];
  private readonly present: Viewer[] = [];
  /** Anonymous viewers who left and may come back. */
  private readonly departed: Viewer[] = [];
  private readonly presentOn = demoPlatforms.map(() => 0);
  private readonly stayCounts = stays.map(() => 0);
  private readonly viewersOn = demoPlatforms.map(() => 0);
  private readonly likesOn = demoPlatforms.map(() => 0);
  private readonly coupons: (Coupon | undefined)[] = demoPlatforms.map(() => undefined);
  private readonly texts = products.map((p, i) => productTexts(p, i + 1));

  /** Simulated time of the next audience event (arrival or action), fractional ms. */
  private clock: number;
  private arrivalShare = 0;
  private onAir = 0;
  private paidArrivals = 0;
  private seq = 0;
  private anonSeq = 0;
  private orderSeq = 0;
  private couponSeq = 0;
  private streakSeq = 0;
  private waveTs = -1;
  private wave = 1;

  constructor({ seed, startTs, rate, funnel, profiles = demoProfiles() }: DemoRoomOptions) {
    if (!(rate > 0 && Number.isFinite(rate))) throw new RangeError(`demo rate must be a positive number, got ${rate}`);
    this.random = new Random(seed);
    this.startTs = startTs;
    this.rate = rate;
    this.funnel = { ...defaultFunnel, ...funnel };
    this.toClick = new FunnelStep(this.funnel.exposureToClick);
    this.toCart = new FunnelStep(this.funnel.clickToCart);
    this.funnelFollowUps = eventsAfterExposure(this.funnel);
    this.arrivalRate = Math.min(ENTER_SHARE * rate, (MAX_PRESENT * 1000) / MEAN_STAY_MS);
    this.wavePhases = [this.random.next() * 2 * Math.PI, this.random.next() * 2 * Math.PI];
    this.accounts = profiles.map((p, i) => accountsOf(this.random, p, i));
    this.questionTags = profiles.map((p) => p.tags.filter((t) => Object.hasOwn(tagQuestions, t)));
    this.away = profiles.map((_, i) => i);
    this.clock = startTs;
    this.openRoom(startTs);
    this.seatInitialCrowd(startTs);
    this.advance();
  }

  /** Every event with ts ≤ `until`, in time order; the next call continues where this one stopped. */
  eventsUntil(until: number): LiveEvent[] {
    const out: LiveEvent[] = [];
    for (;;) {
      const audienceTs = Math.floor(this.clock);
      const scheduledTs = this.agenda.nextTs;
      if (scheduledTs <= audienceTs) {
        if (scheduledTs > until) return out;
        this.agenda.runNext(out);
      } else {
        if (audienceTs > until) return out;
        if (this.random.next() < this.arrivalShare) this.arrive(audienceTs, out);
        else this.act(audienceTs, out);
        this.advance();
      }
    }
  }

  // ── The room's own cadence ────────────────────────────────────────────────────────────────────

  private openRoom(ts: number): void {
    this.agenda.at(ts, (t, out) => {
      for (let p = 0; p < demoPlatforms.length; p++) out.push(this.roomEvent(t, p, { kind: 'live_start', title: liveTitle }));
    });
    this.agenda.at(ts, this.switchProduct);
    this.agenda.at(ts, this.reportViewers);
    this.agenda.at(ts + MINUTE, this.reportAdSpend);
  }

  private readonly switchProduct: Emit = (ts, out) => {
    if (ts > this.startTs) this.onAir = (this.onAir + 1) % products.length;
    const { id: productId, name: productName, priceFen } = products[this.onAir];
    for (let p = 0; p < demoPlatforms.length; p++) out.push(this.roomEvent(ts, p, { kind: 'product_switch', productId, productName, priceFen }));
    this.agenda.at(ts + this.random.between(...COUPON_AFTER_SWITCH_MS), this.issueCoupons);
    this.agenda.at(ts + this.random.between(...SWITCH_EVERY_MS), this.switchProduct);
  };

  private readonly issueCoupons: Emit = (ts, out) => {
    const product = products[this.onAir];
    const faceValueFen = Math.max(500, Math.round(product.priceFen / 1_000) * 100);
    const round = ++this.couponSeq;
    for (let p = 0; p < demoPlatforms.length; p++) {
      const coupon = { id: `cpn${round}_${uidPrefixes[demoPlatforms[p]]}`, productId: product.id, faceValueFen, thresholdFen: product.priceFen, untilTs: ts + COUPON_VALID_MS };
      this.coupons[p] = coupon;
      out.push(this.roomEvent(ts, p, { kind: 'coupon_issued', couponId: coupon.id, faceValueFen, thresholdFen: coupon.thresholdFen, productId: product.id }));
    }
  };

  private readonly reportViewers: Emit = (ts, out) => {
    for (let p = 0; p < demoPlatforms.length; p++) {
      const scale = onlineScale[p];
      const online = Math.round(this.presentOn[p] * scale * (0.95 + 0.05 * this.random.next()));
      out.push(this.roomEvent(ts, p, { kind: 'viewer_stats', online, totalViewers: this.viewersOn[p] * scale, likes: this.likesOn[p] * scale }));
    }
    this.agenda.at(ts + STATS_EVERY_MS, this.reportViewers);
  };

  private readonly reportAdSpend: Emit = (ts, out) => {
    out.push(this.roomEvent(ts, PAID_PLATFORM, { kind: 'ad_spend', amountFen: this.paidArrivals * SPEND_PER_PAID_ARRIVAL_FEN, channel: adChannel }));
    this.paidArrivals = 0;
    this.agenda.at(ts + MINUTE, this.reportAdSpend);
  };

  // ── Arrivals and departures ───────────────────────────────────────────────────────────────────

  /** Viewers already waiting at the start: no `enter`, and they stay as long as a present audience does. */
  private seatInitialCrowd(ts: number): void {
    const crowd = Math.round((INITIAL_CROWD * this.arrivalRate * MEAN_STAY_MS) / 1000);
    for (let i = 0; i < crowd; i++) this.beginVisit(ts, this.arrivingViewer(), this.random.weighted(presentStayTotals));
  }

  private arrive(ts: number, out: LiveEvent[]): void {
    const viewer = this.arrivingViewer();
    this.beginVisit(ts, viewer, this.random.weighted(stayTotals));
    const trafficSource = trafficSources[this.random.weighted(trafficTotals[viewer.platform])];
    if (trafficSource === 'paid') this.paidArrivals++;
    const p = viewer.platform;
    out.push({ id: this.nextId(), platform: demoPlatforms[p], roomId: roomIds[p], ts, recvTs: ts, user: userOf(viewer), trafficSource, kind: 'enter' });
  }

  /** A known profile not in the room yet (40%), or else an anonymous viewer, new or returning. */
  private arrivingViewer(): Viewer {
    const anonymous = this.random.chance(ANONYMOUS_SHARE);
    if (!anonymous && this.away.length > 0) {
      const accounts = this.accounts[takeAt(this.away, this.random.int(this.away.length))];
      return accounts.length === 1 ? accounts[0] : this.random.pick(accounts);
    }
    if (this.departed.length > 0 && this.random.chance(RETURN_SHARE)) return takeAt(this.departed, this.random.int(this.departed.length));
    return this.newAnonymous();
  }

  private newAnonymous(): Viewer {
    const platform = drawPlatform(this.random);
    const n = ++this.anonSeq;
    const prefix = uidPrefixes[platform];
    const guest = this.random.chance(GUEST_SHARE);
    const uid = guest ? `${prefix}_guest${n}` : `${prefix}_a${n}`;
    const name = guest ? '神秘人' : nickname(this.random);
    return newViewer(uid, name, demoPlatforms.indexOf(platform), guest, guest ? 0 : this.random.int(30), -1, undefined);
  }

  private beginVisit(ts: number, viewer: Viewer, stay: number): void {
    viewer.stay = stay;
    viewer.shopper = this.random.chance(shopperChance(viewer.lean));
    viewer.asked = 0;
    viewer.leaveTs = ts + Math.max(1, Math.round(this.random.exponential(stays[stay].meanMs)));
    viewer.slot = this.present.length;
    this.present.push(viewer);
    this.presentOn[viewer.platform]++;
    this.stayCounts[stay]++;
    if (!viewer.counted) {
      viewer.counted = true;
      this.viewersOn[viewer.platform]++;
    }
    this.agenda.at(viewer.leaveTs, (t, out) => this.leave(t, viewer, out));
  }

  private leave(ts: number, viewer: Viewer, out: LiveEvent[]): void {
    takeAt(this.present, viewer.slot);
    if (viewer.slot < this.present.length) this.present[viewer.slot].slot = viewer.slot;
    viewer.slot = -1;
    this.presentOn[viewer.platform]--;
    this.stayCounts[viewer.stay]--;
    if (viewer.profile >= 0) this.away.push(viewer.profile);
    else if (!viewer.masked) this.remember(viewer);
    out.push(this.userEvent(ts, viewer, { kind: 'leave' }));
  }

  private remember(viewer: Viewer): void {
    if (this.departed.length < RETURN_POOL) this.departed.push(viewer);
    else this.departed[this.random.int(RETURN_POOL)] = viewer;
  }

  // ── What present viewers do ───────────────────────────────────────────────────────────────────

  private act(ts: number, out: LiveEvent[]): void {
    if (this.present.length === 0) return;
    // Shoppers are busier: a viewer who came to watch often lets another act instead.
    let viewer = this.present[this.random.int(this.present.length)];
    if (!viewer.shopper && this.random.chance(BROWSER_PASSES)) viewer = this.present[this.random.int(this.present.length)];
    const roll = this.random.next();
    if (roll < EXPOSURE_SHARE) return void out.push(this.expose(ts, viewer));
    const engaged = (roll - EXPOSURE_SHARE) / this.waveAt(ts);
    let k = 0;
    while (k < engagedTotals.length && engagedTotals[k] <= engaged) k++;
    out.push((k < engagedKinds.length && this.engage(engagedKinds[k], ts, viewer)) || this.like(ts, viewer));
  }

  /** The engaged action, or undefined when it does not apply (already following, a masked guest, …). */
  private engage(kind: (typeof engagedKinds)[number], ts: number, viewer: Viewer): LiveEvent | undefined {
    switch (kind) {
      case 'chat':
        return this.userEvent(ts, viewer, { kind: 'chat', text: this.chatText(viewer) });
      case 'gift':
        return this.gift(ts, viewer);
      case 'share':
        return this.userEvent(ts, viewer, { kind: 'share' });
      case 'follow':
        if (viewer.following || viewer.masked) return undefined;
        viewer.following = true;
        return this.userEvent(ts, viewer, { kind: 'follow' });
      case 'fansclub':
        return viewer.masked ? undefined : this.userEvent(ts, viewer, fansClubStep(viewer));
      case 'private_domain_join':
        return viewer.masked ? undefined : this.userEvent(ts, viewer, { kind: 'private_domain_join', channel: this.random.chance(0.6) ? 'wecom' : 'group' });
      case 'coupon_claimed': {
        // Shoppers grab the coupons; viewers who came to watch only claim one when they add its product to the cart.
        const coupon = this.coupons[viewer.platform];
        return viewer.shopper && coupon && coupon.untilTs > ts && viewer.coupon !== coupon ? this.claim(ts, viewer, coupon) : undefined;
      }
    }
  }

  private claim(ts: number, viewer: Viewer, coupon: Coupon): LiveEvent {
    viewer.coupon = coupon;
    return this.userEvent(ts, viewer, { kind: 'coupon_claimed', couponId: coupon.id });
  }

  private like(ts: number, viewer: Viewer): LiveEvent {
    const count = this.random.chance(0.7) ? 1 : this.random.between(2, 30);
    this.likesOn[viewer.platform] += count;
    return this.userEvent(ts, viewer, { kind: 'like', count });
  }

  private chatText(viewer: Viewer): string {
    const texts = this.texts[this.onAir];
    if (!this.random.chance(viewer.shopper ? SHOPPER_QUESTION_SHARE : BROWSER_QUESTION_SHARE)) return this.random.pick(texts.smallTalk);
    const tags = viewer.profile >= 0 ? this.questionTags[viewer.profile] : [];
    if (tags.length > 0 && this.random.chance(0.4)) {
      const tagged = texts.tagged.get(this.random.pick(tags));
      if (tagged) return this.asks(viewer, this.random.pick(tagged));
    }
    const roll = this.random.next();
    if (roll < 0.85) return this.asks(viewer, this.random.pick(texts.questions));
    if (roll < 0.95) return this.random.pick(this.random.pick(this.texts).questions);
    return this.random.pick(anchorQuestions);
  }

  /** A question about the product on air: the viewer leans more to buy it. */
  private asks(viewer: Viewer, question: string): string {
    viewer.asked++;
    return question;
  }

  /** A gift; combo gifts often come as a streak, one event per gift sent, each counted once. */
  private gift(ts: number, viewer: Viewer): LiveEvent {
    const gift = gifts[this.random.weighted(giftTotals)];
    const count = gift.combo && this.random.chance(0.1) ? 10 : 1;
    const body = { kind: 'gift' as const, giftId: gift.id, giftName: gift.name, count, valueFen: gift.valueFen * count };
    if (!gift.combo || !this.random.chance(STREAK_CHANCE)) return this.userEvent(ts, viewer, body);
    const streak = { ...body, count: 1, valueFen: gift.valueFen, streakId: `s${++this.streakSeq}` };
    const continueFrom = (t: number, left: number): void => {
      const next = t + this.random.between(250, 800);
      if (left === 0 || next >= viewer.leaveTs) return;
      this.agenda.at(next, (nt, out) => {
        out.push(this.userEvent(nt, viewer, streak));
        continueFrom(nt, left - 1);
      });
    };
    continueFrom(ts, this.random.between(...STREAK_EXTRA));
    return this.userEvent(ts, viewer, streak);
  }

  // ── The funnel: exposure → click → cart → order → payment → refund ────────────────────────────

  private expose(ts: number, viewer: Viewer): LiveEvent {
    const product = this.random.chance(ON_AIR_EXPOSURE) ? products[this.onAir] : this.random.pick(products);
    if (this.random.chance(this.toClick.chance(this.leanNow(ts, viewer, product)))) {
      this.agenda.at(this.whilePresent(ts, viewer, this.random.between(1_000, 15_000)), (t, out) => this.click(t, viewer, product, out));
    }
    return this.userEvent(ts, viewer, { kind: 'product_exposure', productId: product.id });
  }

  private click(ts: number, viewer: Viewer, product: DemoProduct, out: LiveEvent[]): void {
    out.push(this.userEvent(ts, viewer, { kind: 'product_click', productId: product.id }));
    if (!this.random.chance(this.toCart.chance(this.leanNow(ts, viewer, product)))) return;
    this.agenda.at(this.whilePresent(ts, viewer, this.random.between(2_000, 40_000)), (t, o) => this.addToCart(t, viewer, product, o));
  }

  private addToCart(ts: number, viewer: Viewer, product: DemoProduct, out: LiveEvent[]): void {
    const roll = this.random.next();
    const quantity = roll < 0.85 ? 1 : roll < 0.97 ? 2 : 3;
    out.push(this.userEvent(ts, viewer, { kind: 'cart_add', productId: product.id, quantity }));
    const coupon = this.coupons[viewer.platform];
    if (coupon && coupon.productId === product.id && coupon.untilTs > ts && viewer.coupon !== coupon && this.random.chance(CART_CLAIM_CHANCE)) {
      this.agenda.at(this.whilePresent(ts, viewer, this.random.between(500, 4_000)), (t, o) => o.push(this.claim(t, viewer, coupon)));
    }
    if (!this.random.chance(this.funnel.cartToOrder)) return;
    const delay = Math.min(MAX_CART_WAIT_MS, 5_000 + Math.round(this.random.exponential(this.random.chance(HESITANT_SHARE) ? HESITANT_WAIT_MS : QUICK_WAIT_MS)));
    this.agenda.at(ts + delay, (t, o) => this.createOrder(t, viewer, product, quantity, o));
  }

  /** Orders may be placed after leaving the room (from the cart); a claimed coupon for the product is used. */
  private createOrder(ts: number, viewer: Viewer, product: DemoProduct, quantity: number, out: LiveEvent[]): void {
    const orderId = `ord${++this.orderSeq}`;
    const fullFen = product.priceFen * quantity;
    const coupon = viewer.coupon;
    const useCoupon = coupon !== undefined && coupon.productId === product.id && fullFen >= coupon.thresholdFen && this.random.chance(0.9);
    if (useCoupon) viewer.coupon = undefined;
    const amountFen = useCoupon ? fullFen - coupon.faceValueFen : fullFen;
    out.push(this.userEvent(ts, viewer, { kind: 'order_created', orderId, productId: product.id, amountFen, quantity }));
    if (!this.random.chance(this.funnel.orderToPaid)) return;
    const paid = { orderId, productId: product.id, amountFen, ...(useCoupon && { couponId: coupon.id }) };
    this.agenda.at(ts + this.random.between(3_000, 90_000), (t, o) => this.pay(t, viewer, paid, o));
  }

  private pay(ts: number, viewer: Viewer, paid: { orderId: string; productId: string; amountFen: number; couponId?: string }, out: LiveEvent[]): void {
    out.push(this.userEvent(ts, viewer, { kind: 'order_paid', ...paid }));
    if (paid.couponId) out.push(this.userEvent(ts, viewer, { kind: 'coupon_redeemed', couponId: paid.couponId, orderId: paid.orderId }));
    if (!this.random.chance(this.funnel.paidToRefund)) return;
    const { orderId, productId, amountFen } = paid;
    this.agenda.at(ts + this.random.between(2 * MINUTE, 40 * MINUTE), (t, o) => o.push(this.userEvent(t, viewer, { kind: 'order_refund', orderId, productId, amountFen })));
  }

  private leanNow(ts: number, viewer: Viewer, product: DemoProduct): number {
    const coupon = viewer.coupon;
    return visitLean(viewer.lean, viewer.shopper, viewer.asked, viewer.priceSensitive, coupon !== undefined && coupon.productId === product.id && coupon.untilTs > ts);
  }

  /** `ts + delay`, moved earlier if needed so that it comes before the viewer leaves. */
  private whilePresent(ts: number, viewer: Viewer, delay: number): number {
    return ts + Math.min(delay, viewer.leaveTs - ts - 1);
  }

  // ── Rate and time ─────────────────────────────────────────────────────────────────────────────

  /**
   * Moves the audience clock to the next arrival or action. The action rate is what the total rate
   * leaves once the fixed cadence, arrivals, expected departures and expected follow-ups (funnel
   * steps, gift combos) are counted, so the total stays on `rate` while the audience builds up.
   */
  private advance(): void {
    let departures = 0;
    for (let i = 0; i < stays.length; i++) departures += (this.stayCounts[i] * 1000) / stays[i].meanMs;
    const followUps = EXPOSURE_SHARE * this.funnelFollowUps + GIFT_SHARE * this.waveAt(Math.floor(this.clock)) * streakExtrasPerGift;
    const actions = Math.max(0, this.rate - FIXED_RATE - this.arrivalRate - departures) / (1 + followUps);
    const total = this.arrivalRate + actions;
    this.arrivalShare = this.arrivalRate / total;
    // Gaps vary ±50% around the mean: irregular to the eye, yet steady over a minute even at 10 events/s.
    this.clock += ((0.5 + this.random.next()) * 1000) / total;
  }

  /** Engagement (1 on average, 0.55 to 1.45): waves of about ten minutes with a faster ripple. */
  private waveAt(ts: number): number {
    if (ts !== this.waveTs) {
      const minutes = (ts - this.startTs) / MINUTE;
      this.wave = 1 + 0.35 * Math.sin((2 * Math.PI * minutes) / 10 + this.wavePhases[0]) + 0.1 * Math.sin((2 * Math.PI * minutes) / 3.3 + this.wavePhases[1]);
      this.waveTs = ts;
    }
    return this.wave;
  }

  // ── Events ────────────────────────────────────────────────────────────────────────────────────

  private nextId(): string {
    return `demo-${++this.seq}`;
  }

  private userEvent(ts: number, viewer: Viewer, body: UserBody): LiveEvent {
    const p = viewer.platform;
    return { id: this.nextId(), platform: demoPlatforms[p], roomId: roomIds[p], ts, recvTs: ts, user: userOf(viewer), ...body } as LiveEvent;
  }

  private roomEvent(ts: number, platform: number, body: RoomBody): LiveEvent {
    return { id: this.nextId(), platform: demoPlatforms[platform], roomId: roomIds[platform], ts, recvTs: ts, ...body } as LiveEvent;
  }
}

type Body<E> = E extends LiveEvent ? Omit<E, 'id' | 'platform' | 'roomId' | 'ts' | 'recvTs' | 'user' | 'trafficSource'> : never;
type RoomKind = 'live_start' | 'product_switch' | 'coupon_issued' | 'viewer_stats' | 'ad_spend';
type RoomBody = Body<Extract<LiveEvent, { kind: RoomKind }>>;
type UserBody = Body<Exclude<LiveEvent, { kind: RoomKind }>>;

function eventsAfterExposure(f: FunnelRates): number {
  const paid = f.exposureToClick * f.clickToCart * f.cartToOrder * f.orderToPaid;
  return f.exposureToClick * (1 + f.clickToCart * (1 + CLAIMS_PER_CART + f.cartToOrder)) + paid * (1 + f.paidToRefund + REDEEM_SHARE);
}

function newViewer(uid: string, name: string, platform: number, masked: boolean, level: number, profile: number, crm: DemoProfile | undefined): Viewer {
  const priceSensitive = crm?.tags.includes('价格敏感') ?? false;
  return { uid, name, platform, masked, level, profile, lean: profileLean(crm), priceSensitive, shopper: false, asked: 0, following: false, fansLevel: 0, coupon: undefined, slot: -1, stay: 0, leaveTs: 0, counted: false };
}

/** One viewer per platform uid of a profile; loyal customers often follow and are in the fans club. */
function accountsOf(random: Random, profile: DemoProfile, index: number): Viewer[] {
  return demoPlatforms.flatMap((platform, p) => {
    const uid = profile.uids[platform];
    if (!uid) return [];
    const viewer = newViewer(uid, profile.name, p, false, 5 * profile.level + random.int(10), index, profile);
    viewer.following = random.chance(0.15 * profile.level);
    if (profile.level >= 4 && random.chance(0.5)) viewer.fansLevel = random.between(3, 15);
    return [viewer];
  });
}

function userOf(viewer: Viewer): EventUser {
  if (viewer.masked) return { id: viewer.uid, name: viewer.name, masked: true };
  const user: EventUser = { id: viewer.uid, name: viewer.name, level: viewer.level };
  if (viewer.following) user.following = true;
  if (viewer.fansLevel > 0) user.fansClub = { name: fansClubName, level: viewer.fansLevel };
  return user;
}

function fansClubStep(viewer: Viewer): UserBody {
  if (viewer.fansLevel === 0) {
    viewer.fansLevel = 1;
    return { kind: 'fansclub', action: 'join', level: 1 };
  }
  viewer.fansLevel = Math.min(viewer.fansLevel + 1, 30);
  return { kind: 'fansclub', action: 'level_up', level: viewer.fansLevel };
}

/** Removes and returns `items[index]`, moving the last item into its place (order is not kept). */
function takeAt<T>(items: T[], index: number): T {
  const taken = items[index];
  const last = items.pop()!;
  if (index < items.length) items[index] = last;
  return taken;
}

interface ProductTexts {
  questions: string[];
  smallTalk: string[];
  /** Questions prompted by a CRM tag, for the tags that have some for this product. */
  tagged: Map<string, string[]>;
}

function productTexts(product: DemoProduct, link: number): ProductTexts {
  const fill = (text: string): string => text.replaceAll('{n}', String(link)).replaceAll('{name}', product.name);
  const about = (templates: readonly QuestionTemplate[]): string[] => templates.filter((t) => !t.for || t.for.includes(product.category)).map((t) => fill(t.text));
  const tagged = new Map<string, string[]>();
  for (const [tag, templates] of Object.entries(tagQuestions)) {
    const texts = about(templates);
    if (texts.length > 0) tagged.set(tag, texts);
  }
  return { questions: about(productQuestions), smallTalk: smallTalk.map(fill), tagged };
}

interface Task {
  ts: number;
  seq: number;
  run: Emit;
}

/** What is scheduled, as a binary min-heap by time (then by scheduling order, so ties replay exactly). */
class Agenda {
  private readonly heap: Task[] = [];
  private seq = 0;

  get nextTs(): number {
    return this.heap.length > 0 ? this.heap[0].ts : Infinity;
  }

  at(ts: number, run: Emit): void {
    const heap = this.heap;
    const task = { ts, seq: this.seq++, run };
    let i = heap.length;
    heap.push(task);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(task, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = task;
  }

  /** Runs the earliest task. */
  runNext(out: LiveEvent[]): void {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= heap.length) break;
        if (child + 1 < heap.length && earlier(heap[child + 1], heap[child])) child++;
        if (!earlier(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    top.run(top.ts, out);
  }
}

function earlier(a: Task, b: Task): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.seq < b.seq);
}
