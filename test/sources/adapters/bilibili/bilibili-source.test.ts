// The Bilibili source against a local goim server: every message kind mapped with exact amounts,
// plain, zlib and brotli batches, guests masked, broken packets counted and skipped, a backlog
// re-sent after a reconnect passing no duplicate, a refused token fetched anew, a dead host skipped,
// and the heartbeat keeping a quiet room alive while a dead one is declared stalled.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceState } from '../../../../src-main/contract';
import type { EventOf, LiveEvent } from '../../../../src-main/events/live-event';
import { httpDanmuInfoAuth, staticAuth } from '../../../../src-main/sources/adapters/bilibili/auth';
import { BilibiliSource } from '../../../../src-main/sources/adapters/bilibili/bilibili-source';
import { encodePacket, Op, Ver } from '../../../../src-main/sources/adapters/bilibili/frame';
import type { Intake } from '../../../../src-main/sources/intake';
import { Backoff } from '../../../../src-main/sources/reconnect';
import { collector, until } from '../../../helpers/collect';
import { FakeRoom } from './fake-room';
import * as m from './room-messages';

let room: FakeRoom | undefined;
let source: BilibiliSource | undefined;
let http: Server | undefined;
afterEach(async () => {
  source?.stop();
  await room?.close();
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  room = source = http = undefined;
});

const fastBackoff = (): Backoff => new Backoff({ initialMs: 10, maxMs: 40 });
const hostsOf = (...ports: number[]) => ports.map((port) => ({ host: '127.0.0.1', wss_port: port }));

function recordStates(intake: Intake): { state: SourceState; detail?: string }[] {
  const changes: { state: SourceState; detail?: string }[] = [];
  const setState = intake.setState.bind(intake);
  intake.setState = (state, detail) => {
    changes.push({ state, detail });
    setState(state, detail);
  };
  return changes;
}

/** A port nothing listens on: connections to it are refused. */
async function deadPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function withHeaderLen(headerLen: number, packet: Buffer): Buffer {
  packet.writeUInt16BE(headerLen, 4);
  return packet;
}

// The room's first connection: plain, zlib and brotli batches, then a message of broken packets.
const plain = m.batch([m.danmu(1), m.danmu(2, { cmd: 'DANMU_MSG:4:0:2:2:2:0', medal: [], level: 3 }), m.onlineRankCount(3, 1234)], Ver.json);
const zlib = m.batch(
  [
    m.sendGift(10, { tid: '4623470640584770048', giftId: 31036, giftName: '小花花', num: 5, price: 100, coin: 'gold' }), // 5 × 100 gold = ¥0.50
    m.sendGift(11, { tid: '4623470640584770049', giftId: 31218, giftName: '这个好诶', num: 2, price: 1000, coin: 'gold' }), // ¥2
    m.sendGift(12, { tid: '4623470640584770050', giftId: 1, giftName: '辣条', num: 10, price: 100, coin: 'silver' }), // free
    m.superChat(13, 30, '主播能讲讲3号链接吗'),
    m.guardBuy(14, 3, 1, 198_000),
    m.interact(15, 1),
    m.interact(16, 2),
    m.interact(17, 3),
    m.watchedChange(18, 5678),
    m.likeUpdate(19, 999),
  ],
  Ver.zlib,
);
const brotli = m.batch(
  [
    m.logInNotice(20),
    m.danmu(21, { uid: 0, uname: '观***' }),
    m.danmu(22, { uid: 0, uname: '观***' }),
    m.danmu(23, { uid: 42, withIdStr: false }),
    m.recommendCard(24, '1499719178894123008', '保温杯 500ml', '39.90'),
    m.gotoBuyFlow(25, 'x**等3人正在去买'),
    m.hotBuyNum(26, '1499719178894123008', 397),
    m.other(27, 'SHOPPING_CART_SHOW'),
    m.other(28, 'WIDGET_BANNER'),
  ],
  Ver.brotli,
);
const broken = Buffer.concat([
  ...m.packets([m.danmu(30)]),
  withHeaderLen(12, encodePacket(Op.message, '{"cmd":"DANMU_MSG"}')),
  ...m.packets([m.danmu(31)]),
  encodePacket(Op.message, Buffer.from('not brotli at all'), Ver.brotli),
  encodePacket(Op.message, '{"cmd": "DANMU_MSG", oops'),
  encodePacket(Op.message, '42'), // JSON without a cmd
  ...m.packets([m.danmu(32)]),
  encodePacket(Op.message, '{"cmd":"DANMU_MSG"}').subarray(0, 20), // truncated: packLen past the end
]);
// The second connection re-sends the backlog, then one new batch.
const fresh = m.batch([m.danmu(40), m.onlineRankCount(41, 1300)], Ver.brotli);

const kinds = (events: LiveEvent[]): Record<string, number> => events.reduce<Record<string, number>>((n, e) => ({ ...n, [e.kind]: (n[e.kind] ?? 0) + 1 }), {});
const find = <K extends LiveEvent['kind']>(events: LiveEvent[], id: string): EventOf<K> => events.find((e) => e.id === id) as EventOf<K>;

describe('Bilibili source', () => {
  it('turns a room into events: every kind, exact amounts, masked guests, broken packets skipped, backlog not doubled', async () => {
    room = await FakeRoom.start({
      script: (ws, connection) => {
        if (connection === 1) {
          for (const message of [plain, zlib, brotli, broken]) ws.send(message);
          setTimeout(() => ws.terminate(), 150);
        } else {
          for (const message of [plain, zlib, brotli, fresh]) ws.send(message);
        }
      },
    });
    const { events, intake } = collector(undefined, 'bilibili');
    const auth = staticAuth({ token: 'tok', hosts: hostsOf(room.port), cookie: 'SESSDATA=secret; DedeUserID=777; buvid3=ABCD-1234-infoc' });
    source = new BilibiliSource({ roomId: m.ROOM, auth, scheme: 'ws', heartbeatSec: 0.05, silenceSec: 2, backoff: fastBackoff() });
    source.start(intake);

    await until(() => events.length >= 24 && intake.snapshot().duplicates >= 18, 10_000, 'both connections');
    await new Promise((r) => setTimeout(r, 100));

    expect(kinds(events)).toEqual({ chat: 10, gift: 5, viewer_stats: 4, enter: 1, follow: 1, share: 1, product_switch: 1, product_click: 1 });
    expect(events.every((e) => e.platform === 'bilibili')).toBe(true);

    expect(find<'chat'>(events, m.idStr(1))).toEqual({
      kind: 'chat',
      id: m.idStr(1),
      platform: 'bilibili',
      roomId: 'room',
      ts: m.T0 + 1,
      recvTs: expect.any(Number),
      user: { id: '100001', name: '观众1', level: 21, fansClub: { name: '宝藏粉', level: 12 } },
      text: '第1条弹幕：主播这件多少钱',
    });
    expect(find<'chat'>(events, m.idStr(2)).user).toEqual({ id: '100002', name: '观众2', level: 3 }); // suffixed cmd, no medal

    const gifts = events.filter((e): e is EventOf<'gift'> => e.kind === 'gift');
    expect(gifts.map((g) => [g.giftName, g.count, g.valueFen])).toEqual([
      ['小花花', 5, 50],
      ['这个好诶', 2, 200],
      ['辣条', 10, 0],
      ['醒目留言', 1, 3000],
      ['舰长', 1, 19_800],
    ]);
    expect(gifts.reduce((sum, g) => sum + g.valueFen, 0)).toBe(23_050);
    expect(gifts[0]).toMatchObject({ id: 'gift-4623470640584770048', giftId: '31036', user: { id: '200010', name: '送礼10', fansClub: { name: '宝藏粉', level: 8 } } });
    expect(find<'chat'>(events, 'sc-9013')).toMatchObject({ text: '主播能讲讲3号链接吗', ts: Math.floor((m.T0 + 13) / 1000) * 1000, user: { id: '300013', name: '醒目13', level: 25 } });

    expect(events.filter((e) => e.kind === 'enter' || e.kind === 'follow' || e.kind === 'share').map((e) => [e.kind, e.user?.id])).toEqual([
      ['enter', '500015'],
      ['follow', '500016'],
      ['share', '500017'],
    ]);
    const stats = events.filter((e): e is EventOf<'viewer_stats'> => e.kind === 'viewer_stats');
    expect(stats.map(({ online, totalViewers, likes }) => ({ online, totalViewers, likes }))).toEqual([
      { online: 1234 },
      { online: 1234, totalViewers: 5678 },
      { online: 1234, totalViewers: 5678, likes: 999 },
      { online: 1300, totalViewers: 5678, likes: 999 },
    ]);

    // Guests (uid 0) are masked, each with an id of its own message: never one person.
    const guests = [21, 22].map((n) => find<'chat'>(events, m.idStr(n)).user);
    expect(guests).toEqual([
      { id: `masked-${m.idStr(21)}`, name: '观***', masked: true },
      { id: `masked-${m.idStr(22)}`, name: '观***', masked: true },
    ]);
    // Without an id_str the id is derived from the content, so the backlog copy is still a duplicate.
    expect(events.filter((e) => e.id.startsWith(`dm-42-${m.T0 + 23}-`))).toHaveLength(1);

    expect(events.find((e) => e.kind === 'product_switch')).toMatchObject({ productId: '1499719178894123008', productName: '保温杯 500ml', priceFen: 3990 });
    expect(events.find((e) => e.kind === 'product_click')).toMatchObject({ productId: '1499719178894123008', user: { name: 'x**', masked: true } });

    const health = intake.snapshot();
    expect(health.accepted).toBe(24);
    expect(health.duplicates).toBe(18); // the backlog: 3 + 11 + 4 (the shopping card had not changed)
    expect(health.errorsByReason).toEqual({ bad_frame: 4, bad_json: 1 });
    expect(health.received).toBe(health.accepted + health.duplicates + health.errors);
    expect(health.reconnects).toBe(1);
    expect(health.state).toBe('connected');
    expect(health.detail).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/sub · popularity 1\d{5} · guest session/);
    expect(source.ignoredCmds()).toEqual({ HOT_BUY_NUM: 2, SHOPPING_CART_SHOW: 2, WIDGET_BANNER: 2 });

    expect(room.violations).toEqual([]);
    expect(room.auths).toEqual([1, 2].map(() => ({ uid: 777, roomid: m.ROOM, protover: 3, platform: 'web', type: 2, buvid: 'ABCD-1234-infoc', key: 'tok' })));
    expect(room.heartbeats).toBeGreaterThanOrEqual(2);
  });

  it('fetches a new token after -101, and moves on from a host that refuses connections', async () => {
    room = await FakeRoom.start({ refusedTokens: ['stale'], script: (ws) => ws.send(m.batch([m.danmu(1)], Ver.brotli)) });
    const hosts = hostsOf(await deadPort(), room.port);
    const tokens = ['stale', 'fresh'];
    const cookies: (string | undefined)[] = [];
    http = createHttpServer((req, res) => {
      cookies.push(req.headers.cookie);
      res.end(JSON.stringify({ code: 0, message: '0', data: { token: tokens.shift(), host_list: hosts.map((h) => ({ ...h, port: 2243, ws_port: 2244 })) } }));
    });
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const { events, intake } = collector(undefined, 'bilibili');
    const changes = recordStates(intake);
    source = new BilibiliSource({ roomId: m.ROOM, auth: httpDanmuInfoAuth({ baseUrl, roomId: m.ROOM, cookie: 'DedeUserID=9' }), scheme: 'ws', backoff: fastBackoff() });
    source.start(intake);

    await until(() => events.length === 1, 10_000, 'the danmaku');
    // dead host → good host refuses the stale token → fresh credentials → dead host → good host accepts
    const failures = changes.filter((c) => c.state === 'reconnecting' && c.detail !== `bilibili room ${m.ROOM}`).map((c) => c.detail);
    expect(failures).toEqual([
      `connect ECONNREFUSED ${hosts[0].host}:${hosts[0].wss_port}`,
      `token refused by ws://127.0.0.1:${room.port}/sub (-101): a fresh one will be fetched`,
      `connect ECONNREFUSED ${hosts[0].host}:${hosts[0].wss_port}`,
    ]);
    expect(room.auths.map((a) => a.key)).toEqual(['stale', 'fresh']);
    expect(cookies).toEqual(['DedeUserID=9', 'DedeUserID=9']);
    expect(intake.snapshot().state).toBe('connected');
  });

  it('says why getDanmuInfo refused, and tries again later', async () => {
    http = createHttpServer((_req, res) => res.end(JSON.stringify({ code: -352, message: '-352', data: { v_voucher: 'x' } })));
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const { intake } = collector(undefined, 'bilibili');
    source = new BilibiliSource({ roomId: m.ROOM, auth: httpDanmuInfoAuth({ baseUrl, roomId: m.ROOM }), scheme: 'ws', backoff: new Backoff({ initialMs: 60_000 }) });
    source.start(intake);
    await until(() => intake.snapshot().reconnects === 1, 5_000, 'the refusal');
    expect(intake.snapshot()).toMatchObject({ state: 'reconnecting', detail: 'no connection: getDanmuInfo refused with code -352 (-352)' });
  });

  it('stays connected on heartbeat replies alone, and declares a room that stops answering stalled', async () => {
    room = await FakeRoom.start();
    const quiet = collector(undefined, 'bilibili');
    const quietChanges = recordStates(quiet.intake);
    source = new BilibiliSource({ roomId: m.ROOM, auth: staticAuth({ token: 't', hosts: hostsOf(room.port) }), scheme: 'ws', heartbeatSec: 0.05, silenceSec: 0.3 });
    source.start(quiet.intake);
    await new Promise((r) => setTimeout(r, 900));
    expect(new Set(quietChanges.map((c) => c.state))).toEqual(new Set(['connecting', 'connected']));
    expect(quiet.intake.snapshot().detail).toMatch(/popularity \d+$/);
    source.stop();
    await room.close();

    room = await FakeRoom.start({ answerHeartbeats: false });
    const dead = collector(undefined, 'bilibili');
    const deadChanges = recordStates(dead.intake);
    source = new BilibiliSource({ roomId: m.ROOM, auth: staticAuth({ token: 't', hosts: hostsOf(room.port) }), scheme: 'ws', heartbeatSec: 0.05, silenceSec: 0.3, backoff: fastBackoff() });
    source.start(dead.intake);
    await until(() => deadChanges.some((c) => c.state === 'stalled'), 5_000, 'stalled');
    expect(room.heartbeats).toBeGreaterThan(0);
  });
});
