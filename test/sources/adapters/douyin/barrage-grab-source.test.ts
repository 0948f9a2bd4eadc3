// Douyin through DouyinBarrageGrab, against a local relay on 127.0.0.1 speaking its format: envelopes
// whose Data is a JSON string, C# longs as bare JSON numbers, gift streaks re-sending running totals,
// masked viewers, garbage, a dropped connection with a backlog replayed, and the anchor going off air.
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../../src-main/events/live-event';
import { BarrageGrabSource } from '../../../../src-main/sources/adapters/douyin/barrage-grab-source';
import { Backoff } from '../../../../src-main/sources/reconnect';
import { wsRelay } from '../../../helpers/ws-relay';
import { collector, until } from '../../../helpers/collect';

let source: BarrageGrabSource | undefined;
afterEach(() => {
  source?.stop();
  source = undefined;
});


const ROOM = '80001';

/** A message as BarrageGrab sends it: ids are C# longs, written as bare (and here, too long) JSON numbers. */
function pack(type: number, data: Record<string, unknown>): string {
  const json = JSON.stringify({ RoomId: '7300000000000000001', WebRoomId: ROOM, ...data }).replace(/"(MsgId|Id|GroupId|GiftId|RoomId|WebRoomId)":"(\d+)"/g, '"$1":$2');
  return JSON.stringify({ Type: type, ProcessName: '直播伴侣', Data: json });
}

const viewer = (n: number): Record<string, unknown> => ({
  Id: `930000000000000${String(n).padStart(2, '0')}`,
  Nickname: `观众${n}`,
  SecUid: `MS4wLjABAAAA${n}`,
  PayLevel: 12,
  FansClub: { ClubName: '小熊团', Level: n % 3 },
  FollowStatus: 1,
});
/** Adjacent ids past 2^53: as JS numbers they would all collapse into a handful. */
const msgId = (n: number): string => `73110000000000${String(n).padStart(5, '0')}`;
const chat = (n: number): string => pack(1, { MsgId: msgId(n), Content: `第${n}条弹幕`, User: viewer(n % 5) });
const streak = (n: number, repeat: number): string =>
  pack(5, { MsgId: msgId(500 + n), GiftId: '463', GiftName: '小心心', GroupId: '1700000000001', GiftCount: 1, RepeatCount: repeat, DiamondCount: 1, User: viewer(1) });

describe('Douyin BarrageGrab source', () => {
  it('maps every message type, counts gift streaks once, and survives garbage, a drop and a backlog', async () => {
    const { url } = await wsRelay((ws, connection) => {
      if (connection === 1) {
        for (let n = 1; n <= 30; n++) ws.send(chat(n));
        ws.send(pack(1, { MsgId: msgId(101), Content: '主播好', User: { Id: '111111', Nickname: '玲***', SecUid: '' } }));
        ws.send(pack(1, { MsgId: msgId(102), Content: '有S码吗', User: { Id: '111111', Nickname: '小***', SecUid: 'MS4wLjABAAAAsec' } }));
        ws.send(pack(2, { MsgId: msgId(103), Count: 5, Total: 1200, User: viewer(2) }));
        ws.send(pack(3, { MsgId: msgId(104), CurrentCount: 1234, User: viewer(3) }));
        ws.send(pack(4, { MsgId: msgId(105), User: viewer(3) }));
        ws.send(pack(8, { MsgId: msgId(106), ShareType: 1, User: viewer(3) }));
        ws.send(pack(7, { MsgId: msgId(107), Type: 2, Level: 1, User: viewer(4) }));
        ws.send(pack(7, { MsgId: msgId(108), Type: 1, Level: 5, User: viewer(4) }));
        ws.send(pack(6, { MsgId: msgId(109), OnlineUserCount: 1234, TotalUserCount: 56789 }));
        ws.send(pack(1, { MsgId: msgId(110), Content: '别的直播间', WebRoomId: '99999', User: viewer(1) }));
        for (const [n, repeat] of [[1, 1], [2, 2], [3, 5], [4, 3]]) ws.send(streak(n, repeat)); // ×1 ×2 ×5, then a late ×3
        ws.send(pack(5, { MsgId: msgId(600), GiftId: '3001', GiftName: '嘉年华', GroupId: '1700000000002', GiftCount: 1, RepeatCount: 1, DiamondCount: 3000, User: viewer(2) }));
        ws.send('not json');
        ws.send(JSON.stringify({ Type: 1, ProcessName: '直播伴侣' })); // no Data
        ws.send(JSON.stringify({ Type: 1, ProcessName: '直播伴侣', Data: '{"MsgId": 1, "Content": ' })); // Data cut short
        ws.send(JSON.stringify({ Type: 1, ProcessName: '直播伴侣', Data: '[1, 2]' }));
        ws.send(Buffer.from([0x08, 0x96, 0x01, 0xff, 0x00]), { binary: true });
        setTimeout(() => ws.terminate(), 50);
      } else {
        for (let n = 21; n <= 30; n++) ws.send(chat(n)); // backlog again
        ws.send(streak(3, 5)); // the streak's ×5 again, under its own id: adds nothing
        ws.send(streak(5, 7)); // the streak goes on: +2
        for (let n = 31; n <= 40; n++) ws.send(chat(n));
        ws.send(pack(9, { MsgId: msgId(900) }));
      }
    });
    const { events, intake } = collector(undefined, 'douyin');
    source = new BarrageGrabSource({ url, room: ROOM, heartbeatSec: 0, backoff: new Backoff({ initialMs: 10, maxMs: 40 }) });
    source.start(intake);
    await until(() => events.some((e) => e.kind === 'live_end'), 10_000, 'the end of the live');

    const of = <K extends LiveEvent['kind']>(kind: K) => events.filter((e): e is Extract<LiveEvent, { kind: K }> => e.kind === kind);
    expect(events.every((e) => e.platform === 'douyin' && e.roomId === 'room')).toBe(true);
    expect(of('chat').map((e) => e.text)).toEqual([...Array.from({ length: 30 }, (_, i) => `第${i + 1}条弹幕`), '主播好', '有S码吗', ...Array.from({ length: 10 }, (_, i) => `第${i + 31}条弹幕`)]);
    expect(of('chat')[0].id).toBe('7311000000000000001');
    expect(of('chat')[0].user).toEqual({ id: '93000000000000001', name: '观众1', level: 12, fansClub: { name: '小熊团', level: 1 }, following: true });
    expect(of('chat')[30].user).toEqual({ id: '111111', name: '玲***', masked: true });
    expect(of('chat')[31].user).toEqual({ id: 'MS4wLjABAAAAsec', name: '小***' });
    expect(of('like').map((e) => e.count)).toEqual([5]);
    expect([of('enter').length, of('follow').length, of('share').length]).toEqual([1, 1, 1]);
    expect(of('fansclub').map((e) => [e.action, e.level])).toEqual([['join', 1], ['level_up', 5]]);
    expect(of('viewer_stats').map((e) => [e.online, e.totalViewers])).toEqual([[1234, 56789]]);

    const gifts = of('gift');
    expect(gifts.map((g) => [g.giftName, g.count, g.valueFen])).toEqual([
      ['小心心', 1, 10],
      ['小心心', 1, 10],
      ['小心心', 3, 30],
      ['嘉年华', 1, 30_000],
      ['小心心', 2, 20],
    ]);
    expect(gifts.filter((g) => g.streakId === '1700000000001').reduce((n, g) => n + g.count, 0)).toBe(7);
    expect(gifts.reduce((fen, g) => fen + g.valueFen, 0)).toBe(30_070);

    const health = intake.snapshot();
    expect(health.accepted).toBe(events.length);
    expect(health.duplicates).toBe(10);
    expect(health.errorsByReason).toEqual({ bad_frame: 5 });
    expect(health.reconnects).toBe(1);
    expect(health.state).toBe('ended');
  });

  it('takes every room the relay sees when no room is chosen', async () => {
    const { url } = await wsRelay((ws) => {
      ws.send(chat(1));
      ws.send(pack(1, { MsgId: msgId(2), Content: '另一个直播间', WebRoomId: '99999', User: viewer(1) }));
    });
    const { events, intake } = collector(undefined, 'douyin');
    source = new BarrageGrabSource({ url, heartbeatSec: 0 });
    source.start(intake);
    await until(() => events.length === 2);
    expect(intake.snapshot().state).toBe('connected');
  });
});
