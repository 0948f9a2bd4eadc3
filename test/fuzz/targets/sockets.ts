// Fuzz target of the WebSocket sources as they run, connected to one relay on 127.0.0.1: the generic
// JSON source, DouyinBarrageGrab, Webcast (which answers acks) and Bilibili (auth, then goim
// batches). Each is sent what its decoder's own target is fed, then a frame of its format that must
// still arrive: a frame may be refused and counted, never take the source (or the process) down.
// Bilibili's auth reply, the op 8 a server answers a connection with, is fuzzed too.
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { WebSocketServer, type WebSocket } from 'ws';
import { staticAuth } from '../../../src-main/sources/adapters/bilibili/auth';
import { BilibiliSource } from '../../../src-main/sources/adapters/bilibili/bilibili-source';
import { encodePacket, Op, Ver } from '../../../src-main/sources/adapters/bilibili/frame';
import { BarrageGrabSource } from '../../../src-main/sources/adapters/douyin/barrage-grab-source';
import * as wc from '../../../src-main/sources/adapters/webcast/schema';
import { WebcastSource } from '../../../src-main/sources/adapters/webcast/webcast-source';
import { Backoff } from '../../../src-main/sources/reconnect';
import type { Source } from '../../../src-main/sources/source';
import { WsSource } from '../../../src-main/sources/ws-source';
import { until } from '../../helpers/collect';
import { danmu, idStr } from '../../sources/adapters/bilibili/room-messages';
import { deepJsonText, jsonValue, mutatedBytes } from '../arbitraries';
import { barrageGrabText, jsonFrames, webcastFrame } from '../fixtures';
import { observe, type FuzzTarget } from '../property';
import { barrageGrabFrame, bilibiliData, webcastData } from './adapters';
import { frameText } from './relays';

type Route = 'ws' | 'barrage' | 'webcast' | 'bilibili';
const PATHS: Record<string, Route> = { '/ws': 'ws', '/barrage': 'barrage', '/webcast': 'webcast', '/sub': 'bilibili' };

interface Send {
  to: Route | 'bilibili-auth';
  data: Uint8Array;
  binary: boolean;
}

/** The body of Bilibili's op 8: `{"code": anything}`, nested far too deep, or not JSON at all. */
const authReply = fc.oneof(
  fc.constantFrom('{"code":0}', '{"code":-101}', '{"code":"0"}', ''),
  jsonValue.map((code) => JSON.stringify({ code })),
  deepJsonText.map((deep) => `{"code":${deep}}`),
  fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b).toString('latin1')),
);

const send: fc.Arbitrary<Send> = fc.oneof(
  fc.record({ to: fc.constant('ws' as const), data: fc.oneof(frameText.map((t) => Buffer.from(t)), mutatedBytes(jsonFrames().map((f) => Buffer.from(f)))), binary: fc.boolean() }),
  fc.record({ to: fc.constant('barrage' as const), data: barrageGrabFrame.map((t) => Buffer.from(t)), binary: fc.boolean() }),
  fc.record({ to: fc.constant('webcast' as const), data: webcastData, binary: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, fc.constant(false)) }),
  fc.record({ to: fc.constant('bilibili' as const), data: bilibiliData, binary: fc.constant(true) }),
  fc.record({ to: fc.constant('bilibili-auth' as const), data: authReply.map((t) => Buffer.from(t, 'latin1')), binary: fc.constant(true) }),
);

/** A frame of the route's format carrying one event with this number in its id; the id it gets. */
function sentinel(route: Route, n: number): { frame: string | Uint8Array; id: string } {
  const msgId = String(7_400_000_000 + n);
  switch (route) {
    case 'ws':
      return { frame: JSON.stringify({ kind: 'chat', id: `sentinel-${n}`, ts: 1, text: 'sentinel' }), id: `sentinel-${n}` };
    case 'barrage':
      return { frame: barrageGrabText({ Type: 1, ProcessName: 'p', Data: { MsgId: msgId, Content: 'sentinel' } }), id: msgId };
    case 'webcast':
      return { frame: webcastFrame([{ method: 'WebcastChatMessage', payload: wc.ChatMessage.encode({ common: { msgId, createTime: 1 }, content: 'sentinel' }).finish() }], { gzip: false }), id: msgId };
    case 'bilibili':
      return { frame: encodePacket(Op.message, JSON.stringify(danmu(1_000_000 + n))), id: idStr(1_000_000 + n) };
  }
}

interface Relay {
  server: WebSocketServer;
  sockets: Map<Route, WebSocket>;
  connections: Map<Route, number>;
  /** What the next Bilibili connection's auth is answered with. */
  authReply?: Buffer;
  sources: Record<Route, { source: Source; observed: ReturnType<typeof observe> }>;
}

let relay: Relay | undefined;
let sentinels = 0;

export const wsSources: FuzzTarget<Send> = {
  name: 'ws-sources',
  runs: 40,
  async: true,
  arbitrary: send,
  async open() {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    const url = `ws://127.0.0.1:${port}`;
    const fast = (): Backoff => new Backoff({ initialMs: 10, maxMs: 20 });
    const r: Relay = {
      server,
      sockets: new Map(),
      connections: new Map(),
      sources: {
        ws: { source: new WsSource({ url: `${url}/ws`, silenceSec: 0, heartbeatSec: 0, backoff: fast() }), observed: observe('other') },
        barrage: { source: new BarrageGrabSource({ url: `${url}/barrage`, silenceSec: 0, heartbeatSec: 0, backoff: fast() }), observed: observe('douyin') },
        webcast: { source: new WebcastSource({ url: `${url}/webcast`, platform: 'douyin', silenceSec: 0, heartbeatSec: 0, backoff: fast() }), observed: observe('douyin') },
        bilibili: {
          source: new BilibiliSource({ roomId: 21452505, auth: staticAuth({ token: 'fuzz', hosts: [{ host: '127.0.0.1', wss_port: port }] }), scheme: 'ws', silenceSec: 0, backoff: fast() }),
          observed: observe('bilibili'),
        },
      },
    };
    server.on('connection', (ws, req) => {
      const route = PATHS[req.url ?? ''];
      if (!route) return ws.terminate();
      r.connections.set(route, (r.connections.get(route) ?? 0) + 1);
      if (route !== 'bilibili') return void r.sockets.set(route, ws);
      // The client's first packet is its auth (op 7): answered as the fuzz says, else accepted.
      ws.once('message', () => {
        ws.send(encodePacket(Op.authReply, r.authReply ?? '{"code":0}', Ver.int));
        r.authReply = undefined;
        r.sockets.set(route, ws);
      });
    });
    for (const { source, observed } of Object.values(r.sources)) source.start(observed.intake);
    relay = r;
  },
  async close() {
    if (!relay) return;
    for (const { source } of Object.values(relay.sources)) source.stop();
    for (const ws of relay.server.clients) ws.terminate();
    await new Promise((resolve) => relay!.server.close(resolve));
    relay = undefined;
  },
  async check({ to, data, binary }) {
    const r = relay!;
    const route: Route = to === 'bilibili-auth' ? 'bilibili' : to;
    const { observed } = r.sources[route];
    // Connected, or shown as ended (the relay said the live ended) while still connected.
    const ready = (): boolean => r.sockets.get(route)?.readyState === 1 && ['connected', 'ended'].includes(observed.intake.snapshot().state);
    await until(ready, 3_000, `the ${route} source connected`);
    if (to === 'bilibili-auth') {
      // The next connection's auth gets this reply: the present one is dropped to make it come.
      const before = r.connections.get(route) ?? 0;
      r.authReply = Buffer.from(data);
      r.sockets.get(route)!.terminate();
      await until(() => (r.connections.get(route) ?? 0) > before && ready(), 3_000, 'the Bilibili source connected again');
    } else {
      r.sockets.get(route)!.send(data, { binary });
    }
    const { frame, id } = sentinel(route, ++sentinels);
    r.sockets.get(route)!.send(frame, { binary: typeof frame !== 'string' });
    await until(() => observed.events.some((e) => e.id === id), 3_000, `the ${route} frame after the fuzzed one`);
    observed.assertSound();
  },
};
