// One source's way into the pipeline and its health: stamps and checks what the source decoded,
// offers valid events to the ingress, and counts everything (per reason and kind, with the last few
// bad samples) so the Sources page can show exactly what went wrong.
import type { SourceErrorSample, SourceHealth, SourceState } from '../contract';
import type { EventOf } from '../events/live-event';
import type { Ingress, Offer } from '../pipeline/ingress';
import { decodeFrame, decodeValue, jsonOf, type DecodeSink, type FrameError, type Stamp } from './decode';
import { GiftStreaks } from './gift-streaks';

const SAMPLES_KEPT = 5;

/** What became of the events of one frame or value. */
export interface TakeResult {
  accepted: number;
  duplicates: number;
  dropped: number;
  rejected: number;
}

export interface IntakeConfig {
  id: string;
  platform: string;
  roomId: string;
  /** 'running_total': gift events with a streakId carry the streak's total so far (see GiftStreaks). */
  giftCounts?: 'increment' | 'running_total';
}

export class Intake {
  private readonly health: Omit<SourceHealth, 'errorsByReason' | 'errorsByKind' | 'samples'>;
  private readonly byReason = new Map<string, number>();
  private readonly byKind = new Map<string, number>();
  private readonly samples: SourceErrorSample[] = [];
  private rate = { ts: Date.now(), accepted: 0, perSec: 0 };
  private readonly result: TakeResult = { accepted: 0, duplicates: 0, dropped: 0, rejected: 0 };
  private readonly stamped: Stamp;
  private readonly streaks: GiftStreaks | undefined;

  /** `keepRaw`: where the source's raw frames go, when it keeps them (a debugging aid). */
  constructor(
    config: IntakeConfig,
    private readonly ingress: Ingress,
    private readonly keepRaw?: (data: string | Buffer | ArrayBuffer | Buffer[]) => void,
  ) {
    this.stamped = { platform: config.platform, roomId: config.roomId, recvTs: 0 };
    this.streaks = config.giftCounts === 'running_total' ? new GiftStreaks() : undefined;
    this.health = {
      id: config.id,
      state: 'stopped',
      received: 0,
      accepted: 0,
      duplicates: 0,
      dropped: 0,
      eventsPerSec: 0,
      reconnects: 0,
      errors: 0,
    };
  }

  /** A frame exactly as it came off the wire, kept when the source is set to (before it is decoded). */
  raw(data: string | Buffer | ArrayBuffer | Buffer[]): void {
    this.keepRaw?.(data);
  }

  /** A value a transport parsed already (a socket.io event), kept as its JSON text when the source is set to. */
  rawValue(value: unknown): void {
    if (this.keepRaw) this.keepRaw(jsonOf(value));
  }

  /** A raw frame from the wire. What became of its events is returned (valid until the next call). */
  frame(data: string | Buffer | ArrayBuffer | Buffer[]): TakeResult {
    this.begin();
    decodeFrame(data, this.stamp(), this.sink);
    return this.result;
  }

  /** An already-parsed value (socket.io payloads, HTTP bodies, events a source built): one event or an array. */
  value(value: unknown): TakeResult {
    this.begin();
    decodeValue(value, this.stamp(), this.sink);
    return this.result;
  }

  /** Input the source could not even decode into values (e.g. a broken binary frame). */
  error(error: FrameError): void {
    this.sink.reject(error);
  }

  setState(state: SourceState, detail?: string): void {
    if (state === 'reconnecting' && this.health.state !== 'reconnecting') this.health.reconnects++;
    this.health.state = state;
    this.health.detail = detail;
  }

  /** True while the pipeline is behind: a source that can pause its input should. */
  get congested(): boolean {
    return this.ingress.congested;
  }

  whenDrained(listener: () => void): void {
    this.ingress.whenDrained(listener);
  }

  snapshot(extra?: Pick<SourceHealth, 'replay'>): SourceHealth {
    const now = Date.now();
    if (now - this.rate.ts >= 1000) {
      this.rate = { ts: now, accepted: this.health.accepted, perSec: ((this.health.accepted - this.rate.accepted) * 1000) / (now - this.rate.ts) };
    }
    return {
      ...this.health,
      eventsPerSec: Math.round(this.rate.perSec),
      errorsByReason: Object.fromEntries(this.byReason),
      errorsByKind: Object.fromEntries(this.byKind),
      samples: [...this.samples],
      ...extra,
    };
  }

  /** The envelope defaults for what arrives now (one object, re-stamped per frame). */
  private stamp(): Stamp {
    this.stamped.recvTs = Date.now();
    return this.stamped;
  }

  private begin(): void {
    const r = this.result;
    r.accepted = r.duplicates = r.dropped = r.rejected = 0;
  }

  private readonly sink: DecodeSink = {
    accept: (event) => {
      const h = this.health;
      h.received++;
      h.lastEventAt = event.recvTs;
      const offer = this.streaks && event.kind === 'gift' && event.streakId ? this.offerStreak(event) : this.ingress.offer(event);
      this.result[offer]++;
      h[offer]++;
    },
    reject: (error) => {
      this.health.received++;
      this.result.rejected++;
      this.count(error);
    },
  };

  /** A running-total gift message: only what the streak grew by goes on, a stale total is a repeat. */
  private offerStreak(event: EventOf<'gift'>): Offer {
    const total = event.count;
    const added = this.streaks!.increment(`${event.platform}\u0000${event.user?.id ?? ''}\u0000${event.streakId}`, total);
    if (added === 0) return 'duplicates';
    event.count = added;
    event.valueFen = Math.round((event.valueFen * added) / total);
    return this.ingress.offer(event);
  }

  private count(error: FrameError): void {
    this.health.errors++;
    this.byReason.set(error.reason, (this.byReason.get(error.reason) ?? 0) + 1);
    this.byKind.set(error.kind, (this.byKind.get(error.kind) ?? 0) + 1);
    this.samples.push({ ts: Date.now(), reason: error.reason, kind: error.kind, message: error.message, sample: error.sample });
    if (this.samples.length > SAMPLES_KEPT) this.samples.shift();
  }
}
