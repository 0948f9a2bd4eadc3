// The entrance to the pipeline: de-duplicates by (platform, message id), then queues events in a
// bounded queue drained in slices, so a flood cannot block the process or grow memory without bound.
// Sources see the queue's pressure (to pause their sockets) and its lag is shown to the user.
import type { LiveEvent } from '../events/live-event';
import { Dedup } from './dedup';

export type Offer = 'accepted' | 'duplicates' | 'dropped';

export interface IngressOptions {
  /** Events held at most; beyond it new events are dropped and counted. */
  capacity?: number;
  /** Events processed per slice before yielding to I/O. */
  slice?: number;
}

export class Ingress {
  readonly capacity: number;
  private readonly slice: number;
  private readonly dedup = new Dedup();
  private queue: LiveEvent[] = [];
  private head = 0;
  private scheduled = false;
  private drainListeners: (() => void)[] = [];
  dropped = 0;

  constructor(
    private readonly process: (event: LiveEvent) => void,
    { capacity = 200_000, slice = 5_000 }: IngressOptions = {},
  ) {
    this.capacity = capacity;
    this.slice = slice;
  }

  offer(event: LiveEvent): Offer {
    // Capacity first: a dropped event must not be remembered as seen, or its re-sent copy would be lost too.
    if (this.length >= this.capacity) {
      this.dropped++;
      return 'dropped';
    }
    if (!this.dedup.firstSeen(event.platform, event.id)) return 'duplicates';
    this.queue.push(event);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
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

  /** Processes everything queued now (tests and shutdown). */
  flush(): void {
    while (this.length > 0) this.runSlice();
  }

  private readonly drain = (): void => {
    this.runSlice();
    if (this.length > 0) setImmediate(this.drain);
    else this.scheduled = false;
  };

  private runSlice(): void {
    const end = Math.min(this.queue.length, this.head + this.slice);
    while (this.head < end) this.process(this.queue[this.head++]);
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 50_000) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (!this.congested && this.drainListeners.length > 0) for (const listener of this.drainListeners.splice(0)) listener();
  }
}
