// Webhook request signatures, both sides: the sender's `sha256=<hex>` HMAC-SHA256 of
// "<timestamp>.<body>" under the endpoint's secret, and the receiver's check of it with a tolerance
// window against replays. Needs only node:crypto and shared/safe-equal.ts, so a Node receiver can copy both.
import { createHmac, type KeyObject } from 'node:crypto';
import { safeEqual } from '../shared/safe-equal';

export const TIMESTAMP_HEADER = 'X-LiveDeck-Timestamp';
export const SIGNATURE_HEADER = 'X-LiveDeck-Signature';
/** How far a request's timestamp may be from the receiver's clock, either way: 5 minutes. */
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

/** Request headers as Node gives them (`req.headers`), or any name → value record; names in any case. */
export type ReceivedHeaders = Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** Default DEFAULT_TOLERANCE_MS. */
  toleranceMs?: number;
  /** The receiver's clock, epoch ms; default Date.now(). */
  now?: number;
}

/** The X-LiveDeck-Signature value for a body sent at `timestamp` (epoch ms). */
export function signature(secret: string | KeyObject, timestamp: number | string, body: string | Buffer): string {
  const hmac = createHmac('sha256', secret).update(`${timestamp}.`).update(body);
  return `sha256=${hmac.digest('hex')}`;
}

/**
 * Whether a request came from LiveDeck with this secret, recently: its timestamp is within the
 * tolerance of `now` and its signature matches `body`, which must be the raw bytes received (JSON
 * parsed and written out again may differ). Compares in constant time.
 */
export function verifySignature(secret: string, body: string | Buffer, headers: ReceivedHeaders, options: VerifyOptions = {}): boolean {
  const { toleranceMs = DEFAULT_TOLERANCE_MS, now = Date.now() } = options;
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const offered = header(headers, SIGNATURE_HEADER);
  if (timestamp === undefined || offered === undefined || !/^\d{1,15}$/.test(timestamp)) return false;
  if (Math.abs(now - Number(timestamp)) > toleranceMs) return false;
  return safeEqual(offered, signature(secret, timestamp, body));
}

/** The header's one value; undefined when it is missing or repeated. */
function header(headers: ReceivedHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const values = Object.entries(headers).filter(([key]) => key.toLowerCase() === wanted);
  const value = values.length === 1 ? values[0][1] : undefined;
  return typeof value === 'string' ? value : undefined;
}
