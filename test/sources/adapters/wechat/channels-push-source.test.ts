// WeChat Channels through a polling relay, on a real local port: polls POSTed as the console returns
// them (bare or as {data}, plain or gzipped), overlapping so messages repeat, combo gifts re-sending
// running totals, garbage in and around the lists, tokens, and 503 while the pipeline is congested.
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../../src-main/events/live-event';
import { Ingress } from '../../../../src-main/pipeline/ingress';
import { ChannelsPushSource } from '../../../../src-main/sources/adapters/wechat/channels-push-source';
import { Intake } from '../../../../src-main/sources/intake';
import { collector, until } from '../../../helpers/collect';

let source: ChannelsPushSource | undefined;
afterEach(() => {
  source?.stop();
  source = undefined;
});

async function start(intake: Intake, token?: string): Promise<string> {
  source = new ChannelsPushSource({ port: 0, token });
  source.start(intake);
  await until(() => source!.port !== undefined && intake.snapshot().state === 'connected', 5_000, 'listening');
  return `http://127.0.0.1:${source.port}/events`;
}

const post = (url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
const postPoll = async (url: string, poll: unknown, headers: Record<string, string> = {}): Promise<unknown> => (await post(url, JSON.stringify(poll), headers)).json();

const viewer = (n: number): { username: string; nickname: string } => ({ username: `o_sec_${n}@finder`, nickname: `观众${n}` });
const comment = (seq: number, clientMsgId = `c-${seq}`): Record<string, unknown> => ({ type: 1, seq, clientMsgId, ...viewer(seq % 4), content: `第${seq}条评论` });
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
const appMsg = (seq: number, msgType: number, payload?: unknown): Record<string, unknown> => ({
  msgType,
  seq,
  clientMsgId: `a-${seq}`,
  fromUserContact: { contact: viewer(1) },
  ...(payload !== undefined && { payload: typeof payload === 'string' ? payload : b64(payload) }),
});
const combo = (seq: number, total: number): Record<string, unknown> =>
  appMsg(seq, 20013, { reward_product_id: 'heart', combo_id: 'k1', combo_product_count: total, reward_gift: { name: '小心心', price: 1 } });

describe('WeChat Channels push source', () => {
  it('turns overlapping polls into events once each, combo gifts counted once, garbage counted', async () => {
    const { events, intake } = collector(undefined, 'wechat');
    const url = await start(intake);

    const first = {
      msgList: [
        ...Array.from({ length: 20 }, (_, i) => comment(i + 1)),
        comment(41, 'c-41a'),
        comment(41, 'c-41b'), // the same seq, another message
        { type: 10005, seq: 42, clientMsgId: 'c-42', ...viewer(2), content: '' },
        { type: 3, seq: 43, clientMsgId: 'c-43', ...viewer(2) }, // not a room event: ignored
        { type: 1, seq: 44, clientMsgId: 'c-44', content: '没有用户名' },
        { type: 1, seq: 45, clientMsgId: 'c-45', ...viewer(3) }, // no content
        'junk',
      ],
      appMsgList: [
        appMsg(101, 20009, { reward_product_id: 'rose', reward_product_count: 2, reward_amount_in_wecoin: '20', reward_gift: { name: '玫瑰', price: 10 } }),
        ...[1, 3, 3, 2, 6].map((total, i) => combo(102 + i, total)), // ×1 ×3, ×3 again, a late ×2, ×6
        appMsg(110, 20006),
        appMsg(111, 20006),
        appMsg(112, 20009, 'bm90IGpzb24='), // base64, but not JSON
      ],
      liveInfo: { liveId: 'L1', onlineCnt: 88, likeCnt: 1200, startTime: 1_790_000_000 },
    };
    expect(await postPoll(url, first)).toEqual({ accepted: 31, duplicates: 0, dropped: 0, rejected: 3 });

    const second = { errCode: 0, data: { msgList: Array.from({ length: 20 }, (_, i) => comment(i + 11)), appMsgList: [combo(107, 6), combo(120, 8)], liveInfo: { liveId: 'L1', onlineCnt: 91, likeCnt: 1250 } } };
    const gzipped = await post(url, gzipSync(JSON.stringify(second)), { 'content-encoding': 'gzip' });
    expect(await gzipped.json()).toEqual({ accepted: 12, duplicates: 10, dropped: 0, rejected: 0 });

    expect((await post(url, 'not json')).status).toBe(400);
    expect((await post(url, 'not gzip', { 'content-encoding': 'gzip' })).status).toBe(400);
    expect(await postPoll(url, { msgList: { seq: 1 } })).toEqual({ accepted: 0, duplicates: 0, dropped: 0, rejected: 1 });
    expect(await postPoll(url, [1, 2])).toEqual({ accepted: 0, duplicates: 0, dropped: 0, rejected: 1 });

    await until(() => events.length === 43);
    const of = <K extends LiveEvent['kind']>(kind: K) => events.filter((e): e is Extract<LiveEvent, { kind: K }> => e.kind === kind);
    expect(events.every((e) => e.platform === 'wechat' && e.roomId === 'room')).toBe(true);
    expect(of('chat').map((e) => e.id)).toEqual([...Array.from({ length: 20 }, (_, i) => `${i + 1}:c-${i + 1}`), '41:c-41a', '41:c-41b', '44:c-44', ...Array.from({ length: 10 }, (_, i) => `${i + 21}:c-${i + 21}`)]);
    expect(of('chat')[0]).toMatchObject({ text: '第1条评论', user: { id: 'o_sec_1@finder', name: '观众1' } });
    expect(of('chat')[22].user).toBeUndefined();
    expect(of('enter').map((e) => e.user?.id)).toEqual(['o_sec_2@finder']);
    expect(of('like').map((e) => e.count)).toEqual([1, 1]);
    expect(of('viewer_stats').map((e) => [e.online, e.likes])).toEqual([
      [88, 1200],
      [91, 1250],
    ]);

    const gifts = of('gift');
    expect(gifts.map((g) => [g.giftName, g.count, g.valueFen])).toEqual([
      ['玫瑰', 2, 200],
      ['小心心', 1, 10],
      ['小心心', 2, 20],
      ['小心心', 3, 30],
      ['小心心', 2, 20],
    ]);
    expect(gifts.filter((g) => g.streakId === 'k1').reduce((n, g) => n + g.count, 0)).toBe(8);
    expect(gifts.reduce((fen, g) => fen + g.valueFen, 0)).toBe(280);

    const health = intake.snapshot();
    expect(health).toMatchObject({ accepted: 43, duplicates: 10 });
    expect(health.errorsByReason).toEqual({ bad_frame: 6, invalid: 1 });
    expect(health.errorsByKind).toEqual({ '?': 5, gift: 1, chat: 1 });
  });

  it('refuses wrong methods, paths and tokens, and asks the relay to retry while congested', async () => {
    const slow = new Ingress(
      () => {
        const end = Date.now() + 20;
        while (Date.now() < end);
      },
      { capacity: 10, slice: 1 },
    );
    const intake = new Intake({ id: 'wx', platform: 'wechat', roomId: '' }, slow);
    const url = await start(intake, 'relay-secret');
    const auth = { authorization: 'Bearer relay-secret' };
    const burst = { msgList: Array.from({ length: 10 }, (_, i) => comment(i + 1)) };
    expect((await post(url, JSON.stringify(burst))).status).toBe(401);
    expect((await fetch(url, { headers: auth })).status).toBe(404);
    expect(await postPoll(url, burst, auth)).toEqual({ accepted: 10, duplicates: 0, dropped: 0, rejected: 0 });
    const busy = await post(url, JSON.stringify({ msgList: [comment(11)] }), auth);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    await until(() => !slow.congested);
    expect(await postPoll(url, { msgList: [comment(11)] }, auth)).toEqual({ accepted: 1, duplicates: 0, dropped: 0, rejected: 0 });
  });
});
