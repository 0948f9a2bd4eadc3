// Live room KPIs, updated incrementally per event (never by rescanning): the whole room, each
// platform and each product as Cuts; online per platform (a room on several platforms is one room:
// its online is the sum); watch time; a 60-second ring for "comments per minute"; the minute series
// behind the trend with markers; and the headline numbers of five minutes ago for the cards' change.
// The clock is the newest event time seen, so a replayed session computes exactly what it did live.
import type { Kpis, Marker, MinutePoint, PlatformKpis, ProductKpis, SegmentKpis } from '../contract';
import type { LiveEvent } from '../events/live-event';
import { Cut, inRoom } from './cut';
import { PersonNumbers } from './person-numbers';

const MINUTE = 60_000;
/** Minutes of trend kept in memory (the recorder keeps everything). */
const TREND_MINUTES = 24 * 60;
const MARKERS_KEPT = 200;

interface Product {
  cut: Cut;
  name?: string;
  priceFen?: number;
}


type Headline = NonNullable<Kpis['fiveMinutesAgo']>;


export class RoomMetrics {
  private readonly all = new Cut();
  /** One cut per audience segment, in the order the segments were given. */
  private segmentCuts: Cut[];
  private readonly platforms = new Map<string, Cut>();
  private readonly products = new Map<string, Product>();
  private productOnAir: string | undefined;
  private online = 0;

  /** Latest online count per (platform, room) and its time. */
  private readonly onlineBy = new Map<string, { platform: string; ts: number; online: number }>();
  /** Person numbers by platform and user id: a person is a platform user until identity resolution merges them. */
  private readonly personNumbers = new PersonNumbers();
  /** Per person number: when the current visit began (NaN when away). */
  private readonly visitSince: number[] = [];
  private present = 0;
  private presentSinceSum = 0;
  private finishedWatchMs = 0;
  private clock = 0;
  /** Comments per second for the last 60 seconds: slot = second % 60, tagged with its second. */
  private readonly secondCounts = new Int32Array(60);
  private readonly secondTags = new Float64Array(60).fill(-1);
  private readonly minutes: MinutePoint[] = [];
  /** Headline numbers at the start of each minute, oldest first (the last few are enough). */
  private readonly headlines: (Headline & { t: number })[] = [];
  private readonly markers: Marker[] = [];

  /** The product being explained now (set by product_switch events). */
  get onAir(): string | undefined {
    return this.productOnAir;
  }

  /** A product's name, once a product switch has named it. */
  productName(productId: string): string | undefined {
    return this.products.get(productId)?.name;
  }

  /** Viewers online now, all platforms together. */
  get onlineNow(): number {
    return this.online;
  }

  /** Comments per online viewer in each complete minute, oldest first: interaction comparable minute to minute. */
  interactionRates(): number[] {
    return this.minutes.slice(0, -1).map((m) => (m.online > 0 ? m.comments / m.online : 0));
  }

  /** The latest event time seen: the room's clock. */
  get now(): number {
    return this.clock;
  }

  /** `segments` names the audience segments (id and name) whose cuts are kept, in bit order. */
  constructor(private segments: readonly { id: string; name: string }[] = []) {
    this.segmentCuts = segments.map(() => new Cut());
  }

  /** A new list of segments (ops saved or removed one): cuts of segments kept carry on, new ones start now. */
  setSegments(segments: readonly { id: string; name: string }[]): void {
    const kept = new Map(this.segments.map((s, i) => [s.id, this.segmentCuts[i]]));
    this.segments = segments;
    this.segmentCuts = segments.map((s) => kept.get(s.id) ?? new Cut());
  }

  /** Applies one event; `segments` has bit i set when its person is in segment i. */
  apply(e: LiveEvent, segments = 0): void {
    if (e.ts > this.clock) this.clock = e.ts;
    const minute = this.minuteAt(e.ts);
    const person = this.personOf(e);
    this.all.apply(e, person);
    this.platformCut(e.platform).apply(e, person);
    for (let bits = segments, i = 0; bits !== 0 && i < this.segmentCuts.length; bits >>>= 1, i++) {
      if (bits & 1) this.segmentCuts[i].apply(e, person);
    }
    if ('productId' in e && e.productId !== undefined && e.kind !== 'coupon_issued') this.product(e.productId).cut.apply(e, person);
    if (person >= 0) this.watch(e, person);

    switch (e.kind) {
      case 'chat':
        minute.comments++;
        this.countSecond(e.ts);
        break;
      case 'enter':
        minute.entries++;
        break;
      case 'viewer_stats':
        this.updateOnline(e.platform, e.roomId, e.ts, e.online, minute);
        break;
      case 'order_paid':
        minute.gmvFen += e.amountFen;
        break;
      case 'product_switch': {
        const product = this.product(e.productId);
        product.name = e.productName ?? product.name;
        product.priceFen = e.priceFen ?? product.priceFen;
        this.productOnAir = e.productId;
        this.mark({ ts: e.ts, kind: 'product_switch', label: e.productName ?? e.productId });
        break;
      }
      case 'coupon_issued':
        this.mark({ ts: e.ts, kind: 'coupon', label: `¥${e.faceValueFen / 100}` });
        break;
      default:
        break;
    }
  }

  kpis(): Kpis {
    const samples = this.minutes.map((m) => m.online);
    const then = Math.floor(this.clock / MINUTE) * MINUTE - 5 * MINUTE;
    const before = this.headlines.find((h) => h.t === then);
    // Online five minutes ago is that minute's last sample, not its opening value.
    const onlineThen = this.minutes.find((m) => m.t === then)?.online;
    return {
      ...this.all.kpis(),
      online: this.online,
      onlineChange5m: onlineThen === undefined ? null : this.online - onlineThen,
      peakOnline: samples.length ? Math.max(...samples) : 0,
      avgOnline: samples.length ? Math.round(samples.reduce((a, b) => a + b, 0) / samples.length) : 0,
      watchMs: this.finishedWatchMs + this.present * this.clock - this.presentSinceSum,
      commentsPerMin: this.commentsPerMin(),
      productOnAir: this.productOnAir,
      fiveMinutesAgo: before && { uv: before.uv, pv: before.pv, comments: before.comments, gmvFen: before.gmvFen, paidOrders: before.paidOrders },
    };
  }

  platformKpis(): PlatformKpis[] {
    return [...this.platforms].map(([platform, cut]) => ({
      platform,
      online: [...this.onlineBy.values()].filter((o) => o.platform === platform).reduce((n, o) => n + o.online, 0),
      ...cut.kpis(),
    }));
  }

  /** Each audience segment's numbers, in the order the segments were given. */
  segmentKpis(): SegmentKpis[] {
    return this.segments.map(({ id, name }, i) => ({ segment: id, name, ...this.segmentCuts[i].kpis() }));
  }

  /** Products by GMV, the one on air first. */
  productKpis(): ProductKpis[] {
    return [...this.products]
      .map(([productId, p]) => {
        const k = p.cut.kpis();
        return { productId, name: p.name, priceFen: p.priceFen, onAir: productId === this.productOnAir, funnel: k.funnel, paidOrders: k.paidOrders, gmvFen: k.gmvFen, refundFen: k.refundFen };
      })
      .sort((a, b) => Number(b.onAir) - Number(a.onAir) || b.gmvFen - a.gmvFen);
  }

  /** The last `count` minutes, oldest first (copies, safe to send). */
  trend(count = 60): MinutePoint[] {
    return this.minutes.slice(-count).map((m) => ({ ...m }));
  }

  /** Markers within the last `sinceMs` of the clock. */
  recentMarkers(sinceMs = 60 * MINUTE): Marker[] {
    return this.markers.filter((m) => m.ts >= this.clock - sinceMs);
  }

  private platformCut(platform: string): Cut {
    let cut = this.platforms.get(platform);
    if (!cut) this.platforms.set(platform, (cut = new Cut()));
    return cut;
  }

  private product(id: string): Product {
    let product = this.products.get(id);
    if (!product) this.products.set(id, (product = { cut: new Cut() }));
    return product;
  }

  /** The person number of an event's user, -1 for none or a masked one (who is nobody in particular). */
  private personOf(e: LiveEvent): number {
    const user = e.user;
    if (!user || user.masked) return -1;
    const id = this.personNumbers.numberOf(e.platform, user.id);
    if (id === this.visitSince.length) this.visitSince.push(Number.NaN);
    return id;
  }

  /** Watch time: a visit runs from enter to leave; someone acting without an enter we saw is present from then. */
  private watch(e: LiveEvent, person: number): void {
    const since = this.visitSince[person];
    if (e.kind === 'leave') {
      if (!Number.isNaN(since)) {
        this.finishedWatchMs += Math.max(0, e.ts - since);
        this.present--;
        this.presentSinceSum -= since;
        this.visitSince[person] = Number.NaN;
      }
    } else if (Number.isNaN(since) && inRoom(e)) {
      this.visitSince[person] = e.ts;
      this.present++;
      this.presentSinceSum += e.ts;
    }
  }

  private updateOnline(platform: string, roomId: string, ts: number, online: number, minute: MinutePoint): void {
    const key = `${platform}\u0000${roomId}`;
    const last = this.onlineBy.get(key);
    // A sample older than the platform's latest is stale: it changes nothing.
    if (last && ts < last.ts) return;
    this.online += online - (last?.online ?? 0);
    this.onlineBy.set(key, { platform, ts, online });
    minute.online = this.online;
  }

  private countSecond(ts: number): void {
    const sec = Math.floor(ts / 1000);
    const slot = sec % 60;
    if (this.secondTags[slot] !== sec) {
      this.secondTags[slot] = sec;
      this.secondCounts[slot] = 0;
    }
    this.secondCounts[slot]++;
  }

  private commentsPerMin(): number {
    const nowSec = Math.floor(this.clock / 1000);
    let n = 0;
    for (let i = 0; i < 60; i++) {
      const tag = this.secondTags[i];
      if (tag > nowSec - 60 && tag <= nowSec) n += this.secondCounts[i];
    }
    return n;
  }

  /** A moment ops made (a talking point answered, an annotation), marked on the trend at `ts` (default: the room's clock). */
  note(kind: Marker['kind'], label: string, ts = this.clock): void {
    this.mark({ ts, kind, label });
  }

  private mark(marker: Marker): void {
    this.markers.push(marker);
    if (this.markers.length > MARKERS_KEPT) this.markers.shift();
  }

  /** The minute bucket for a timestamp, created in order; a minute without online samples carries the last one. */
  private minuteAt(ts: number): MinutePoint {
    const t = Math.floor(ts / MINUTE) * MINUTE;
    const last = this.minutes.at(-1);
    if (last && last.t === t) return last;
    if (!last || t > last.t) {
      const k = this.all;
      this.headlines.push({ t, uv: k.viewers.size, pv: k.pv, comments: k.comments, gmvFen: k.gmvFen, paidOrders: k.paidOrders });
      if (this.headlines.length > 10) this.headlines.shift();
      const point = { t, online: this.online, entries: 0, comments: 0, gmvFen: 0 };
      this.minutes.push(point);
      if (this.minutes.length > TREND_MINUTES) this.minutes.shift();
      return point;
    }
    // A late event for an earlier minute: find it (or the nearest earlier one we still keep).
    for (let i = this.minutes.length - 1; i >= 0; i--) if (this.minutes[i].t <= t) return this.minutes[i];
    return this.minutes[0];
  }
}
