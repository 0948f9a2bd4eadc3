// Live room KPIs, updated incrementally per event (never by rescanning): headline counters, a
// 60-second ring for "comments per minute", and the minute series behind the trend chart. A room
// streamed on several platforms at once is one room: its online is the sum over platforms.
// The clock is the newest event time seen, so replayed sessions compute exactly what live ones did.
import type { Kpis, MinutePoint } from '../contract';
import type { LiveEvent } from '../events/live-event';

const MINUTE = 60_000;
/** Minutes of trend kept in memory (the recorder keeps everything). */
const TREND_MINUTES = 24 * 60;

export class RoomMetrics {
  private online = 0;
  /** Latest online count per (platform, room) and its time: the room's online is their sum. */
  private readonly onlineBy = new Map<string, { ts: number; online: number }>();
  private comments = 0;
  private pv = 0;
  private gmvFen = 0;
  private paidOrders = 0;
  private readonly viewers = new Set<string>();
  private clock = 0;
  /** Comments per second for the last 60 seconds: slot = second % 60, tagged with its second. */
  private readonly secondCounts = new Int32Array(60);
  private readonly secondTags = new Float64Array(60).fill(-1);
  private readonly minutes: MinutePoint[] = [];

  apply(e: LiveEvent): void {
    if (e.ts > this.clock) this.clock = e.ts;
    const minute = this.minuteAt(e.ts);
    switch (e.kind) {
      case 'chat': {
        this.comments++;
        minute.comments++;
        const sec = Math.floor(e.ts / 1000);
        const slot = sec % 60;
        if (this.secondTags[slot] !== sec) {
          this.secondTags[slot] = sec;
          this.secondCounts[slot] = 0;
        }
        this.secondCounts[slot]++;
        break;
      }
      case 'enter':
        this.pv++;
        minute.entries++;
        if (e.user) this.viewers.add(`${e.platform}\u0000${e.user.id}`);
        break;
      case 'viewer_stats': {
        const key = `${e.platform}\u0000${e.roomId}`;
        const last = this.onlineBy.get(key);
        // A sample older than the platform's latest is stale: it changes nothing.
        if (!last || e.ts >= last.ts) {
          this.online += e.online - (last?.online ?? 0);
          this.onlineBy.set(key, { ts: e.ts, online: e.online });
          minute.online = this.online;
        }
        break;
      }
      case 'order_paid':
        this.gmvFen += e.amountFen;
        this.paidOrders++;
        minute.gmvFen += e.amountFen;
        break;
      default:
        break;
    }
  }

  kpis(): Kpis {
    const nowSec = Math.floor(this.clock / 1000);
    let commentsPerMin = 0;
    for (let i = 0; i < 60; i++) {
      const tag = this.secondTags[i];
      if (tag > nowSec - 60 && tag <= nowSec) commentsPerMin += this.secondCounts[i];
    }
    const before = this.minutes.find((m) => m.t === Math.floor(this.clock / MINUTE) * MINUTE - 5 * MINUTE);
    return {
      online: this.online,
      onlineChange5m: before ? this.online - before.online : null,
      commentsPerMin,
      comments: this.comments,
      uv: this.viewers.size,
      pv: this.pv,
      gmvFen: this.gmvFen,
      paidOrders: this.paidOrders,
    };
  }

  /** The last `count` minutes, oldest first (copies, safe to send). */
  trend(count = 60): MinutePoint[] {
    return this.minutes.slice(-count).map((m) => ({ ...m }));
  }

  /** The minute bucket for a timestamp, created in order; a minute without online samples carries the last one. */
  private minuteAt(ts: number): MinutePoint {
    const t = Math.floor(ts / MINUTE) * MINUTE;
    const last = this.minutes.at(-1);
    if (last && last.t === t) return last;
    if (!last || t > last.t) {
      const point = { t, online: last?.online ?? this.online, entries: 0, comments: 0, gmvFen: 0 };
      this.minutes.push(point);
      if (this.minutes.length > TREND_MINUTES) this.minutes.shift();
      return point;
    }
    // A late event for an earlier minute: find it (or the nearest earlier one we still keep).
    for (let i = this.minutes.length - 1; i >= 0; i--) if (this.minutes[i].t <= t) return this.minutes[i];
    return this.minutes[0];
  }
}
