// The normalized event model, version 1: every source, live, replayed or simulated, turns what it
// receives into LiveEvents, and every later stage reads only these. It is also the integration
// contract for relays (docs/events.md): the schemas below are what the boundary validates (check.ts).
// Money in integer fen, time in epoch milliseconds.
import { z } from 'zod';

export const EVENT_MODEL_VERSION = 1;

export const platforms = ['douyin', 'kuaishou', 'wechat', 'taobao', 'bilibili', 'tiktok', 'demo', 'other'] as const;
export type Platform = (typeof platforms)[number];

/** Where a viewer came from, when the platform says (流量来源). */
export const trafficSources = ['recommend', 'follow', 'search', 'paid', 'share', 'other'] as const;

const id = z.string().min(1).max(128);
const text = z.string().max(2000);
const fen = z.number().int().min(0).max(1e12);
const count = z.number().int().min(0).max(1e9);

export const eventUserSchema = z.object({
  /** Stable platform user id, unique within the platform. */
  id,
  /** Nickname as shown on the platform; order systems may have none. */
  name: z.string().max(100).default(''),
  /** The platform hid who this is (guest sessions, uid 0): never identifies a person. */
  masked: z.boolean().optional(),
  level: count.optional(),
  fansClub: z.object({ name: z.string().max(100), level: count }).optional(),
  following: z.boolean().optional(),
});
export type EventUser = z.infer<typeof eventUserSchema>;

const base = {
  /** The platform's own message id (or one the source derives), unique per platform. */
  id,
  platform: z.enum(platforms),
  roomId: z.string().max(128),
  /** When it happened, by the platform's clock. */
  ts: z.number().int().min(0),
  /** When LiveDeck received it (stamped by the source). */
  recvTs: z.number().int().min(0),
  user: eventUserSchema.optional(),
  trafficSource: z.enum(trafficSources).optional(),
};

const product = { productId: id };
const order = { orderId: id, productId: id, amountFen: fen };
const coupon = { couponId: id };

const kinds = {
  chat: { text },
  gift: {
    giftId: id,
    giftName: z.string().max(100),
    /** Gifts in this event (after streak handling: counted once). */
    count: count.min(1),
    /** Paid value of this event in fen; 0 for free gifts. */
    valueFen: fen,
    /** Streak (combo) id shared by the messages of one gift streak, when the platform has one. */
    streakId: z.string().max(128).optional(),
  },
  like: { count: count.min(1) },
  enter: {},
  leave: {},
  follow: {},
  share: {},
  fansclub: { action: z.enum(['join', 'level_up']), level: count.optional() },
  viewer_stats: { online: count, totalViewers: count.optional(), likes: count.optional() },
  product_switch: { ...product, productName: z.string().max(200).optional(), priceFen: fen.optional() },
  product_exposure: product,
  product_click: product,
  cart_add: { ...product, quantity: count.min(1) },
  order_created: { ...order, quantity: count.min(1).optional() },
  order_paid: { ...order, couponId: id.optional() },
  order_refund: order,
  coupon_issued: { ...coupon, faceValueFen: fen, thresholdFen: fen.optional(), productId: id.optional() },
  coupon_claimed: coupon,
  coupon_redeemed: { ...coupon, orderId: id.optional() },
  /** 加企微 / 进群: a viewer joins the private domain. */
  private_domain_join: { channel: z.enum(['wecom', 'group', 'other']) },
  /** Paid traffic spend (投流), e.g. 巨量千川 spend reported per interval. */
  ad_spend: { amountFen: fen, channel: z.string().max(64).optional() },
  live_start: { title: z.string().max(200).optional() },
  live_end: {},
} as const;

type Kinds = typeof kinds;
export type EventKind = keyof Kinds;
export const eventKinds = Object.keys(kinds) as EventKind[];

function schemaOf<K extends EventKind>(kind: K) {
  return z.object({ ...base, kind: z.literal(kind), ...kinds[kind] });
}

/** One schema per kind; unknown fields are dropped. */
export const eventSchemas = Object.fromEntries(eventKinds.map((k) => [k, schemaOf(k)])) as {
  [K in EventKind]: ReturnType<typeof schemaOf<K>>;
};

/** One LiveEvent type per kind: `EventOf<'chat'>` has `text`, `EventOf<'order_paid'>` has `amountFen`, … */
export type EventOf<K extends EventKind> = z.infer<(typeof eventSchemas)[K]>;
export type LiveEvent = { [K in EventKind]: EventOf<K> }[EventKind];

/** A LiveEvent without its envelope fields: what a source decides before stamping id, time and user. */
export type EventBody = LiveEvent extends infer E
  ? E extends LiveEvent
    ? Omit<E, 'id' | 'platform' | 'roomId' | 'ts' | 'recvTs' | 'user' | 'trafficSource'>
    : never
  : never;
