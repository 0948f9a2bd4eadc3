// Browser mode's limits over real sockets on 127.0.0.1: per-connection request size and rate on the
// contract socket (typed errors, the connection stays up, every refusal counted), the frame too big
// to read (closed, the server lives on), the HTTP side (files only, no bodies, bounded headers,
// protective headers), and the Host check that keeps a rebound web page out on loopback.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_CHUNK_BYTES } from '../../src-main/contract';
import { defaultLimits, leadingId, TokenBucket } from '../../src-main/transport/connection-limits';
import { startTestServer } from '../helpers/web-server';
import { WsClient } from '../helpers/ws-client';

/** A raw HTTP exchange, so that the method, Host and body are exactly what the test says. */
function exchange(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('the token bucket', () => {
  it('allows a burst, then the rate, refilling with time up to the burst', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 2, () => now);
    expect([1, 2, 3, 4].map(() => bucket.take())).toEqual([true, true, true, false]);
    now = 499;
    expect(bucket.take()).toBe(false);
    now = 500; // one token back at 2 a second
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now = 60_000; // a long quiet spell refills only up to the burst
    expect([1, 2, 3, 4].map(() => bucket.take())).toEqual([true, true, true, false]);
  });

  it('reads a request id off the start of a frame without parsing it', () => {
    expect(leadingId(Buffer.from('{"id":42,"method":"getInfo","args":{}}'))).toBe(42);
    expect(leadingId(Buffer.from(' { "id" : 7 }'))).toBe(7);
    expect(leadingId(Buffer.from('{"method":"getInfo","id":42}'))).toBeNull();
    expect(leadingId(Buffer.from('{"id":"42"}'))).toBeNull();
    expect(leadingId(Buffer.from('[1]'))).toBeNull();
  });

  it('by default fits the largest legitimate request, an import chunk', () => {
    const chunkFrame = JSON.stringify({ id: 1, method: 'importChunk', args: { uploadId: crypto.randomUUID(), offset: 0, data: 'A'.repeat(Math.ceil(MAX_CHUNK_BYTES / 3) * 4) } });
    expect(Buffer.byteLength(chunkFrame)).toBeLessThan(defaultLimits.maxRequestBytes);
    expect(defaultLimits.maxFrameBytes).toBeGreaterThan(defaultLimits.maxRequestBytes);
  });
});

describe('per-connection limits on the contract socket', () => {
  it('answers a request over the size limit with too_large and keeps serving', async () => {
    const { ws, server } = await startTestServer({ limits: { maxRequestBytes: 4096, maxFrameBytes: 64 * 1024 } });
    const client = await WsClient.open(ws);
    client.send(JSON.stringify({ id: 7, method: 'annotate', args: { text: 'x'.repeat(5000) } }));
    expect(await client.nextReply()).toMatchObject({ id: 7, ok: false, error: { code: 'too_large' } });
    expect(await client.call(8, 'getSettings', {})).toMatchObject({ id: 8, ok: true });
    expect(server.stats()).toMatchObject({ tooLarge: 1, rateLimited: 0, closedOversize: 0, connections: 1 });
    client.close();
  });

  it('closes a connection sending a frame too big to read, and the server lives on', async () => {
    const { ws, server } = await startTestServer({ limits: { maxRequestBytes: 4096, maxFrameBytes: 64 * 1024 } });
    const reckless = new WebSocket(ws);
    await new Promise((resolve) => reckless.once('open', resolve));
    const closed = new Promise<number>((resolve) => reckless.once('close', resolve));
    reckless.send('x'.repeat(100 * 1024));
    expect(await closed).toBe(1009);
    const next = await WsClient.open(ws);
    expect(await next.call(1, 'getSettings', {})).toMatchObject({ ok: true });
    expect(server.stats()).toMatchObject({ closedOversize: 1, connections: 1 });
    next.close();
  });

  it('answers requests beyond the rate with rate_limited, per connection, and lets them through again later', async () => {
    const { ws, server } = await startTestServer({ limits: { burst: 5, perSecond: 10 } });
    const flooder = await WsClient.open(ws);
    const calm = await WsClient.open(ws);
    for (let id = 1; id <= 12; id++) flooder.send(JSON.stringify({ id, method: 'getSettings', args: {} }));
    const replies = await Promise.all(Array.from({ length: 12 }, () => flooder.nextReply()));
    const limited = replies.filter((r) => !r.ok && r.error.code === 'rate_limited');
    expect(replies.filter((r) => r.ok)).toHaveLength(5);
    expect(limited).toHaveLength(7);
    expect(limited.map((r) => r.id).sort((a, b) => a! - b!)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    // Another connection has its own bucket.
    expect(await calm.call(1, 'getSettings', {})).toMatchObject({ ok: true });
    // A tenth of a second later the flooder has a request again.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await flooder.call(13, 'getSettings', {})).toMatchObject({ id: 13, ok: true });
    expect(server.stats()).toMatchObject({ rateLimited: 7, tooLarge: 0, connections: 2 });
    flooder.close();
    calm.close();
  });
});

describe('the HTTP side', () => {
  it('serves files only: other methods and request bodies are refused', async () => {
    const { http } = await startTestServer();
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await exchange(`${http}/`, { method, body: 'x'.repeat(1000) });
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
    expect((await exchange(`${http}/`, { headers: { 'Content-Length': '5' }, body: 'hello' })).status).toBe(413);
    expect((await exchange(`${http}/`, { headers: { 'Transfer-Encoding': 'chunked' }, body: 'hello' })).status).toBe(413);
    expect((await exchange(`${http}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await exchange(`${http}/`, { headers: { 'X-Padding': 'x'.repeat(20_000) } })).status).toBe(431);
  });

  it('forbids framing and referrers, and sniffing, on every answer', async () => {
    const { http } = await startTestServer();
    for (const path of ['/', '/assets/app.js', '/missing.js']) {
      const { headers } = await exchange(http + path);
      expect(headers, path).toMatchObject({
        'content-security-policy': "frame-ancestors 'none'",
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      });
    }
  });

  it('on loopback, answers only requests addressed to loopback (no DNS rebinding)', async () => {
    const { http, ws } = await startTestServer();
    const port = new URL(http).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await exchange(`${http}/`, { headers: { Host: host } })).status, host).toBe(200);
    }
    const rebound = `attacker.example:${port}`;
    // The page of the rebound name is "same origin" with itself: the Host check is what stops it.
    await expect(WsClient.open(ws, { Host: rebound, Origin: `http://${rebound}` })).rejects.toThrow(/403/);
    expect((await exchange(`${http}/`, { headers: { Host: rebound } })).status).toBe(403);
    const local = await WsClient.open(ws, { Origin: `http://127.0.0.1:${port}` });
    expect(await local.call(1, 'getSettings', {})).toMatchObject({ ok: true });
    local.close();
  });
});
