// The normalized event model: every source, live, replayed or simulated, turns what it receives into
// LiveEvents, and every later stage of the pipeline reads only these. Money in integer fen, time in ms.

export const platforms = ['douyin', 'kuaishou', 'wechat', 'taobao', 'bilibili', 'tiktok', 'demo', 'other'] as const;
export type Platform = (typeof platforms)[number];

export interface EventUser {
  /** Stable platform user id (unique within the platform). */
  id: string;
  name: string;
}

interface Base {
  /** The platform's own message id (or one the source derives), unique per platform. */
  id: string;
  platform: Platform;
  roomId: string;
  /** When it happened, by the platform's clock. */
  ts: number;
  /** When LiveDeck received it. */
  recvTs: number;
  user?: EventUser;
}

export type ChatEvent = Base & { kind: 'chat'; text: string };
export type EnterEvent = Base & { kind: 'enter' };
export type LikeEvent = Base & { kind: 'like'; count: number };
export type ViewerStatsEvent = Base & { kind: 'viewer_stats'; online: number };
export type ProductClickEvent = Base & { kind: 'product_click'; productId: string };
interface OrderFields {
  orderId: string;
  productId: string;
  amountFen: number;
}
export type OrderCreatedEvent = Base & OrderFields & { kind: 'order_created' };
export type OrderPaidEvent = Base & OrderFields & { kind: 'order_paid' };

export type LiveEvent = ChatEvent | EnterEvent | LikeEvent | ViewerStatsEvent | ProductClickEvent | OrderCreatedEvent | OrderPaidEvent;
export type EventKind = LiveEvent['kind'];

/** A LiveEvent without its envelope fields: what a source decides, before it stamps id, time and user. */
export type EventBody = LiveEvent extends infer E
  ? E extends LiveEvent
    ? Omit<E, 'id' | 'platform' | 'roomId' | 'ts' | 'recvTs' | 'user'>
    : never
  : never;
