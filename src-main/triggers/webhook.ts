// Coupon delivery by webhook. Owns the webhook_outbox table (one row per decision, keyed by its
// idempotency key: its body, attempts, state and last error) and the worker that POSTs each pending
// row, signed, to the configured endpoint until the endpoint accepts it (sent, never sent again) or
// it is given up on (a dead letter, kept until retried). The receiving side is docs/webhooks.md;
// signatures are webhook-signature.ts.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff, type BackoffOptions } from '../sources/reconnect';
import { checkEndpointUrl } from '../shared/endpoint-url';
import { messageOf } from '../shared/values';
import type { Db } from '../storage/db';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signature } from './webhook-signature';

export { DEFAULT_TOLERANCE_MS, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './webhook-signature';
export type { ReceivedHeaders, VerifyOptions } from './webhook-signature';

export const MIN_SECRET_LENGTH = 16;
const MAX_KEY_LENGTH = 200;
const DEFAULTS = {
  maxAttempts: 8,
  concurrency: 4,
  timeoutMs: 10_000,
  stopGraceMs: 3_000,
  backoff: { initialMs: 1_000, maxMs: 60_000 },
};
/** A claimed row is not claimed again for this long past the request's timeout (another outbox on the file). */
const LEASE_MARGIN_MS = 60_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface WebhookEndpoint {
  /** http or https, without credentials in it. */
  url: string;
  /** Signs every request; at least MIN_SECRET_LENGTH characters. Kept in memory only. */
  secret: string;
}

export interface WebhookOptions {
  /** Requests per delivery before it becomes a dead letter (default 8). */
  maxAttempts?: number;
  /** Requests in flight at once, across deliveries (default 4). */
  concurrency?: number;
  /** How long one request may take to answer (default 10 s). */
  timeoutMs?: number;
  /** Waits between a delivery's attempts (default from 1 s, doubling to at most 60 s, jittered). */
  backoff?: BackoffOptions;
  /** How long `stop` lets requests in flight finish before it aborts them (default 3 s). */
  stopGraceMs?: number;
  /** Told after every change of a delivery: enqueued, attempted, sent, dead, retried. */
  onChange?: (delivery: Delivery) => void;
}

export type DeliveryStatus = 'pending' | 'sent' | 'dead';

export interface Delivery {
  key: string;
  /** The endpoint of the latest attempt (or, before the first, the one configured when enqueued). */
  url: string;
  /** The JSON posted, exactly: `{"idempotency_key", "created_at", "data"}`. */
  body: string;
  createdAt: number;
  attempts: number;
  /** When a pending delivery is due next. */
  nextAt: number;
  status: DeliveryStatus;
  lastError: string | null;
  sentAt: number | null;
}

export interface OutboxStats {
  pending: number;
  sent: number;
  dead: number;
  /** Requests under way now (their deliveries count as pending). */
  inFlight: number;
}

export interface WebhookMessage {
  /** The decision's idempotency key: visible ASCII, at most 200 characters. */
  key: string;
  /** Any JSON value: the envelope's `data`. */
  body: unknown;
}

type Settings = Required<Omit<WebhookOptions, 'onChange'>>;

/** What one request came to. */
type Outcome = { kind: 'sent' } | { kind: 'retry' | 'fatal'; error: string } | { kind: 'stopped' };

interface Claimed {
  key: string;
  body: string;
  /** 1-based number of this attempt. */
  attempt: number;
}

const DELIVERY_COLUMNS = `key, url, body, created_at AS createdAt, attempts, next_at AS nextAt, status,
  last_error AS lastError, sent_at AS sentAt`;

/** Throws when the endpoint cannot be used: a URL that is not http(s) or carries credentials, or a short secret. */
export function checkEndpoint({ url, secret }: WebhookEndpoint): void {
  checkEndpointUrl(url, 'a webhook URL');
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`a webhook secret needs at least ${MIN_SECRET_LENGTH} characters`);
}

function checkOptions(options: WebhookOptions): Settings {
  const settings = { ...DEFAULTS, ...options };
  for (const name of ['maxAttempts', 'concurrency', 'timeoutMs'] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 1) {
      throw new Error(`${name} must be a whole number ≥ 1, not ${settings[name]}`);
    }
  }
  if (!Number.isSafeInteger(settings.stopGraceMs) || settings.stopGraceMs < 0) {
    throw new Error(`stopGraceMs must be whole ms ≥ 0, not ${settings.stopGraceMs}`);
  }
  return settings;
}

function checkKey(key: string): void {
  if (!/^[\x21-\x7e]+$/.test(key) || key.length > MAX_KEY_LENGTH) {
    throw new Error(`an idempotency key must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters: ${JSON.stringify(key)}`);
  }
}

/** The outbox of one endpoint: deliveries persist in the database, the worker runs between start and stop. */
export class WebhookOutbox {
  readonly url: string;
  /** The secret as a key object: printing the outbox does not print it. */
  private readonly secret: KeyObject;
  private readonly settings: Settings;
  private readonly inFlight = new Map<string, Promise<void>>();
  private abort = new AbortController();
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    endpoint: WebhookEndpoint,
    private readonly options: WebhookOptions = {},
  ) {
    checkEndpoint(endpoint);
    this.url = endpoint.url;
    this.secret = createSecretKey(Buffer.from(endpoint.secret));
    this.settings = checkOptions(options);
  }

  /** Queues a delivery; false (and nothing changes) when its key was queued before, whatever its state. */
  enqueue({ key, body }: WebhookMessage): boolean {
    checkKey(key);
    const now = Date.now();
    const data = JSON.stringify(body) as string | undefined;
    if (data === undefined) throw new Error(`the body of ${key} is not JSON`);
    const json = `{"idempotency_key":${JSON.stringify(key)},"created_at":${now},"data":${data}}`;
    const { changes } = this.db
      .prepare(
        `INSERT OR IGNORE INTO webhook_outbox (key, url, body, created_at, next_at, status)
         VALUES (?, ?, ?, ?, ?, 'pending')`,
      )
      .run(key, this.url, json, now, now);
    if (changes === 0) return false;
    this.notify(key);
    this.pump();
    return true;
  }

  /** Delivers pending rows (those of an earlier run included) until `stop`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.pump();
  }

  /**
   * Starts no more requests, gives those in flight `stopGraceMs` to finish, aborts the rest (they
   * stay pending, that attempt not counted) and resolves once every outcome is recorded: the
   * database may be closed then.
   */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    const settled = Promise.all(this.inFlight.values());
    await within(settled, this.settings.stopGraceMs);
    this.abort.abort();
    await settled;
  }

  /** Sends a dead letter again, with its attempts starting over; false when `key` is no dead letter. */
  retry(key: string): boolean {
    const { changes } = this.db
      .prepare("UPDATE webhook_outbox SET status = 'pending', attempts = 0, next_at = ? WHERE key = ? AND status = 'dead'")
      .run(Date.now(), key);
    if (changes === 0) return false;
    this.notify(key);
    this.pump();
    return true;
  }

  delivery(key: string): Delivery | undefined {
    return this.db.prepare<[string], Delivery>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_outbox WHERE key = ?`).get(key);
  }

  /** The dead letters, oldest first. */
  deadLetters(limit = 100): Delivery[] {
    return this.db
      .prepare<[number], Delivery>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_outbox WHERE status = 'dead' ORDER BY created_at, key LIMIT ?`)
      .all(limit);
  }

  stats(): OutboxStats {
    const rows = this.db
      .prepare<[], { status: DeliveryStatus; n: number }>('SELECT status, COUNT(*) AS n FROM webhook_outbox GROUP BY status')
      .all();
    const stats: OutboxStats = { pending: 0, sent: 0, dead: 0, inFlight: this.inFlight.size };
    for (const { status, n } of rows) stats[status] = n;
    return stats;
  }

  /** Starts requests for due rows while there is room, then wakes up when the next row is due. */
  private pump(): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    const room = this.settings.concurrency - this.inFlight.size;
    for (const row of this.claim(room)) this.launch(row);
    // A full worker is pumped again by the end of a request.
    if (this.inFlight.size < this.settings.concurrency) this.arm();
  }

  /**
   * Up to `room` due rows not in flight, each counted as attempted and leased past its request's
   * timeout in one conditional update: an outbox on the same file claims none of them twice.
   */
  private claim(room: number): Claimed[] {
    if (room <= 0) return [];
    const now = Date.now();
    const lease = now + this.settings.timeoutMs + LEASE_MARGIN_MS;
    const due = this.db
      .prepare<[number, string, number], { key: string; body: string; attempts: number }>(
        `SELECT key, body, attempts FROM webhook_outbox
         WHERE status = 'pending' AND next_at <= ? AND key NOT IN (SELECT value FROM json_each(?))
         ORDER BY next_at, created_at LIMIT ?`,
      )
      .all(now, this.busyKeys(), room);
    const take = this.db.prepare(
      "UPDATE webhook_outbox SET attempts = attempts + 1, next_at = ?, url = ? WHERE key = ? AND status = 'pending' AND next_at <= ?",
    );
    return due
      .filter(({ key }) => take.run(lease, this.url, key, now).changes === 1)
      .map(({ key, body, attempts }) => ({ key, body, attempt: attempts + 1 }));
  }

  /** A timer for the earliest pending row not in flight, if any. */
  private arm(): void {
    const next = this.db
      .prepare<[string], number | null>(
        `SELECT MIN(next_at) FROM webhook_outbox WHERE status = 'pending' AND key NOT IN (SELECT value FROM json_each(?))`,
      )
      .pluck()
      .get(this.busyKeys());
    if (next === null || next === undefined) return;
    this.timer = setTimeout(() => this.pump(), Math.min(MAX_TIMER_MS, Math.max(0, next - Date.now())));
    this.timer.unref();
  }

  private busyKeys(): string {
    return JSON.stringify([...this.inFlight.keys()]);
  }

  private launch(row: Claimed): void {
    const done = this.send(row)
      .then((outcome) => this.settle(row, outcome))
      .catch((err: unknown) => console.error(`webhook delivery ${row.key}: ${messageOf(err)}`))
      .finally(() => {
        this.inFlight.delete(row.key);
        this.pump();
      });
    this.inFlight.set(row.key, done);
  }

  /** One signed POST. Once the status line is in, it decides: a body cut short does not matter. */
  private async send({ key, body }: Claimed): Promise<Outcome> {
    const timestamp = Date.now();
    const headers = {
      'Content-Type': 'application/json',
      'Idempotency-Key': key,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signature(this.secret, timestamp, body),
    };
    const { timeoutMs } = this.settings;
    const stopped = this.abort.signal;
    const signal = AbortSignal.any([stopped, AbortSignal.timeout(timeoutMs)]);
    try {
      const response = await fetch(this.url, { method: 'POST', headers, body, redirect: 'manual', signal });
      return answerOutcome(response.status, await response.text().catch(() => ''));
    } catch (err) {
      if (stopped.aborted) return { kind: 'stopped' };
      if (err instanceof Error && err.name === 'TimeoutError') return { kind: 'retry', error: `no answer within ${timeoutMs} ms` };
      const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
      return { kind: 'retry', error: `the endpoint could not be reached: ${messageOf(cause)}` };
    }
  }

  /** Records what an attempt came to: sent, dead, due again after a backoff, or (stopped) due at once. */
  private settle({ key, attempt }: Claimed, outcome: Outcome): void {
    const now = Date.now();
    const update = (sql: string, ...params: (string | number)[]) =>
      this.db.prepare(`UPDATE webhook_outbox SET ${sql} WHERE key = ?`).run(...params, key);
    if (outcome.kind === 'sent') {
      update("status = 'sent', sent_at = ?, next_at = ?, last_error = NULL", now, now);
    } else if (outcome.kind === 'stopped') {
      update('attempts = attempts - 1, next_at = ?', now);
    } else if (outcome.kind === 'fatal' || attempt >= this.settings.maxAttempts) {
      const error = outcome.kind === 'fatal' ? outcome.error : `${outcome.error} (gave up after ${attempt} attempts)`;
      update("status = 'dead', next_at = ?, last_error = ?", now, error);
    } else {
      update('next_at = ?, last_error = ?', now + this.retryDelay(attempt), outcome.error);
    }
    this.notify(key);
  }

  /** The backoff's wait after a delivery's `attempt`-th failure. */
  private retryDelay(attempt: number): number {
    const backoff = new Backoff(this.settings.backoff);
    let wait = 0;
    for (let i = 0; i < attempt; i++) wait = backoff.next();
    return wait;
  }

  private notify(key: string): void {
    const { onChange } = this.options;
    if (!onChange) return;
    try {
      onChange(this.delivery(key)!);
    } catch (err) {
      console.error(`webhook onChange: ${messageOf(err)}`);
    }
  }
}

/** Resolves when `promise` settles or `ms` have passed, whichever is first. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  const timer = new AbortController();
  const expiry = sleep(ms, undefined, { signal: timer.signal, ref: false }).catch(() => undefined);
  await Promise.race([promise, expiry]);
  timer.abort();
}

/** 2xx: sent. 5xx, 408 and 429: worth another try. Anything else (redirects included) will not get better. */
function answerOutcome(status: number, text: string): Outcome {
  if (status >= 200 && status <= 299) return { kind: 'sent' };
  const detail = text.trim().slice(0, 200);
  const error = `the endpoint answered HTTP ${status}${hintFor(status)}${detail && `: ${detail}`}`;
  return { kind: status >= 500 || status === 408 || status === 429 ? 'retry' : 'fatal', error };
}

function hintFor(status: number): string {
  if (status >= 300 && status <= 399) return ' (redirects are not followed: configure the final URL)';
  return status === 401 || status === 403 ? ' (check the secret)' : '';
}
