// Douyin and TikTok Webcast frames through a local relay on 127.0.0.1 that forwards raw binary push
// frames: batched messages, gzipped and plain payloads, acks sent back when asked for, gift streaks
// ended once or twice, masked viewers, heartbeats, broken frames, a backlog after a drop, the live ending.
import { gzipSync } from 'node:zlib';
import type { Type } from 'protobufjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../../src-main/events/live-event';
import * as wc from '../../../../src-main/sources/adapters/webcast/schema';
import { WebcastSource } from '../../../../src-main/sources/adapters/webcast/webcast-source';
import { Backoff } from '../../../../src-main/sources/reconnect';
import { wsRelay } from '../../../helpers/ws-relay';
import { collector, until } from '../../../helpers/collect';

let source: WebcastSource | undefined;
afterEach(() => {
  source?.stop();
  source = undefined;
});


const T0 = 1_790_000_000_000;
const encode = (type: Type, value: object): Uint8Array => type.encode(value).finish();

type Fields = Record<string, unknown>;
const viewer = (n: number): Fields => ({ id: `9300000000000000${String(n).padStart(3, '0')}`, nickName: `观众${n}`, secUid: `MS4wLjABAAAA${n}` });
/** Adjacent ids past 2^53, exact only as 64-bit integers. */
const msgId = (n: number): string => `73110000000000${String(n).padStart(5, '0')}`;
const message = (method: string, type: Type, n: number, fields: Fields): Fields => ({
  method,
  payload: encode(type, { common: { msgId: msgId(n), createTime: T0 + n }, ...fields }),
});
const chat = (n: number, user = viewer(n % 5)): Fields => message('WebcastChatMessage', wc.ChatMessage, n, { user, content: `第${n}条弹幕` });
const gift = (n: number, fields: Fields): Fields => message('WebcastGiftMessage', wc.GiftMessage, n, { user: viewer(1), giftId: 463, groupId: '1700000000001', ...fields });

/** A push frame carrying a Response of `messages`, gzipped unless said otherwise. */
function frame(messages: Fields[], { gzip = true, needAck = false, logId = '0' } = {}): Uint8Array {
  const response = encode(wc.Response, { messages, needAck, internalExt: needAck ? `internal_src:dim|wss_push_log_id:${logId}` : '' });
  return encode(wc.PushFrame, { logId, payloadType: 'msg', payloadEncoding: gzip ? 'gzip' : '', payload: gzip ? gzipSync(response) : response });
}

const of = <K extends LiveEvent['kind']>(events: LiveEvent[], kind: K) => events.filter((e): e is Extract<LiveEvent, { kind: K }> => e.kind === kind);

describe('Webcast source', () => {
  it('decodes Douyin frames into events once each, acks when asked, and survives garbage, a drop and a backlog', async () => {
    const rose = { name: '小心心', diamondCount: 1, combo: true };
    const { url, sent } = await wsRelay((ws, connection) => {
      if (connection === 1) {
        ws.send(
          frame(
            [
              ...Array.from({ length: 20 }, (_, i) => chat(i + 1)),
              chat(101, { id: '111111', nickName: '玲***', secUid: '' }),
              chat(102, { id: '111111', nickName: '小***', secUid: 'MS4wLjABAAAAsec' }),
              message('WebcastLikeMessage', wc.LikeMessage, 103, { user: viewer(2), count: 7, total: 1200 }),
              message('WebcastMemberMessage', wc.MemberMessage, 104, { user: viewer(3), memberCount: 1499 }),
              message('WebcastSocialMessage', wc.SocialMessage, 105, { user: viewer(3), action: 1 }),
              message('WebcastSocialMessage', wc.SocialMessage, 106, { user: viewer(3), action: 3 }),
              message('WebcastRoomUserSeqMessage', wc.RoomUserSeqMessage, 107, { total: 1500, totalUser: 88_000 }),
              { method: 'WebcastRoomRankMessage', payload: Buffer.from([0x08, 0x01]) }, // not read: ignored
            ],
            { needAck: true, logId: '7400000000000000001' },
          ),
        );
        ws.send(
          frame(
            [
              ...[1, 2, 3].map((repeat) => gift(200 + repeat, { repeatCount: repeat, repeatEnd: 0, gift: rose })), // the streak going on
              gift(204, { repeatCount: 4, repeatEnd: 1, gift: rose }), // …and ending: ×4
              gift(205, { giftId: 3001, groupId: '1700000000002', repeatCount: 1, gift: { name: '嘉年华', diamondCount: 3000 } }),
            ],
            { gzip: false },
          ),
        );
        ws.send(encode(wc.PushFrame, { payloadType: 'hb' }));
        ws.send(Buffer.from([0xff, 0xff, 0xff, 0xff])); // not protobuf
        ws.send(encode(wc.PushFrame, { payloadType: 'msg', payload: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x13, 0x37]) })); // broken gzip
        ws.send(encode(wc.PushFrame, { payloadType: 'msg', payload: Buffer.from([0x0a, 0xff]) })); // not a Response
        ws.send(frame([{ method: 'WebcastChatMessage', payload: Buffer.from([0x0a, 0x05, 0x01]) }, chat(21)])); // one broken message of two
        ws.send('{"text": "frame"}');
        ws.once('message', () => setTimeout(() => ws.terminate(), 50)); // drop once the ack is in
      } else {
        ws.send(frame([...Array.from({ length: 10 }, (_, i) => chat(i + 11)), gift(206, { repeatCount: 4, repeatEnd: 1, gift: rose })])); // backlog; the streak ended again
        ws.send(
          frame(
            [
              ...Array.from({ length: 9 }, (_, i) => chat(i + 22)),
              message('WebcastControlMessage', wc.ControlMessage, 400, { status: 3 }),
            ],
            { needAck: true, logId: '7400000000000000002' },
          ),
        );
      }
    });
    const { events, intake } = collector(undefined, 'douyin');
    source = new WebcastSource({ url, platform: 'douyin', heartbeatSec: 0, backoff: new Backoff({ initialMs: 10, maxMs: 40 }) });
    source.start(intake);
    await until(() => events.some((e) => e.kind === 'live_end') && sent.length === 2, 10_000, 'the end of the live and its ack');

    expect(events.every((e) => e.platform === 'douyin' && e.roomId === 'room')).toBe(true);
    const chats = of(events, 'chat');
    expect(chats.map((e) => e.text)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `第${i + 1}条弹幕`),
      '第101条弹幕',
      '第102条弹幕',
      ...Array.from({ length: 10 }, (_, i) => `第${i + 21}条弹幕`),
    ]);
    expect(chats[0]).toMatchObject({ id: '7311000000000000001', ts: T0 + 1, user: { id: '9300000000000000001', name: '观众1' } });
    expect(chats[20].user).toEqual({ id: '111111', name: '玲***', masked: true });
    expect(chats[21].user).toEqual({ id: 'MS4wLjABAAAAsec', name: '小***' });
    expect(of(events, 'like').map((e) => e.count)).toEqual([7]);
    expect([of(events, 'enter').length, of(events, 'follow').length, of(events, 'share').length]).toEqual([1, 1, 1]);
    expect(of(events, 'viewer_stats').map((e) => [e.online, e.totalViewers])).toEqual([[1500, 88_000]]);

    const gifts = of(events, 'gift');
    expect(gifts.map((g) => [g.giftName, g.count, g.valueFen, g.streakId])).toEqual([
      ['小心心', 4, 40, '1700000000001'],
      ['嘉年华', 1, 30_000, '1700000000002'],
    ]);

    const acks = sent.map((bytes) => wc.PushFrame.toObject(wc.PushFrame.decode(bytes), { longs: String }));
    expect(acks).toEqual([
      { logId: '7400000000000000001', payloadType: 'ack', payload: Buffer.from('internal_src:dim|wss_push_log_id:7400000000000000001') },
      { logId: '7400000000000000002', payloadType: 'ack', payload: Buffer.from('internal_src:dim|wss_push_log_id:7400000000000000002') },
    ]);

    const health = intake.snapshot();
    expect(health.accepted).toBe(events.length);
    expect(health.duplicates).toBe(10);
    expect(health.errorsByReason).toEqual({ bad_frame: 5 });
    expect(health.reconnects).toBe(1);
    expect(health.state).toBe('ended');
  });

  it('reads TikTok frames: streak gifts by type, coins to fen, uid 0 masked', async () => {
    const { url, sent } = await wsRelay((ws) => {
      const rose = { name: 'Rose', diamondCount: 1, type: 1 };
      ws.send(
        frame(
          [
            chat(1, { id: '6900000000000000001', nickName: 'Fan 1', secUid: 'MS4wLjABAAAAfan1' }),
            chat(2, { id: '0', nickName: 'Guest', secUid: '' }),
            gift(3, { repeatCount: 5, repeatEnd: 0, gift: rose }),
            gift(4, { repeatCount: 9, repeatEnd: 1, gift: rose }),
            gift(5, { giftId: 7933, groupId: '0', repeatCount: 1, gift: { name: 'TikTok Universe', diamondCount: 34_999, type: 2 } }),
            message('WebcastRoomUserSeqMessage', wc.RoomUserSeqMessage, 6, { total: 321 }),
          ],
          { needAck: true, logId: '42' },
        ),
      );
    });
    const { events, intake } = collector(undefined, 'tiktok');
    source = new WebcastSource({ url, platform: 'tiktok', heartbeatSec: 0 });
    source.start(intake);
    await until(() => events.length === 5 && sent.length === 1, 5_000, 'the events and the ack');
    expect(events.every((e) => e.platform === 'tiktok')).toBe(true);
    expect(of(events, 'chat').map((e) => e.user)).toEqual([
      { id: '6900000000000000001', name: 'Fan 1' },
      { id: '0', name: 'Guest', masked: true },
    ]);
    expect(of(events, 'gift').map((g) => [g.giftName, g.count, g.valueFen, g.streakId])).toEqual([
      ['Rose', 9, 90, '1700000000001'],
      ['TikTok Universe', 1, 349_990, undefined],
    ]);
    expect(of(events, 'viewer_stats').map((e) => [e.online, e.totalViewers])).toEqual([[321, undefined]]);
    expect(intake.snapshot()).toMatchObject({ state: 'connected', errors: 0 });
  });
});
