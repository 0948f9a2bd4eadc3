// The per-connection limits of the browser-mode contract socket: how large one request may be and how
// many a connection may make (a token bucket). A request over a limit is answered with a typed error
// (`too_large`, `rate_limited`) and the connection stays up; only a frame too large to read into
// memory at all closes it. Every refusal is counted, per connection and for the whole server.

export interface ConnectionLimits {
  /** A request frame larger than this is answered `too_large` (the biggest legitimate one, an import chunk, is ~700 KB). */
  maxRequestBytes: number;
  /** A frame larger than this is not read: the connection is closed with 1009 (message too big). */
  maxFrameBytes: number;
  /** Requests a connection may make at once after a quiet spell… */
  burst: number;
  /** …and per second after that. */
  perSecond: number;
}

export const defaultLimits: ConnectionLimits = {
  maxRequestBytes: 1024 * 1024,
  maxFrameBytes: 4 * 1024 * 1024,
  burst: 200,
  perSecond: 100,
};

/** Refusals, per connection and summed over the server. */
export interface LimitCounts {
  tooLarge: number;
  rateLimited: number;
  /** Connections closed for a frame over `maxFrameBytes`. */
  closedOversize: number;
}

export const noRefusals = (): LimitCounts => ({ tooLarge: 0, rateLimited: 0, closedOversize: 0 });

/** A token bucket: `burst` tokens, refilled at `perSecond`; each request takes one. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /** Takes a token; false when there is none left. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * The request id at the very start of a frame (`{"id": 12, …`, the order every LiveDeck client writes),
 * read without parsing the frame, so that a refused request's reply still names it; null otherwise.
 */
export function leadingId(frame: Buffer): number | null {
  const match = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/.exec(frame.toString('latin1', 0, 64));
  return match ? Number(match[1]) : null;
}
