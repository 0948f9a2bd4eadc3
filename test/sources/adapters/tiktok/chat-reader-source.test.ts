// TikTok through TikTok-Chat-Reader, against a local socket.io relay speaking its events: the room
// asked for on every connection, every event it emits, gift streaks ended once or twice, garbage, the
// relay losing TikTok, a dropped connection with the backlog replayed, and the LIVE ending.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../../src-main/events/live-event';
import { ChatReaderSource } from '../../../../src-main/sources/adapters/tiktok/chat-reader-source';
import { Backoff } from '../../../../src-main/sources/reconnect';
import { collector, until } from '../../../helpers/collect';

let io: Server | undefined;
let source: ChatReaderSource | undefined;
afterEach(async () => {
  source?.stop();
  await io?.close();
  io = source = undefined;
});

/** A relay that runs `script` each time a client asks it for a creator. */
async function relay(script: (socket: Socket, connection: number) => void): Promise<{ url: string; asked: unknown[][] }> {
  const http = createServer();
  io = new Server(http);
  const asked: unknown[][] = [];
  io.on('connection', (socket) =>
    socket.on('setUniqueId', (uniqueId: string, options: unknown) => {
      asked.push([uniqueId, options]);
      script(socket, asked.length);
    }),
  );
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, asked };
}

const T0 = 1_790_000_000_000;
const viewer = (n: number): Record<string, unknown> => ({ userId: `69${String(n).padStart(17, '0')}`, uniqueId: `fan_${n}`, nickname: `Fan ${n}`, followRole: n % 2 });
const chat = (n: number): Record<string, unknown> => ({ ...viewer(n % 7), comment: `comment ${n}`, msgId: `73${n}`, createTime: String(T0 + n) });
const gift = (msgId: string, fields: Record<string, unknown>): Record<string, unknown> => ({ ...viewer(1), msgId, createTime: String(T0), giftId: 5655, giftName: 'Rose', diamondCount: 1, giftType: 1, ...fields });

describe('TikTok Chat-Reader source', () => {
  it('maps every event, counts gift streaks once, and survives garbage, lost connections and backlogs', async () => {
    const { url, asked } = await relay((socket, connection) => {
      if (connection === 1) {
        socket.emit('tiktokConnected', { roomId: '7400000000000000001', isConnected: true });
        for (let n = 1; n <= 30; n++) socket.emit('chat', chat(n));
        socket.emit('chat', { comment: 'who am I', msgId: '7399' }); // no user at all
        socket.emit('chat', { comment: 'hidden', userId: '0', nickname: 'Guest', msgId: '7397' }); // uid 0: someone TikTok hides
        socket.emit('questionNew', { ...viewer(2), questionText: 'Is size S in stock?', msgId: '7398' });
        socket.emit('roomUser', { viewerCount: 321, topViewers: [] });
        socket.emit('member', { ...viewer(3), msgId: '7501', actionId: 1 });
        socket.emit('like', { ...viewer(3), likeCount: 15, totalLikeCount: 900, msgId: '7502' });
        socket.emit('follow', { ...viewer(3), msgId: '7503' });
        socket.emit('share', { ...viewer(3), msgId: '7504' });
        socket.emit('social', { ...viewer(4), displayType: 'pm_main_follow_message_viewer_2', msgId: '7505' });
        socket.emit('social', { ...viewer(4), displayType: 'pm_mt_guidance_share', msgId: '7506' });
        socket.emit('social', { ...viewer(4), displayType: 'pm_mt_guidance_viewer_10_share_rank', msgId: '7507' }); // a share too
        socket.emit('envelope', { coins: 100, canOpen: 3 });
        socket.emit('emote', { ...viewer(4), emoteId: '1' });
        socket.emit('statistic', { globalConnectionCount: 1 });
        for (const repeat of [1, 2, 3]) socket.emit('gift', gift(`g1-${repeat}`, { groupId: '1001', repeatCount: repeat, repeatEnd: false }));
        socket.emit('gift', gift('g1-end', { groupId: '1001', repeatCount: 4, repeatEnd: true }));
        socket.emit('gift', gift('g2', { giftId: 7933, giftName: 'TikTok Universe', diamondCount: 34_999, giftType: 2, repeatCount: 1, repeatEnd: false }));
        socket.emit('chat', 'not an object');
        socket.emit('chat', { ...viewer(1), comment: { nested: true }, msgId: '7600' });
        setTimeout(() => socket.disconnect(true), 50);
      } else if (connection === 2) {
        socket.emit('tiktokDisconnected', 'Failed to retrieve room_id from page source');
      } else {
        socket.emit('tiktokConnected', { roomId: '7400000000000000001', isConnected: true });
        for (let n = 21; n <= 30; n++) socket.emit('chat', chat(n)); // the backlog again
        socket.emit('gift', gift('g1-end-again', { groupId: '1001', repeatCount: 4, repeatEnd: true })); // the same streak ended twice
        socket.emit('gift', gift('g3-end', { groupId: '1002', repeatCount: 2, repeatEnd: true }));
        for (let n = 31; n <= 40; n++) socket.emit('chat', chat(n));
        socket.emit('streamEnd', { action: 3 });
        socket.emit('tiktokDisconnected', 'LIVE has ended');
      }
    });
    const { events, intake } = collector(undefined, 'tiktok');
    source = new ChatReaderSource({ url, uniqueId: 'shop_anchor', backoff: new Backoff({ initialMs: 10, maxMs: 40 }) });
    source.start(intake);
    await until(() => events.some((e) => e.kind === 'live_end'), 10_000, 'the end of the LIVE');
    await new Promise((r) => setTimeout(r, 100));

    expect(asked).toEqual([1, 2, 3].map(() => ['shop_anchor', { enableExtendedGiftInfo: true }]));
    const of = <K extends LiveEvent['kind']>(kind: K) => events.filter((e): e is Extract<LiveEvent, { kind: K }> => e.kind === kind);
    expect(events.every((e) => e.platform === 'tiktok')).toBe(true);
    expect(of('chat').map((e) => e.text)).toEqual([
      ...Array.from({ length: 30 }, (_, i) => `comment ${i + 1}`),
      'who am I',
      'hidden',
      'Is size S in stock?',
      ...Array.from({ length: 10 }, (_, i) => `comment ${i + 31}`),
    ]);
    expect(of('chat')[0]).toMatchObject({ id: '731', ts: T0 + 1, user: { id: '6900000000000000001', name: 'Fan 1', following: true } });
    expect(of('chat')[30].user).toBeUndefined();
    expect(of('chat')[31].user).toEqual({ id: '0', name: 'Guest', masked: true });
    expect(of('viewer_stats').map((e) => e.online)).toEqual([321]);
    expect(of('enter').map((e) => e.user?.id)).toEqual(['6900000000000000003']);
    expect(of('like').map((e) => e.count)).toEqual([15]);
    expect([of('follow').length, of('share').length]).toEqual([2, 3]);

    const gifts = of('gift');
    expect(gifts.map((g) => [g.giftName, g.count, g.valueFen])).toEqual([
      ['Rose', 4, 40],
      ['TikTok Universe', 1, 349_990],
      ['Rose', 2, 20],
    ]);
    expect(gifts.reduce((fen, g) => fen + g.valueFen, 0)).toBe(350_050);

    const health = intake.snapshot();
    expect(health.duplicates).toBe(10);
    expect(health.errorsByReason).toEqual({ bad_frame: 1, invalid: 1 });
    expect(health.reconnects).toBe(1); // one outage, two attempts (asked above)
    expect(health.state).toBe('ended');
    expect(health.detail).toBe('LIVE has ended');
  });

  it('asks again, backing off, while the creator is not live', async () => {
    const { url, asked } = await relay((socket, connection) => {
      if (connection < 3) socket.emit('tiktokDisconnected', "The requested user isn't online :(");
      else socket.emit('tiktokConnected', { roomId: '7400' });
    });
    const { intake } = collector(undefined, 'tiktok');
    source = new ChatReaderSource({ url, uniqueId: '@shop_anchor', backoff: new Backoff({ initialMs: 10, maxMs: 40 }) });
    source.start(intake);
    await until(() => intake.snapshot().state === 'connected', 5_000, 'the room');
    expect(asked.map(([id]) => id)).toEqual(['@shop_anchor', '@shop_anchor', '@shop_anchor']);
    expect(intake.snapshot()).toMatchObject({ reconnects: 1, detail: '@shop_anchor · room 7400' });
  });
});
