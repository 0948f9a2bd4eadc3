// Managing a room's sources through the contract, as the Sources page does: add, edit, enable,
// remove; settings survive a restart; bad configurations are refused with typed errors.
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch, type SourceView, type WireReply } from '../../src-main/contract';
import { Engine } from '../../src-main/engine/engine';
import { relayEvent, until } from '../helpers/collect';
import { tempDir } from '../helpers/temp-dir';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

const call = (method: string, args: unknown): Promise<WireReply> => dispatch(engine!.handlers, { id: 1, method, args });
const views = (reply: WireReply): SourceView[] => {
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.result as SourceView[];
};

describe('room sources', () => {
  it('starts a fresh install on the demo room', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't' });
    engine.start();
    const list = views(await call('listSources', {}));
    expect(list.map((v) => [v.config.type, v.config.enabled, v.health.state])).toEqual([['demo', true, 'connected']]);
  });

  it('adds, edits, disables and removes sources, and remembers them across restarts', async () => {
    const dataDir = tempDir();
    engine = new Engine({ dataDir, version: 't' });
    engine.start();
    let list = views(await call('saveSource', { name: '企业中台 WS', type: 'ws', platform: 'kuaishou', enabled: false, url: 'ws://127.0.0.1:9/live' }));
    const ws = list.find((v) => v.config.type === 'ws')!;
    expect(ws.config).toMatchObject({ silenceSec: 30, heartbeatSec: 15, roomId: '' });
    expect(ws.config.id).toMatch(/^[0-9a-f-]{36}$/);
    list = views(await call('saveSource', { ...ws.config, name: '快手中台' }));
    list = views(await call('setSourceEnabled', { id: 'demo', enabled: false }));
    expect(list.map((v) => [v.config.name, v.config.enabled, v.health.state])).toEqual([
      ['演示直播间', false, 'stopped'],
      ['快手中台', false, 'stopped'],
    ]);
    await engine.stop();

    engine = new Engine({ dataDir, version: 't' });
    engine.start();
    list = views(await call('listSources', {}));
    expect(list.map((v) => [v.config.name, v.config.enabled])).toEqual([
      ['演示直播间', false],
      ['快手中台', false],
    ]);
    list = views(await call('removeSource', { id: ws.config.id }));
    expect(list).toHaveLength(1);
  });

  it('saves platform adapters with their platform fixed and their own streak counting', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't' });
    const list = views(await call('saveSource', { name: '抖音弹幕', type: 'douyin_barrage_grab', enabled: false }));
    expect(list.find((v) => v.config.type === 'douyin_barrage_grab')!.config).toMatchObject({
      platform: 'douyin',
      giftCounts: 'increment',
      url: 'ws://127.0.0.1:8888',
    });
    expect(await call('saveSource', { name: 'x', type: 'douyin_barrage_grab', enabled: false, platform: 'kuaishou' })).toMatchObject({ ok: false });
    expect(await call('saveSource', { name: 'x', type: 'douyin_barrage_grab', enabled: false, giftCounts: 'running_total' })).toMatchObject({ ok: false });
    expect(await call('saveSource', { name: 'x', type: 'tiktok_chat_reader', enabled: false })).toMatchObject({ ok: false, error: { message: /uniqueId/ } });
    expect(await call('saveSource', { name: 'x', type: 'webcast', platform: 'wechat', enabled: false, url: 'ws://x' })).toMatchObject({ ok: false });
    expect(await call('saveSource', { name: 'B站', type: 'bilibili', enabled: false, roomId: '21452505' })).toMatchObject({
      ok: false,
      error: { message: /getDanmuInfo URL or a token/ },
    });
    expect(await call('saveSource', { name: 'B站', type: 'bilibili', enabled: false, roomId: 'abc', token: 't' })).toMatchObject({ ok: false });
    const bili = views(await call('saveSource', { name: 'B站', type: 'bilibili', enabled: false, roomId: '21452505', token: 't', hosts: 'a.example:2245, b.example:443' }));
    expect(bili.find((v) => v.config.type === 'bilibili')!.config).toMatchObject({ platform: 'bilibili', silenceSec: 35, heartbeatSec: 30 });
  });

  it('refuses bad configurations and unknown sources with typed errors', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't' });
    const bad = [
      { name: 'x', type: 'ws', platform: 'douyin', enabled: true, url: 'http://not-a-websocket' },
      { name: 'x', type: 'ftp', platform: 'douyin', enabled: true },
      { name: 'x', type: 'replay', platform: 'mars', enabled: true, path: '/tmp/x' },
      { name: 'x', type: 'replay', platform: 'douyin', enabled: true, path: '/tmp/x', speed: 5000 },
      { name: 'x', type: 'socketio', platform: 'tiktok', enabled: true, url: 'http://x', events: { chat: 'teleport' } },
    ];
    for (const config of bad) expect(await call('saveSource', config)).toMatchObject({ ok: false, error: { code: 'bad_args' } });
    expect(await call('setSourceEnabled', { id: 'nope', enabled: true })).toMatchObject({ ok: false, error: { code: 'bad_args' } });
    expect(await call('controlReplay', { id: 'demo', action: 'pause' })).toMatchObject({ ok: false, error: { code: 'bad_args' } });
  });

  it('merges several sources on different platforms into one session, with health per source', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't' });
    engine.start();
    await call('setSourceEnabled', { id: 'demo', enabled: false });
    const list = views(await call('saveSource', { id: 'push', name: '订单系统', type: 'http_push', platform: 'taobao', enabled: true, port: 0 }));
    const push = async (): Promise<SourceView> => views(await call('listSources', {})).find((v) => v.config.id === 'push')!;
    await until(async () => (await push()).health.state === 'connected');
    const url = /POST (\S+)/.exec((await push()).health.detail!)![1];
    const order: Record<string, unknown> = { ...relayEvent(1), kind: 'order_paid', orderId: 'o1', productId: 'p1', amountFen: 12_900 };
    delete order.platform; // the order system does not say: the source's platform (taobao) is used
    const res = await fetch(url, { method: 'POST', body: JSON.stringify([order, { ...relayEvent(2), platform: 'douyin' }, 'junk']) });
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, dropped: 0, rejected: 1 });
    await until(async () => (await engine!.handlers.getSnapshot({})).kpis.gmvFen === 12_900);
    const snapshot = await engine.handlers.getSnapshot({});
    expect(snapshot.sources.find((s) => s.id === 'push')).toMatchObject({ accepted: 2, errors: 1, errorsByReason: { not_an_event: 1 } });
    expect(snapshot.health.errors).toBe(1);
    expect(list).toHaveLength(2);
  });
});

describe('the demo source', () => {
  it('runs once: every event it plays is new', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't', demo: { rate: 200 } });
    engine.start();
    await new Promise((r) => setTimeout(r, 400));
    const demo = views(await call('listSources', {}))[0].health;
    expect(demo.accepted).toBeGreaterThan(20);
    expect(demo.duplicates).toBe(0);
  });
});
