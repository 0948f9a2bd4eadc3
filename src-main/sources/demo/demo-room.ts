// The demo room: a simulated live-commerce room, deterministic from its seed. It produces, in time
// order, viewers entering, Chinese chat (product questions and small talk), likes, viewer counts,
// product clicks and the orders and payments that follow some of them.
import type { EventBody, EventUser, LiveEvent, Platform } from '../../events/live-event';
import { nicknameHeads, nicknameTails, products, questions, smallTalk } from './catalog';
import { Random } from './random';

export interface DemoRoomOptions {
  seed: number;
  /** Simulated time of the first event, ms. */
  startTs: number;
  /** Audience events per second (chat, entries, likes, clicks); counters and orders come on top. */
  rate: number;
}

interface Viewer {
  id: string;
  name: string;
  platform: Platform;
}

const VIEWER_STATS_EVERY_MS = 2_000;
const AUDIENCE_SIZE = 2_000;
const ROOM_ID = 'demo-room';
const demoPlatforms: Platform[] = ['douyin', 'douyin', 'kuaishou', 'wechat'];

export class DemoRoom {
  private readonly random: Random;
  private readonly audience: Viewer[];
  private readonly startTs: number;
  private readonly rate: number;
  private nextAudienceTs: number;
  private nextStatsTs: number;
  /** Orders waiting for their creation or payment time, kept sorted by ts. */
  private pending: LiveEvent[] = [];
  private seq = 0;

  constructor({ seed, startTs, rate }: DemoRoomOptions) {
    this.random = new Random(seed);
    this.startTs = startTs;
    this.rate = rate;
    this.nextAudienceTs = startTs;
    this.nextStatsTs = startTs;
    this.audience = Array.from({ length: AUDIENCE_SIZE }, (_, i) => ({
      id: `u${100000 + i}`,
      name: this.random.pick(nicknameHeads) + this.random.pick(nicknameTails) + (i % 7 === 0 ? String(i % 100) : ''),
      platform: this.random.pick(demoPlatforms),
    }));
  }

  /** Every event with ts ≤ `until`, in time order. */
  eventsUntil(until: number): LiveEvent[] {
    const out: LiveEvent[] = [];
    for (;;) {
      const ts = Math.min(this.nextAudienceTs, this.nextStatsTs, this.pending[0]?.ts ?? Infinity);
      if (ts > until) return out;
      if (this.pending.length > 0 && this.pending[0].ts === ts) {
        out.push(this.pending.shift()!);
      } else if (ts === this.nextStatsTs) {
        out.push(this.event(ts, { kind: 'viewer_stats', online: this.onlineAt(ts) }));
        this.nextStatsTs += VIEWER_STATS_EVERY_MS;
      } else {
        out.push(this.audienceEvent(ts));
        this.nextAudienceTs = ts + Math.max(1, Math.round(this.random.gap(this.rate) * 1000));
      }
    }
  }

  /** Online viewers: a slow build-up with engagement waves of about ten minutes and some noise. */
  private onlineAt(ts: number): number {
    const minutes = (ts - this.startTs) / 60_000;
    const wave = Math.sin((2 * Math.PI * minutes) / 10);
    return Math.max(0, Math.round(600 + 400 * Math.min(1, minutes / 5) + 250 * wave + (this.random.next() - 0.5) * 60));
  }

  private audienceEvent(ts: number): LiveEvent {
    const viewer = this.random.pick(this.audience);
    const user = { id: viewer.id, name: viewer.name };
    const roll = this.random.next();
    if (roll < 0.45) {
      const text = this.random.chance(0.4) ? this.random.pick(questions) : this.random.pick(smallTalk);
      return this.event(ts, { kind: 'chat', text }, viewer.platform, user);
    }
    if (roll < 0.7) return this.event(ts, { kind: 'enter' }, viewer.platform, user);
    if (roll < 0.9) return this.event(ts, { kind: 'like', count: 1 + this.random.int(10) }, viewer.platform, user);
    const product = this.random.pick(products);
    if (this.random.chance(0.2)) this.scheduleOrder(ts, viewer, product.id, product.priceFen);
    return this.event(ts, { kind: 'product_click', productId: product.id }, viewer.platform, user);
  }

  private scheduleOrder(clickTs: number, viewer: Viewer, productId: string, priceFen: number): void {
    const orderId = `o${this.seq}`;
    const user = { id: viewer.id, name: viewer.name };
    const amountFen = priceFen * (1 + (this.random.chance(0.15) ? 1 : 0));
    const createdTs = clickTs + 5_000 + this.random.int(25_000);
    this.schedule(this.event(createdTs, { kind: 'order_created', orderId, productId, amountFen }, viewer.platform, user));
    if (this.random.chance(0.8)) {
      const paidTs = createdTs + 3_000 + this.random.int(20_000);
      this.schedule(this.event(paidTs, { kind: 'order_paid', orderId, productId, amountFen }, viewer.platform, user));
    }
  }

  private schedule(e: LiveEvent): void {
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1].ts > e.ts) i--;
    this.pending.splice(i, 0, e);
  }

  private event(ts: number, body: EventBody, platform: Platform = 'douyin', user?: EventUser): LiveEvent {
    return { id: `demo-${++this.seq}`, platform, roomId: ROOM_ID, ts, recvTs: ts, ...(user && { user }), ...body } as LiveEvent;
  }
}
