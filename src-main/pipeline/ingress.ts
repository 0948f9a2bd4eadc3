// The entrance to the pipeline: de-duplicates by (platform, message id), then processes each event
// at once while the pipeline keeps up, up to a budget per turn of the event loop; past that, events
// wait in a bounded queue drained in slices, so a flood can neither block the process nor grow
// memory without bound. Sources see the queue's pressure (to pause their sockets); its length and
// lag are shown to the user.
import type { LiveEvent } from '../events/live-event';
import { Dedup } from './dedup';

/** What became of an offered event (named like the counters that count it). */
export type Offer = 'accepted' | 'duplicates' | 'dropped';

export interface IngressOptions {
  /** Events held at most; beyond it new events are dropped and counted. */
  capacity?: number;
  /** Events processed per turn of the event loop before the rest wait in the queue. */
  slice?: number;
}

export class Ingress {
  readonly capacity: number;
  private readonly slice: number;
  private readonly dedup = new Dedup();
  private queue: LiveEvent[] = [];
  private head = 0;
  /** Events that may still be processed in this turn of the event loop. */
  private budget: number;
  private scheduled = false;
  private drainListeners: (() => void)[] = [];
  dropped = 0;

  constructor(
    private readonly process: (event: LiveEvent) => void,
    { capacity = 200_000, slice = 5_000 }: IngressOptions = {},
  ) {
    this.capacity = capacity;
    this.slice = slice;
    this.budget = slice;
  }

  offer(event: LiveEvent): Offer {
    // Capacity first: a dropped event must not be remembered as seen, or its re-sent copy would be lost too.
    if (this.length >= this.capacity) {
      this.dropped++;
      return 'dropped';
    }
    if (!this.dedup.firstSeen(event.platform, event.id)) return 'duplicates';
    if (this.length === 0 && this.budget > 0) {
      this.budget--;
      this.process(event);
    } else {
      this.queue.push(event);
    }
    this.schedule();
    return 'accepted';
  }

  get length(): number {
    return this.queue.length - this.head;
  }

  /** True above half capacity: sources that can pause their input should. */
  get congested(): boolean {
    return this.length >= this.capacity / 2;
  }

  /** Milliseconds the oldest queued event has waited since it was received. */
  lagMs(now = Date.now()): number {
    return this.length === 0 ? 0 : Math.max(0, now - this.queue[this.head].recvTs);
  }

  /** Calls back once the queue is no longer congested. */
  whenDrained(listener: () => void): void {
    if (!this.congested) listener();
    else this.drainListeners.push(listener);
  }

  /** Processes everything queued now, whatever the budget (shutdown). */
  flush(): void {
    this.runSlice(this.length);
  }

  /** Next turn: a fresh budget, and a slice of whatever waits. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.turn);
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    this.budget = this.slice;
    if (this.length > 0) {
      this.budget -= this.runSlice(this.budget);
      this.schedule();
    }
  };

  /** Processes up to `count` queued events in order; returns how many it did. */
  private runSlice(count: number): number {
    const start = this.head;
    const end = Math.min(this.queue.length, this.head + count);
    while (this.head < end) this.process(this.queue[this.head++]);
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 50_000) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (!this.congested && this.drainListeners.length > 0) for (const listener of this.drainListeners.splice(0)) listener();
    return end - start;
  }
}
