// Coupon delivery by webhook against a real receiver on 127.0.0.1, into real SQLite files: signed
// headers checked with verifySignature, a receiver that fails now and then (500s, dropped connections,
// answers past the timeout) still processing each coupon exactly once, dead letters and retry,
// restarts that send nothing twice, and the checks on what is configured and queued.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../src-main/storage/db';
import {
  DEFAULT_TOLERANCE_MS,
  WebhookOutbox,
  verifySignature,
  type DeliveryStatus,
  type WebhookOptions,
} from '../../src-main/triggers/webhook';
import { freshDb } from '../profiles/helpers';

const SECRET = 'whsec-test-0123456789abcdef';
const fast: WebhookOptions = { backoff: { initialMs: 10, maxMs: 40 }, timeoutMs: 1_000 };

/**
 * How the receiver answers a request: 'ok', an HTTP status, 'drop' (close the connection), 'slow'
 * (process it, answer too late) or 'hang' (never answer).
 */
type Reply = 'ok' | 'drop' | 'slow' | 'hang' | number;

interface Received {
  key: string;
  raw: Buffer;
  headers: IncomingHttpHeaders;
  valid: boolean;
  answer: Reply | 'duplicate' | 'invalid';
}

/** A webhook receiver as docs/webhooks.md asks: verifies, de-duplicates by key, processes each key once. */
class Receiver {
  readonly received: Received[] = [];
  /** Times each key was processed (a duplicate is acknowledged, not processed again). */
  readonly processed = new Map<string, number>();
  reply: (n: number, key: string) => Reply = () => 'ok';
  /** Added before every answer. */
  latencyMs = 0;
  /** How long a 'slow' answer takes. */
  slowMs = 0;
  /** A request arrived for a key while another request for it was open. */
  overlaps = 0;
  maxOpen = 0;
  private readonly open = new Set<Received>();

  constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/coupons`);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => void receiver.answer(Buffer.concat(chunks), req.headers, res));
    });
    return receiver;
  }

  count(key: string): number {
    return this.received.filter((r) => r.key === key).length;
  }

  answers(): Received['answer'][] {
    return this.received.map((r) => r.answer);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async answer(raw: Buffer, headers: IncomingHttpHeaders, res: ServerResponse): Promise<void> {
    const key = String(headers['idempotency-key']);
    const body = JSON.parse(raw.toString()) as { idempotency_key: string };
    const valid = verifySignature(SECRET, raw, headers) && body.idempotency_key === key;
    const request: Received = { key, raw, headers, valid, answer: 'invalid' };
    this.received.push(request);
    this.track(request, res);
    if (!valid) return void res.writeHead(401).end('bad signature');
    if (this.processed.has(key)) {
      request.answer = 'duplicate';
      return void res.writeHead(200).end('already processed');
    }
    request.answer = this.reply(this.received.length, key);
    await this.deliver(request, res);
  }

  private async deliver({ key, answer }: Received, res: ServerResponse): Promise<void> {
    if (answer === 'drop') return void res.socket?.destroy();
    if (answer === 'hang') return;
    if (answer === 'ok' || answer === 'slow') this.processed.set(key, (this.processed.get(key) ?? 0) + 1);
    await sleep(this.latencyMs + (answer === 'slow' ? this.slowMs : 0));
    if (res.destroyed) return;
    if (answer === 302) res.writeHead(302, { Location: 'https://elsewhere.example/' }).end();
    else if (typeof answer === 'number') res.writeHead(answer).end(`nope ${answer}`);
    else res.writeHead(200).end('ok');
  }

  /** A request is open until its answer is written or its connection closes. */
  private track(request: Received, res: ServerResponse): void {
    if ([...this.open].some((other) => other.key === request.key)) this.overlaps++;
    this.open.add(request);
    this.maxOpen = Math.max(this.maxOpen, this.open.size);
    const done = () => this.open.delete(request);
    res.once('finish', done).once('close', done);
  }
}

const receivers: Receiver[] = [];
const outboxes: WebhookOutbox[] = [];
const dbs: Db[] = [];

afterEach(async () => {
  await Promise.all(outboxes.splice(0).map((o) => o.stop()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  for (const db of dbs.splice(0)) if (db.open) db.close();
});

async function receiver(): Promise<Receiver> {
  const r = await Receiver.start();
  receivers.push(r);
  return r;
}

function outboxOn(db: Db, url: string, options: WebhookOptions = {}): WebhookOutbox {
  if (!dbs.includes(db)) dbs.push(db);
  const outbox = new WebhookOutbox(db, { url, secret: SECRET }, { ...fast, ...options });
  outboxes.push(outbox);
  return outbox;
}

function setup(r: Receiver, options: WebhookOptions = {}): { db: Db; dir: string; outbox: WebhookOutbox } {
  const { db, dir } = freshDb();
  return { db, dir, outbox: outboxOn(db, r.url, options) };
}

function keys(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `decision-${String(i).padStart(3, '0')}`);
}

async function allSent(outbox: WebhookOutbox, n: number): Promise<void> {
  await vi.waitFor(() => expect(outbox.stats()).toEqual({ pending: 0, sent: n, dead: 0, inFlight: 0 }), { timeout: 8_000, interval: 5 });
}

describe('WebhookOutbox', () => {
  it('posts the JSON with idempotency key, timestamp and a signature the receiver verifies', async () => {
    const r = await receiver();
    const { db, outbox } = setup(r);
    const before = Date.now();
    expect(outbox.enqueue({ key: 'rule-7:s1:42', body: { coupon: 'C10', personId: 42, faceValueFen: 1000 } })).toBe(true);
    outbox.start();
    await allSent(outbox, 1);

    const [got] = r.received;
    expect(got.valid).toBe(true);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['idempotency-key']).toBe('rule-7:s1:42');
    const timestamp = Number(got.headers['x-livedeck-timestamp']);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Date.now());
    expect(got.headers['x-livedeck-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(got.raw.toString())).toEqual({
      idempotency_key: 'rule-7:s1:42',
      created_at: expect.any(Number),
      data: { coupon: 'C10', personId: 42, faceValueFen: 1000 },
    });
    const delivery = { status: 'sent', attempts: 1, lastError: null, url: r.url, body: got.raw.toString() };
    expect(outbox.delivery('rule-7:s1:42')).toMatchObject(delivery);

    // The secret is in no row and not in the outbox's printout.
    expect(JSON.stringify(db.prepare('SELECT * FROM webhook_outbox').all())).not.toContain(SECRET);
    expect(inspect(outbox, { depth: 5 })).not.toContain(SECRET);
  });

  it('verifySignature refuses another secret, a changed body, a stale or future timestamp and missing headers', async () => {
    const r = await receiver();
    const { outbox } = setup(r);
    outbox.enqueue({ key: 'k1', body: { coupon: 'C5' } });
    outbox.start();
    await allSent(outbox, 1);
    const { raw, headers } = r.received[0];
    const ts = Number(headers['x-livedeck-timestamp']);

    expect(verifySignature(SECRET, raw, headers, { now: ts })).toBe(true);
    expect(verifySignature(SECRET, raw.toString(), headers, { now: ts + DEFAULT_TOLERANCE_MS })).toBe(true);
    expect(verifySignature('another-secret-0123456789', raw, headers, { now: ts })).toBe(false);
    expect(verifySignature(SECRET, raw.toString().replace('C5', 'C9'), headers, { now: ts })).toBe(false);
    expect(verifySignature(SECRET, raw, headers, { now: ts + DEFAULT_TOLERANCE_MS + 1 })).toBe(false);
    expect(verifySignature(SECRET, raw, headers, { now: ts - DEFAULT_TOLERANCE_MS - 1 })).toBe(false);
    expect(verifySignature(SECRET, raw, headers, { now: ts + 2_000, toleranceMs: 1_000 })).toBe(false);
    // Another timestamp with the same signature: the timestamp is signed too.
    expect(verifySignature(SECRET, raw, { ...headers, 'x-livedeck-timestamp': String(ts + 1) }, { now: ts })).toBe(false);
    expect(verifySignature(SECRET, raw, { ...headers, 'x-livedeck-signature': undefined }, { now: ts })).toBe(false);
    expect(verifySignature(SECRET, raw, { ...headers, 'x-livedeck-timestamp': `${ts}.0` }, { now: ts })).toBe(false);
    // Header names in any case, as a fetch-style receiver might pass them.
    const mixedCase = { 'X-LiveDeck-Timestamp': String(ts), 'X-LiveDeck-Signature': String(headers['x-livedeck-signature']) };
    expect(verifySignature(SECRET, raw, mixedCase, { now: ts })).toBe(true);
  });

  it('gets every coupon processed exactly once through 500s, dropped connections and late answers', async () => {
    const r = await receiver();
    r.slowMs = 400;
    r.reply = (n) => (n % 6 === 1 ? 500 : n % 6 === 3 ? 'drop' : n % 9 === 5 ? 'slow' : 'ok');
    const { outbox } = setup(r, { concurrency: 4, maxAttempts: 30, timeoutMs: 150, backoff: { initialMs: 20, maxMs: 40 } });
    const all = keys(30);
    for (const key of all) outbox.enqueue({ key, body: { coupon: 'C10', key } });
    outbox.start();
    await allSent(outbox, all.length);

    expect([...r.processed].sort()).toEqual(all.map((key) => [key, 1]));
    expect(r.received.every((got) => got.valid)).toBe(true);
    const answers = r.answers();
    for (const failure of [500, 'drop', 'slow', 'duplicate'] as const) expect(answers).toContain(failure);
    // A prompt 2xx ends a delivery: only a key whose answer came too late is sent again.
    for (const key of all) {
      const sequence = r.received.filter((got) => got.key === key).map((got) => got.answer);
      expect(sequence.slice(sequence.findIndex((a) => a === 'ok' || a === 'slow') + 1).every((a) => a === 'duplicate')).toBe(true);
      expect(sequence.at(-1)).toMatch(/^(ok|duplicate)$/);
    }
    expect(r.overlaps).toBe(0);
    expect(outbox.deadLetters()).toEqual([]);
  });

  it('keeps at most `concurrency` requests in flight, one per key', async () => {
    const r = await receiver();
    r.latencyMs = 30;
    const { outbox } = setup(r, { concurrency: 3 });
    const all = keys(12);
    for (const key of all) outbox.enqueue({ key, body: { coupon: 'C8' } });
    outbox.start();
    await vi.waitFor(() => expect(outbox.stats().inFlight).toBe(3), { timeout: 2_000, interval: 1 });
    await allSent(outbox, all.length);
    expect(r.maxOpen).toBe(3);
    expect(r.overlaps).toBe(0);
    expect(r.received).toHaveLength(all.length);
  });

  it('makes a dead letter of a 4xx at once and of a 5xx after maxAttempts; retry sends it once the receiver is fixed', async () => {
    const r = await receiver();
    const broken: Record<string, number> = { rejected: 422, failing: 503, moved: 302 };
    r.reply = (_, key) => broken[key] ?? 'ok';
    const changes: [string, DeliveryStatus][] = [];
    const { outbox } = setup(r, { maxAttempts: 3, onChange: (d) => changes.push([d.key, d.status]) });
    for (const key of ['rejected', 'failing', 'moved', 'fine']) outbox.enqueue({ key, body: { coupon: 'C1' } });
    outbox.start();
    await vi.waitFor(() => expect(outbox.stats()).toMatchObject({ pending: 0, sent: 1, dead: 3 }), { timeout: 5_000, interval: 5 });

    const dead = Object.fromEntries(outbox.deadLetters().map((d) => [d.key, d]));
    expect(Object.keys(dead).sort()).toEqual(['failing', 'moved', 'rejected']);
    expect(dead.rejected).toMatchObject({ attempts: 1, lastError: 'the endpoint answered HTTP 422: nope 422' });
    expect(dead.moved).toMatchObject({ attempts: 1, lastError: expect.stringContaining('HTTP 302 (redirects are not followed') });
    expect(dead.failing).toMatchObject({ attempts: 3, lastError: 'the endpoint answered HTTP 503: nope 503 (gave up after 3 attempts)' });
    expect([r.count('rejected'), r.count('failing'), r.count('moved')]).toEqual([1, 3, 1]);

    r.reply = () => 'ok';
    expect(outbox.retry('rejected')).toBe(true);
    expect(outbox.retry('rejected')).toBe(false);
    expect(outbox.retry('fine')).toBe(false);
    expect(outbox.retry('unknown')).toBe(false);
    expect(outbox.retry('failing')).toBe(true);
    expect(outbox.retry('moved')).toBe(true);
    await allSent(outbox, 4);
    expect(outbox.delivery('failing')).toMatchObject({ attempts: 1, lastError: null });
    expect([...r.processed.values()]).toEqual([1, 1, 1, 1]);
    expect(changes.filter(([key]) => key === 'rejected').map(([, status]) => status)).toEqual(['pending', 'dead', 'pending', 'sent']);
  });

  it('makes a dead letter of a request the receiver refuses as badly signed (another secret)', async () => {
    const r = await receiver();
    const { db } = freshDb();
    dbs.push(db);
    const outbox = new WebhookOutbox(db, { url: r.url, secret: 'not-the-receivers-secret' }, fast);
    outboxes.push(outbox);
    outbox.enqueue({ key: 'forged', body: { coupon: 'C1' } });
    outbox.start();
    await vi.waitFor(() => expect(outbox.stats().dead).toBe(1), { timeout: 2_000, interval: 5 });
    expect(r.answers()).toEqual(['invalid']);
    expect(outbox.deadLetters()[0].lastError).toBe('the endpoint answered HTTP 401 (check the secret): bad signature');
  });

  it('resumes after a restart: a new outbox on the reopened database sends the rest and nothing twice', async () => {
    const r = await receiver();
    r.latencyMs = 20;
    const { db, dir, outbox } = setup(r, { concurrency: 2 });
    const all = keys(12);
    for (const key of all) outbox.enqueue({ key, body: { coupon: 'C3' } });
    outbox.start();
    await vi.waitFor(() => expect(outbox.stats().sent).toBeGreaterThanOrEqual(4), { timeout: 5_000, interval: 2 });
    await outbox.stop();
    const stopped = outbox.stats();
    expect(stopped.inFlight).toBe(0);
    expect(stopped.pending).toBeGreaterThan(0);
    expect(stopped.sent + stopped.pending).toBe(all.length);
    db.close();

    const reopened = openDb(dir);
    const next = outboxOn(reopened, r.url);
    expect(next.enqueue({ key: all[0], body: { coupon: 'again' } })).toBe(false);
    next.start();
    await allSent(next, all.length);
    expect(all.map((key) => r.count(key))).toEqual(all.map(() => 1));
    expect([...r.processed.values()].every((n) => n === 1)).toBe(true);
  });

  it('stop aborts a request that hangs, without counting it; the next outbox sends it', async () => {
    const r = await receiver();
    r.reply = () => 'hang';
    const { db, dir, outbox } = setup(r, { stopGraceMs: 50, timeoutMs: 10_000 });
    outbox.enqueue({ key: 'stuck', body: { coupon: 'C2' } });
    outbox.start();
    await vi.waitFor(() => expect(r.received).toHaveLength(1), { timeout: 2_000, interval: 2 });
    const started = Date.now();
    await outbox.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outbox.delivery('stuck')).toMatchObject({ status: 'pending', attempts: 0 });
    db.close();

    r.reply = () => 'ok';
    const next = outboxOn(openDb(dir), r.url);
    next.start();
    await allSent(next, 1);
    expect(next.delivery('stuck')).toMatchObject({ attempts: 1 });
  });

  it('delivers a key enqueued twice once, with the first body', async () => {
    const r = await receiver();
    const { outbox } = setup(r);
    expect(outbox.enqueue({ key: 'same', body: { coupon: 'first' } })).toBe(true);
    expect(outbox.enqueue({ key: 'same', body: { coupon: 'second' } })).toBe(false);
    outbox.start();
    await allSent(outbox, 1);
    expect(outbox.enqueue({ key: 'same', body: { coupon: 'third' } })).toBe(false);
    await sleep(50);
    expect(r.received).toHaveLength(1);
    expect(JSON.parse(r.received[0].raw.toString()).data).toEqual({ coupon: 'first' });
  });

  it('refuses a bad URL, a short secret, bad options, bad keys and bodies that are not JSON', () => {
    const { db } = freshDb();
    dbs.push(db);
    const make = (url: string, secret = SECRET, options: WebhookOptions = {}) => () => new WebhookOutbox(db, { url, secret }, options);
    expect(make('not a url')).toThrow('not a URL');
    expect(make('ftp://127.0.0.1/hook')).toThrow('http or https');
    expect(make('file:///etc/passwd')).toThrow('http or https');
    expect(make('https://user:pass@example.com/hook')).toThrow('credentials');
    expect(make('https://example.com/hook', 'short')).toThrow('at least 16 characters');
    expect(make('https://example.com/hook', SECRET, { concurrency: 0 })).toThrow('concurrency');
    expect(make('https://example.com/hook', SECRET, { maxAttempts: 1.5 })).toThrow('maxAttempts');

    const outbox = make('https://example.com/hook')();
    for (const key of ['', 'has space', '优惠券', 'x'.repeat(201)]) {
      expect(() => outbox.enqueue({ key, body: {} })).toThrow('idempotency key');
    }
    expect(() => outbox.enqueue({ key: 'k', body: undefined })).toThrow('not JSON');
    expect(() => outbox.enqueue({ key: 'k', body: () => 1 })).toThrow('not JSON');
    expect(outbox.stats()).toEqual({ pending: 0, sent: 0, dead: 0, inFlight: 0 });
  });
});
