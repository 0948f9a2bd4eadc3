// Staying connected: exponential backoff with full jitter between attempts, and a silence watchdog
// that declares a connection stalled when no data has arrived for a while (the commonest failure of
// live relays: the socket stays open and nothing comes); ReconnectingSource ties both to a socket source.
import type { Intake } from './intake';
import type { Source } from './source';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor({ initialMs = 500, maxMs = 30_000, random = Math.random }: BackoffOptions = {}) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = random;
  }

  /** The wait before the next attempt: uniform in [ceiling/2, ceiling], the ceiling doubling each time. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt++);
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}

/**
 * Calls `onSilence` once when `feed()` has not been called for `silenceMs`; re-armed by each feed.
 * Silence is judged only after the input already waiting has been read: when the process itself was
 * held up (a long task, a GC pause, the CPU busy elsewhere), timers run before the poll phase reads
 * what arrived meanwhile, and a line that kept talking would look silent and be dropped, its unread
 * data with it.
 */
export class Watchdog {
  private timer: NodeJS.Timeout | undefined;
  private judging: NodeJS.Immediate | undefined;
  private last = 0;

  constructor(
    private readonly silenceMs: number,
    private readonly onSilence: () => void,
  ) {}

  start(): void {
    this.last = Date.now();
    this.arm(this.silenceMs);
  }

  feed(): void {
    this.last = Date.now();
  }

  stop(): void {
    clearTimeout(this.timer);
    clearImmediate(this.judging);
    this.timer = this.judging = undefined;
  }

  private arm(ms: number): void {
    // One timer, checked lazily: feeding costs a clock read, not a timer reset per frame.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // setImmediate runs after this turn's poll phase, so what is waiting on the socket is read (and feeds) first.
      this.judging = setImmediate(() => {
        this.judging = undefined;
        const quiet = Date.now() - this.last;
        if (quiet >= this.silenceMs) this.onSilence();
        else this.arm(this.silenceMs - quiet);
      });
      this.judging.unref();
    }, ms);
    this.timer.unref?.();
  }
}

/** What a connection attempt reports back to its ReconnectingSource. */
export interface Link {
  /** The connection is up (resets the backoff, starts the watchdog). */
  connected(): void;
  /** Data arrived (feeds the watchdog). */
  data(): void;
  /** The connection failed or closed: it will be replaced. */
  lost(detail: string): void;
}

/**
 * A socket source that stays connected: it opens one connection (`connect`), and whenever that is
 * lost or falls silent, closes it and opens the next after a jittered backoff, until stopped.
 */
export abstract class ReconnectingSource implements Source {
  private close: (() => void) | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly backoff: Backoff;

  /**
   * @param label shown as the source's detail while connecting, e.g. the URL
   * @param silenceSec no data for this long → stalled and replaced; 0 disables the watchdog
   */
  constructor(
    private readonly label: string,
    private readonly silenceSec: number,
    backoff?: Backoff,
  ) {
    this.backoff = backoff ?? new Backoff();
  }

  /** Opens one connection and reports through `link`; returns how to close it. */
  protected abstract connect(intake: Intake, link: Link): () => void;

  start(intake: Intake): void {
    this.stopped = false;
    this.open(intake, 'connecting');
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.drop();
  }

  private open(intake: Intake, state: 'connecting' | 'reconnecting'): void {
    const { label, silenceSec } = this;
    intake.setState(state, label);
    let current = true;
    const watchdog = silenceSec > 0 ? new Watchdog(silenceSec * 1000, () => this.lose(intake, 'stalled', `no data for ${silenceSec} s`)) : undefined;
    const close = this.connect(intake, {
      connected: () => {
        if (!current) return;
        this.backoff.reset();
        intake.setState('connected', label);
        watchdog?.start();
      },
      data: () => watchdog?.feed(),
      lost: (detail) => {
        if (current) this.lose(intake, 'reconnecting', detail);
      },
    });
    this.close = () => {
      current = false;
      watchdog?.stop();
      close();
    };
  }

  private lose(intake: Intake, state: 'stalled' | 'reconnecting', detail: string): void {
    this.drop();
    if (this.stopped) return;
    intake.setState(state, detail);
    this.retry = setTimeout(() => this.open(intake, 'reconnecting'), this.backoff.next());
  }

  private drop(): void {
    this.close?.();
    this.close = undefined;
  }
}
