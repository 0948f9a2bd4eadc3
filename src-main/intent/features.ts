// The purchase-intent features: what LiveDeck knows of each viewer in this session (watch time,
// products seen and clicked, carts and orders not paid yet, questions by topic, coupon in hand) and
// of their history (orders, lifetime value, recency, price sensitivity, membership), as numbers in
// one fixed order. The tracker keeps every viewer's features and the raw values behind them in one
// flat Float64Array (a struct of arrays by stride): an event costs one map lookup and a few stores,
// no allocation; the feature vector is written on demand for a moment in time (watch time, activity
// and cart age move without events).
// A viewer's history is read once, from their facts at first sighting in the session: orders paid
// later in the session count as paid here, not as history (the same live and in training).
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';
import { daysSince } from '../profiles/traits';
import { analyseChat } from '../text/chat';
import { topics, type Topic } from '../text/topics';

/** The question topics that are features (其他 counts as an interaction). */
export const askedTopics = topics.filter((t): t is Exclude<Topic, '其他'> => t !== '其他');
export type AskedTopic = (typeof askedTopics)[number];

/** Platforms with a feature of their own; any other is the baseline. */
export const featurePlatforms = ['douyin', 'kuaishou', 'wechat'] as const;

/** Reasons group features: the effect of a reason is the sum of its features' effects. */
export type ReasonGroup =
  | 'cart'
  | 'order'
  | 'paid'
  | 'watch'
  | 'exposures'
  | 'clicks'
  | 'activity'
  | AskedTopic
  | 'history'
  | 'coupon'
  | 'member'
  | 'newcomer'
  | 'platform';

/** Every feature, in model order, with the reason it belongs to. */
export const features = [
  { key: 'cartOpen', group: 'cart' },
  { key: 'cartWait', group: 'cart' },
  { key: 'orderOpen', group: 'order' },
  { key: 'orderWait', group: 'order' },
  { key: 'paidHere', group: 'paid' },
  { key: 'watch', group: 'watch' },
  { key: 'exposures', group: 'exposures' },
  { key: 'clicks', group: 'clicks' },
  { key: 'activity', group: 'activity' },
  ...askedTopics.map((topic) => ({ key: `asked:${topic}` as const, group: topic })),
  { key: 'couponHeld', group: 'coupon' },
  { key: 'sensitiveHeld', group: 'coupon' },
  // From here on, read once from the person's facts at first sighting.
  { key: 'orders', group: 'history' },
  { key: 'ltv', group: 'history' },
  { key: 'recency', group: 'history' },
  { key: 'sensitivity', group: 'coupon' },
  { key: 'vip', group: 'member' },
  { key: 'level', group: 'member' },
  { key: 'provisional', group: 'newcomer' },
  ...featurePlatforms.map((platform) => ({ key: `platform:${platform}` as const, group: 'platform' as const })),
] as const satisfies readonly { key: string; group: ReasonGroup }[];
export const FEATURE_COUNT = features.length;
export const featureKeys: readonly string[] = features.map((f) => f.key);

/** Feature indexes, by key. */
export const F = Object.fromEntries(features.map((f, i) => [f.key, i])) as { readonly [K in (typeof features)[number]['key']]: number };
const ASKED_FIRST = F[`asked:${askedTopics[0]}`];
const PLATFORM_FIRST = F[`platform:${featurePlatforms[0]}`];

/*
 * How raw values become features, and back (reasons.ts prints the raw values):
 *   counts and watch minutes: log1p (the tenth click matters less than the first); money: log1p of yuan;
 *   activity: log1p of interactions (likes, gifts, chat that asks nothing, …) per minute watched (at least one);
 *   minutes a cart or order has waited: as they are, up to an hour (the chance to pay fades steadily);
 *   recency: 30 / (30 + days since the last order), 1 today, 0.5 a month ago, 0 for never;
 *   sensitivity: 1 for the tag 价格敏感, else the share of past orders bought with a coupon.
 */
export const RECENCY_DAYS = 30;
const PRICE_SENSITIVE_TAG = '价格敏感';
const VIP_TAG = 'VIP';
const MINUTE_MS = 60_000;
const MAX_WAIT_MIN = 60;

/** The topic of a chat as the tracker wants it: a question's topic, or null for anything else. */
export function questionTopic(text: string): Topic | null {
  const chat = analyseChat(text);
  return chat.question ? chat.topic : null;
}

// Per viewer, by offset in its stride: the feature row, kept current as events arrive (but for the
// features that move with time, which `write` fills in), then the raw values behind it. What every
// event reads or writes comes first, the counts (touched by a few kinds of event only) last: an event
// then touches the fewest cache lines of its viewer's row.
const PRESENT_SINCE = FEATURE_COUNT; // NaN while away
const WATCHED_MS = FEATURE_COUNT + 1; // closed visits
const INTERACTIONS = FEATURE_COUNT + 2;
const CARTS_OPEN = FEATURE_COUNT + 3;
const CART_SINCE = FEATURE_COUNT + 4;
const ORDERS_OPEN = FEATURE_COUNT + 5;
const ORDER_SINCE = FEATURE_COUNT + 6;
/** When the viewer's last event was. */
const LAST_SEEN = FEATURE_COUNT + 7;
/** The count behind each counted feature, F.paidHere to the last asked topic: COUNTS + feature − F.paidHere. */
const COUNTS = FEATURE_COUNT + 8;
const STRIDE = COUNTS + ASKED_FIRST + askedTopics.length - F.paidHere;

const INITIAL_CAPACITY = 1_024;
/** Viewers tracked at once; past it new viewers are not tracked (a session this size is far beyond any room). */
const MAX_VIEWERS = 1_000_000;

/**
 * In a live session a viewer with no event for this long, and no cart or order waiting, is let go
 * (their row is reused): an 8-hour show brings far more viewers than are ever in the room at once. One
 * who comes back starts anew; their profile facts (past orders, LTV) come back with them. Training
 * (dataset.ts) lets no one go: its rows are labelled by slot.
 */
const IDLE_MS = 30 * MINUTE_MS;
/** How often, in event time, idle viewers are let go. */
const SWEEP_EVERY_MS = MINUTE_MS;

export class IntentTracker {
  private state = new Float64Array(INITIAL_CAPACITY * STRIDE);
  private readonly slots = new Map<number, number>();
  /** Rows let go, to be reused. */
  private readonly free: number[] = [];
  private count = 0;
  private sweptAt = -Infinity;

  /** `letGoIdle`: reuse the rows of viewers idle for IDLE_MS (a live session's tracker). */
  constructor(private readonly options: { letGoIdle?: boolean } = {}) {}

  /** Viewers tracked. */
  get size(): number {
    return this.slots.size;
  }

  /** The slot of a person, or −1 when not tracked. */
  slotOf(personId: number): number {
    return this.slots.get(personId) ?? -1;
  }

  /**
   * Applies an event of the person (after identification); returns their slot, or −1 for events
   * without a person. `topic` is the chat's analysis when the caller has it (`questionTopic`): a
   * question's topic, null for a chat that asks nothing; left out, the tracker analyses the text.
   */
  observe(e: LiveEvent, person: PersonFacts | undefined, topic?: Topic | null): number {
    if (!person) return -1;
    if (this.options.letGoIdle && e.ts - this.sweptAt >= SWEEP_EVERY_MS) this.letGoIdle(e.ts);
    let slot = this.slots.get(person.id);
    if (slot === undefined) {
      if (this.free.length === 0 && this.count >= MAX_VIEWERS) return -1;
      slot = this.add(person, e);
    }
    const s = this.state;
    const o = slot * STRIDE;
    const ts = e.ts;
    s[o + LAST_SEEN] = Math.max(s[o + LAST_SEEN], ts);
    switch (e.kind) {
      case 'enter':
        this.inRoom(o, ts);
        break;
      case 'leave':
        if (!Number.isNaN(s[o + PRESENT_SINCE])) {
          s[o + WATCHED_MS] += Math.max(0, ts - s[o + PRESENT_SINCE]);
          s[o + PRESENT_SINCE] = NaN;
        }
        break;
      case 'product_exposure':
        this.inRoom(o, ts);
        this.bump(o, F.exposures);
        break;
      case 'product_click':
        this.inRoom(o, ts);
        this.bump(o, F.clicks);
        break;
      case 'cart_add':
        this.inRoom(o, ts);
        if (s[o + CARTS_OPEN]++ === 0) s[o + CART_SINCE] = ts;
        s[o + F.cartOpen] = 1;
        break;
      case 'order_created':
        if (s[o + ORDERS_OPEN]++ === 0) s[o + ORDER_SINCE] = ts;
        s[o + F.orderOpen] = 1;
        break;
      case 'order_paid':
        this.bump(o, F.paidHere);
        if (s[o + CARTS_OPEN] > 0 && --s[o + CARTS_OPEN] === 0) s[o + F.cartOpen] = 0;
        if (s[o + ORDERS_OPEN] > 0 && --s[o + ORDERS_OPEN] === 0) s[o + F.orderOpen] = 0;
        if (e.couponId !== undefined) this.holdCoupon(o, 0);
        break;
      case 'coupon_claimed':
        this.inRoom(o, ts);
        this.holdCoupon(o, 1);
        break;
      case 'coupon_redeemed':
        this.holdCoupon(o, 0);
        break;
      case 'chat': {
        this.inRoom(o, ts);
        const asked = topic === undefined ? questionTopic(e.text) : topic;
        const index = asked === null || asked === '其他' ? -1 : askedTopics.indexOf(asked);
        if (index >= 0) this.bump(o, ASKED_FIRST + index);
        else s[o + INTERACTIONS]++;
        break;
      }
      case 'like':
      case 'gift':
      case 'share':
      case 'follow':
      case 'fansclub':
      case 'private_domain_join':
        this.inRoom(o, ts);
        s[o + INTERACTIONS]++;
        break;
    }
    return slot;
  }

  /** In the room now (entered, or seen acting, and not left since). */
  isPresent(slot: number): boolean {
    return !Number.isNaN(this.state[slot * STRIDE + PRESENT_SINCE]);
  }

  /** Has a cart or an order not paid yet. */
  hasOpenCart(slot: number): boolean {
    const o = slot * STRIDE;
    return this.state[o + CARTS_OPEN] > 0 || this.state[o + ORDERS_OPEN] > 0;
  }

  /** Writes the slot's features at time `now` into `out` from `offset` (FEATURE_COUNT numbers). */
  write(slot: number, now: number, out: Float64Array, offset = 0): void {
    const s = this.state;
    const o = slot * STRIDE;
    for (let f = 0; f < FEATURE_COUNT; f++) out[offset + f] = s[o + f];
    const since = s[o + PRESENT_SINCE];
    const watchedMs = s[o + WATCHED_MS] + (Number.isNaN(since) ? 0 : Math.max(0, now - since));
    out[offset + F.watch] = minutesFeature(watchedMs);
    out[offset + F.activity] = Math.log1p(s[o + INTERACTIONS] / Math.max(1, watchedMs / MINUTE_MS));
    out[offset + F.cartWait] = s[o + F.cartOpen] > 0 ? waitFeature(now - s[o + CART_SINCE]) : 0;
    out[offset + F.orderWait] = s[o + F.orderOpen] > 0 ? waitFeature(now - s[o + ORDER_SINCE]) : 0;
  }

  /** The viewer is in the room from `ts` on, unless already. */
  private inRoom(o: number, ts: number): void {
    if (Number.isNaN(this.state[o + PRESENT_SINCE])) this.state[o + PRESENT_SINCE] = ts;
  }

  /** One more of a counted feature. */
  private bump(o: number, feature: number): void {
    this.state[o + feature] = Math.log1p(++this.state[o + COUNTS + feature - F.paidHere]);
  }

  private holdCoupon(o: number, held: 0 | 1): void {
    this.state[o + F.couponHeld] = held;
    this.state[o + F.sensitiveHeld] = held * this.state[o + F.sensitivity];
  }

  /** Lets go of the viewers idle since `now` − IDLE_MS with nothing waiting to be paid. */
  private letGoIdle(now: number): void {
    this.sweptAt = now;
    for (const [personId, slot] of this.slots) {
      const o = slot * STRIDE;
      if (now - this.state[o + LAST_SEEN] > IDLE_MS && !this.hasOpenCart(slot)) {
        this.slots.delete(personId);
        this.free.push(slot);
      }
    }
  }

  private add(person: PersonFacts, e: LiveEvent): number {
    const slot = this.free.pop() ?? this.count++;
    if ((slot + 1) * STRIDE > this.state.length) {
      const grown = new Float64Array(this.state.length * 2);
      grown.set(this.state);
      this.state = grown;
    }
    this.slots.set(person.id, slot);
    const s = this.state;
    const o = slot * STRIDE;
    s.fill(0, o, o + STRIDE);
    s[o + PRESENT_SINCE] = NaN;
    const { orders, ltvFen, lastPurchaseAt, couponShare } = person.traits;
    s[o + F.orders] = Math.log1p(orders);
    s[o + F.ltv] = Math.log1p(ltvFen / 100);
    s[o + F.recency] = orders > 0 && lastPurchaseAt !== undefined ? RECENCY_DAYS / (RECENCY_DAYS + Math.max(0, daysSince(lastPurchaseAt, e.ts))) : 0;
    s[o + F.sensitivity] = person.tags.has(PRICE_SENSITIVE_TAG) ? 1 : couponShare;
    s[o + F.vip] = person.tags.has(VIP_TAG) ? 1 : 0;
    s[o + F.level] = (person.level ?? 0) / 5;
    s[o + F.provisional] = person.provisional ? 1 : 0;
    const platform = (featurePlatforms as readonly string[]).indexOf(e.platform);
    if (platform >= 0) s[o + PLATFORM_FIRST + platform] = 1;
    return slot;
  }
}

function minutesFeature(ms: number): number {
  return Math.log1p(Math.max(0, ms) / MINUTE_MS);
}

function waitFeature(ms: number): number {
  return Math.min(MAX_WAIT_MIN, Math.max(0, ms) / MINUTE_MS);
}
