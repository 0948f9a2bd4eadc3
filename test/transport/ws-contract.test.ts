// The contract over browser mode's WebSocket, and who may use it: typed errors for bad requests, the
// static files, the Origin check, the token, and the anchor overlay's read-only view token.
import { describe, expect, it } from 'vitest';
import { methods, viewMethods } from '../../src-main/contract';
import { startWebServer } from '../../src-main/transport/ws-server';
import { tempDir } from '../helpers/temp-dir';
import { startTestServer } from '../helpers/web-server';
import { WsClient } from '../helpers/ws-client';

const start = (token?: string) => startTestServer({ token });

describe('contract over a real WebSocket', () => {
  it('answers good requests with typed results', async () => {
    const { ws } = await start();
    const client = await WsClient.open(ws);
    const info = await client.call(1, 'getInfo', {});
    expect(info).toMatchObject({ id: 1, ok: true, result: { version: '0.0.0-test', session: { sources: ['演示直播间'] } } });
    const settings = await client.call(2, 'setLanguage', { language: 'en' });
    expect(settings).toEqual({ id: 2, ok: true, result: { language: 'en', retentionDays: 365, feedHighlight: expect.objectContaining({ badges: ['vip'] }) } });
    expect(await client.call(3, 'getSettings')).toEqual({ id: 3, ok: true, result: { language: 'en', retentionDays: 365, feedHighlight: expect.objectContaining({ badges: ['vip'] }) } });
    client.close();
  });

  it('gives bad requests typed errors and keeps the connection up', async () => {
    const { ws } = await start();
    const client = await WsClient.open(ws);
    expect(await client.call(1, 'dropDatabase', {})).toMatchObject({ id: 1, ok: false, error: { code: 'unknown_method' } });
    expect(await client.call(2, 'setLanguage', { language: 'fr' })).toMatchObject({ id: 2, ok: false, error: { code: 'bad_args' } });
    expect(await client.call(3, 'setLanguage', { language: 'en', extra: 1 })).toMatchObject({ id: 3, ok: false, error: { code: 'bad_args' } });
    expect(await client.call(4, 'getInfo', 'not an object')).toMatchObject({ id: 4, ok: false, error: { code: 'bad_args' } });
    expect(await client.call(5, '__proto__', {})).toMatchObject({ id: 5, ok: false, error: { code: 'unknown_method' } });
    client.send('{"id": 6, "method": ');
    expect(await client.nextReply()).toMatchObject({ id: null, ok: false, error: { code: 'bad_json' } });
    client.send(JSON.stringify({ method: 'getInfo' }));
    expect(await client.nextReply()).toMatchObject({ id: null, ok: false, error: { code: 'bad_envelope' } });
    client.send(JSON.stringify([1, 2, 3]));
    expect(await client.nextReply()).toMatchObject({ ok: false, error: { code: 'bad_envelope' } });
    client.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(await client.nextReply()).toMatchObject({ ok: false, error: { code: 'bad_json' } });
    client.send(Buffer.from('{"id":1,"method":"getInfo"}'), true);
    expect(await client.nextReply()).toMatchObject({ ok: false, error: { code: 'bad_json' } });
    // Still serving after all of that.
    expect(await client.call(7, 'getSettings', {})).toMatchObject({ id: 7, ok: true });
    client.close();
  });

  it('pushes snapshots at the engine cadence with the demo room live in them', async () => {
    const { ws } = await start();
    const client = await WsClient.open(ws);
    await client.waitFor(() => client.pushes.filter((p) => p.stream === 'snapshot').length >= 10);
    const snapshots = client.pushes.filter((p) => p.stream === 'snapshot').map((p) => p.payload as import('../../src-main/contract').Snapshot);
    expect(snapshots.at(-1)!.seq).toBeGreaterThan(snapshots[0].seq);
    await client.waitFor(() => client.pushes.some((p) => p.stream === 'snapshot' && (p.payload as { health: { events: number } }).health.events > 50));
    const full = await client.call(1, 'getSnapshot', {});
    expect(full.ok && (full.result as import('../../src-main/contract').Snapshot).feed.length).toBeGreaterThan(0);
    client.close();
  });

  it('serves the UI at / and /anchor, and nothing outside its folder', async () => {
    const { http } = await start();
    for (const path of ['/', '/anchor']) {
      const res = await fetch(http + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>LiveDeck</title>');
    }
    expect((await fetch(`${http}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${http}/assets/..%2f..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${http}/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${http}/missing.js`)).status).toBe(404);
  });

  it('refuses WebSocket upgrades from another origin', async () => {
    const { ws } = await start();
    await expect(WsClient.open(ws, { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });

  it('with a token, lets in only requests that carry it, and never shows it for printing', async () => {
    const { http, ws, server } = await start('s3cret');
    expect(server.url).toContain('token=s3cret');
    expect(server.shownUrl).not.toContain('s3cret');
    expect(server.shownUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect((await fetch(`${http}/`)).status).toBe(401);
    expect((await fetch(`${http}/?token=wrong`)).status).toBe(401);
    const page = await fetch(`${http}/?token=s3cret`);
    expect(page.status).toBe(200);
    const cookie = page.headers.get('set-cookie')!.split(';')[0];
    expect((await fetch(`${http}/assets/app.js`, { headers: { cookie } })).status).toBe(200);
    await expect(WsClient.open(ws)).rejects.toThrow(/403/);
    const client = await WsClient.open(`${ws}?token=s3cret`);
    expect(await client.call(1, 'getSettings', {})).toMatchObject({ ok: true });
    client.close();
  });

  it('gives the anchor overlay a view token that can read but not change anything', async () => {
    const { http, ws, server } = await start('s3cret');
    const anchorUrl = new URL(server.anchorUrl);
    const viewToken = anchorUrl.searchParams.get('token')!;
    expect(anchorUrl.pathname).toBe('/anchor');
    expect(viewToken).not.toBe('s3cret');
    expect((await fetch(`${http}/anchor?token=${viewToken}`)).status).toBe(200);
    const overlay = await WsClient.open(`${ws}?token=${viewToken}`);
    expect(await overlay.call(1, 'getSnapshot', {})).toMatchObject({ ok: true });
    for (const [method, args] of [
      ['setLanguage', { language: 'en' }],
      ['setSourceEnabled', { id: 'demo', enabled: false }],
      ['pushPoint', { text: 'hi' }],
    ] as const) {
      expect(await overlay.call(2, method, args)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    expect(await overlay.call(3, 'getSettings', {})).toEqual({ id: 3, ok: true, result: { language: 'zh-CN', retentionDays: 365, feedHighlight: expect.objectContaining({ badges: ['vip'] }) } });
    overlay.close();
  });

  it('refuses the view token every request but the two reads, before looking at its arguments', async () => {
    const { ws, server } = await start('s3cret');
    const viewToken = new URL(server.anchorUrl).searchParams.get('token')!;
    const ops = await WsClient.open(`${ws}?token=s3cret`);
    // What ops configured (the live figures move on by themselves with the demo room playing).
    const configured = async () => {
      const result = async (method: string) => ((await ops.call(0, method, {})) as { result: Record<string, unknown> }).result;
      const triggers = await result('getTriggers');
      return {
        settings: await result('getSettings'),
        sources: ((await result('listSources')) as unknown as { config: unknown }[]).map((s) => s.config),
        session: (await result('getInfo')).session,
        rules: [triggers.rules, triggers.templates, triggers.webhook],
        crm: ((await result('getProfileStore')).sync as { setting: unknown }).setting,
        segments: await result('listSegments'),
        answers: await result('getAnswers'),
        sessions: ((await result('listSessions')) as unknown as { id: string; title: string; notes: string }[]).map(({ id, title, notes }) => ({ id, title, notes })),
      };
    };
    const before = await configured();
    const overlay = await WsClient.open(`${ws}?token=${viewToken}`);
    expect([...viewMethods].sort()).toEqual(['getSettings', 'getSnapshot']);
    const others = methods.filter((m) => !viewMethods.has(m));
    expect(others.length).toBeGreaterThan(40);
    for (const [i, method] of others.entries()) {
      // Arguments that would not even parse: refused as unauthorized all the same.
      expect(await overlay.call(i, method, { nonsense: true }), method).toMatchObject({ id: i, ok: false, error: { code: 'unauthorized' } });
    }
    // Nothing the view token sent changed anything.
    expect(await configured()).toEqual(before);
    ops.close();
    overlay.close();
  });

  it('will not bind a non-loopback address without a token', async () => {
    await expect(
      startWebServer({ handlers: {} as never, onPush: () => () => {}, staticDir: tempDir(), host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/needs a token/);
  });
});
