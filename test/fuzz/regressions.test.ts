// Every crash the fuzz harness found, as the input that caused it and what must happen instead. Two
// kinds of input did it: JSON nested deeper than a recursive walk survives (`[[[[…` 100,000 deep:
// JSON.parse copes, JSON.stringify and recursive code run out of stack), and objects whose
// conversion to a string or a number throws (`{"toString": 1}`, a `length` of one, which zod's
// length checks compare even on values of the wrong type).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { dispatch, methods, type Handlers } from '../../src-main/contract';
import { importProfiles, previewProfiles } from '../../src-main/profiles/import';
import { conditionSchema } from '../../src-main/profiles/segments';
import { staticAuth } from '../../src-main/sources/adapters/bilibili/auth';
import { BilibiliSource } from '../../src-main/sources/adapters/bilibili/bilibili-source';
import { encodePacket, Op, Ver } from '../../src-main/sources/adapters/bilibili/frame';
import { BarrageGrabMessages } from '../../src-main/sources/adapters/douyin/barrage-grab';
import { BarrageGrabSource } from '../../src-main/sources/adapters/douyin/barrage-grab-source';
import { ChatReaderEvents } from '../../src-main/sources/adapters/tiktok/chat-reader';
import { ChatReaderSource } from '../../src-main/sources/adapters/tiktok/chat-reader-source';
import { WebcastSource } from '../../src-main/sources/adapters/webcast/webcast-source';
import { ChannelsMessages } from '../../src-main/sources/adapters/wechat/channels';
import { HttpPushSource } from '../../src-main/sources/http-push-source';
import { Backoff } from '../../src-main/sources/reconnect';
import type { Source } from '../../src-main/sources/source';
import { couponTemplateSchema, ruleSchema } from '../../src-main/triggers/rules';
import { collector, until } from '../helpers/collect';
import { freshDb } from '../profiles/helpers';
import { triggerRules, webcastFrame, webcastMessages } from './fixtures';

const NOW = 1_790_000_000_000;
/** `open` 100,000 times, a core, and the closers: far past any recursive walk's stack. */
const deep = (open = '[', core = '1', close = ']', depth = 100_000): string => open.repeat(depth) + core + close.repeat(depth);
/** An object whose conversion to a primitive throws, as JSON.parse hands it over. */
const unconvertible = (): unknown => JSON.parse('{"toString":1,"valueOf":{}}');

/** Servers and sources a test started, stopped last first (sources before the servers they hold open). */
const running: { stop(): void | Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
});

describe('JSON sources: nesting deeper than the stack', () => {
  it('a frame 100,000 arrays deep is one refused item, not a RangeError out of decodeFrame (sampleOf wrote it out)', () => {
    const { intake } = collector();
    expect({ ...intake.frame(deep()) }).toEqual({ accepted: 0, duplicates: 0, dropped: 0, rejected: 1 });
    expect({ ...intake.frame(`{"kind":"chat","id":"d1","ts":1,"text":${deep()}}`) }).toMatchObject({ rejected: 1 });
    const { errorsByReason, samples } = intake.snapshot();
    expect(errorsByReason).toEqual({ not_an_event: 1, invalid: 1 });
    expect(samples.map((s) => s.sample)).toEqual(['(nested too deep to show)', '(nested too deep to show)']);
  });

  it('an NDJSON line nested too deep is counted and the HTTP receiver answers (it threw in the request handler, taking the process down)', async () => {
    const { intake, events } = collector();
    const source = new HttpPushSource({ port: 0 });
    running.push(source);
    source.start(intake);
    await until(() => source.port !== undefined && intake.snapshot().state === 'connected');
    const body = `${deep('{"a":', '1', '}')}\n{"kind":"chat","id":"ok1","ts":1,"text":"still here"}\n`;
    const response = await fetch(`http://127.0.0.1:${source.port}/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, dropped: 0, rejected: 1 });
    expect(events.map((e) => e.id)).toEqual(['ok1']);
  });
});

describe('platform adapters and their sources', () => {
  it('TikTok: a createTime or displayType that does not convert is the receive time, or no event (Number() threw)', () => {
    const reader = new ChatReaderEvents();
    expect(reader.map('chat', { userId: '1', comment: 'hi', msgId: 'm1', createTime: unconvertible() }, NOW)).toMatchObject({ event: { kind: 'chat', ts: NOW } });
    expect(reader.map('social', { userId: '1', msgId: 'm2', displayType: unconvertible() }, NOW)).toBeUndefined();
  });

  it('TikTok through a real relay: a room id or a disconnect reason that does not convert leaves the source running (it threw in the socket handler)', async () => {
    const http = createServer();
    const io = new Server(http);
    running.push({ stop: () => void io.close() });
    let asked = 0;
    io.on('connection', (socket) =>
      socket.on('setUniqueId', () => {
        asked++;
        socket.emit('tiktokConnected', { roomId: JSON.parse('{"toString":1}') });
        if (asked === 1) socket.emit('tiktokDisconnected', JSON.parse('{"toString":1}'));
        else socket.emit('chat', { userId: '7', nickname: 'Fan', comment: 'back', msgId: 'after' });
      }),
    );
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { intake, events } = collector(undefined, 'tiktok');
    const source = new ChatReaderSource({ uniqueId: 'creator', url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, backoff: new Backoff({ initialMs: 10, maxMs: 20 }) });
    running.push(source);
    source.start(intake);
    await until(() => events.some((e) => e.id === 'after'), 5_000, 'the chat after the reconnection');
    expect(asked).toBe(2);
    expect(intake.snapshot()).toMatchObject({ state: 'connected', reconnects: 1, detail: '@creator · room {"toString":1}' });
  });

  it('WeChat Channels: a seq, clientMsgId, liveId or gift count that does not convert gives events or counted errors (a template literal threw)', () => {
    const gift = Buffer.from(JSON.stringify({ reward_product_id: 'rose', reward_product_count: { toString: 1 }, reward_gift: { name: '玫瑰', price: { valueOf: 1 } } })).toString('base64');
    const poll = JSON.parse(
      JSON.stringify({
        msgList: [{ type: 1, seq: { toString: [] }, clientMsgId: 'c-1', username: 'o_sec_1@finder', content: 'hi' }, { type: 1, seq: 2, clientMsgId: { toString: [] }, username: 'o_sec_1@finder', content: 'hi' }],
        appMsgList: [{ msgType: 20009, seq: 3, clientMsgId: 'a-3', fromUserContact: { contact: { username: 'o_sec_2@finder' } }, payload: gift }],
        liveInfo: { liveId: { toString: 1 }, onlineCnt: 5 },
      }),
    );
    const { events, errors } = new ChannelsMessages().map(poll, NOW);
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.kind, e.id])).toEqual([
      ['chat', ':c-1'],
      ['chat', '2:'],
      ['gift', '3:a-3'],
      ['viewer_stats', expect.stringMatching(/^live--/)],
    ]);
    expect(events[2]).toMatchObject({ count: undefined, valueFen: undefined }); // refused by the check, and counted
  });

  it('DouyinBarrageGrab: a fan-club Type that does not convert is an event the check refuses (an index lookup threw)', () => {
    const mapped = new BarrageGrabMessages().map(JSON.stringify({ Type: 7, ProcessName: 'p', Data: '{"MsgId":1,"Type":{"toString":false},"Level":3}' }), NOW);
    const { intake } = collector(undefined, 'douyin');
    expect(mapped && 'event' in mapped && mapped.event).toMatchObject({ kind: 'fansclub', action: undefined });
    expect({ ...intake.value(mapped && 'event' in mapped ? mapped.event : undefined) }).toMatchObject({ accepted: 0, rejected: 1 });
  });

  it('DouyinBarrageGrab and Webcast: a text frame that is not UTF-8 is counted, not a closed connection (ws closed it with 1007)', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    running.push({ stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    await new Promise((resolve) => server.once('listening', resolve));
    const after = { '/barrage': JSON.stringify({ Type: 1, ProcessName: 'p', Data: '{"MsgId":42,"Content":"after"}' }), '/webcast': webcastFrame([webcastMessages()[0]], { gzip: false }) };
    server.on('connection', (ws, req) => {
      ws.send(Buffer.from([0x7b, 0x80, 0x7d]), { binary: false });
      ws.send(after[req.url as keyof typeof after], { binary: req.url === '/webcast' });
    });
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const barrage = collector(undefined, 'douyin');
    const webcast = collector(undefined, 'douyin');
    const sources = [new BarrageGrabSource({ url: `${url}/barrage`, heartbeatSec: 0 }), new WebcastSource({ url: `${url}/webcast`, platform: 'douyin', heartbeatSec: 0 })];
    running.push(...sources);
    sources[0].start(barrage.intake);
    sources[1].start(webcast.intake);
    await until(() => barrage.events.length === 1 && webcast.events.length === 1, 5_000, 'the frames after the broken one');
    expect(barrage.intake.snapshot()).toMatchObject({ state: 'connected', reconnects: 0, errorsByReason: { bad_frame: 1 } });
    expect(webcast.intake.snapshot()).toMatchObject({ state: 'connected', reconnects: 0, errorsByReason: { bad_frame: 1 } });
  });

  it('Bilibili: an auth reply whose code nests 100,000 deep drops the connection with a readable reason (JSON.stringify threw in the socket handler)', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/sub' });
    running.push({ stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    await new Promise((resolve) => server.once('listening', resolve));
    server.on('connection', (ws) => ws.once('message', () => ws.send(encodePacket(Op.authReply, `{"code":${deep()}}`, Ver.int))));
    const { intake } = collector(undefined, 'bilibili');
    const auth = staticAuth({ token: 't', hosts: [{ host: '127.0.0.1', wss_port: (server.address() as AddressInfo).port }] });
    const source: Source = new BilibiliSource({ roomId: 21452505, auth, scheme: 'ws', backoff: new Backoff({ initialMs: 5_000, maxMs: 5_000 }) });
    running.push(source);
    source.start(intake);
    await until(() => intake.snapshot().state === 'reconnecting', 5_000, 'the refused auth');
    expect(intake.snapshot().detail).toMatch(/^auth refused by ws:\/\/127\.0\.0\.1:\d+\/sub \(code \(nested too deep to show\)\)$/);
  });
});

describe('imported files', () => {
  it('a JSON line nested 100,000 deep is one bad row; the rest import (writing its value out threw a RangeError)', async () => {
    const file = Buffer.from(`{"crm_id":"C1","name":"张三"}\n{"crm_id":"C2","name":${deep()}}\n{"crm_id":"C3","name":"李四"}\n`);
    const preview = previewProfiles(file);
    expect(preview).toMatchObject({ format: 'jsonl', header: ['crm_id', 'name'], rowCount: 3, rows: [['C1', '张三'], ['', ''], ['C3', '李四']] });
    const { db } = freshDb();
    const report = await importProfiles(db, file, { fileName: 'deep.jsonl', mapping: { crm_id: 'crm_id', name: 'name' } });
    expect(report).toMatchObject({ rows: 3, inserted: 2, rejected: 1, rejections: [{ row: 2, reason: 'bad json' }] });
  });
});

describe('JSON ops write: a length that does not convert', () => {
  const hostileLength = (): unknown => JSON.parse('{"length":{"toString":null}}');

  it('trigger rules and templates refuse it (zod compared it in a length check, and safeParse threw)', () => {
    const rule = { ...(triggerRules()[0] as object), where: { tags: { all: hostileLength() } } };
    const parsed = ruleSchema.safeParse(rule);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe('an object with a length member (no rule or template field is called length)');
    expect(couponTemplateSchema.safeParse({ id: 'c1', name: hostileLength(), faceValueFen: 100, thresholdFen: 0, validMinutes: 30, stock: 1 }).success).toBe(false);
  });

  it('segment condition trees refuse it, in any field of any node', () => {
    for (const tree of [{ tag: hostileLength() }, { all: [{ platform: 'douyin' }, { not: { rfm: hostileLength() } }] }]) {
      const parsed = conditionSchema.safeParse(tree);
      expect(parsed.error?.issues[0].message).toBe('a condition field holding an object with a length member');
    }
  });

  it('contract requests get bad_envelope or bad_args for it, not an internal error', async () => {
    const handlers = Object.fromEntries(methods.map((m) => [m, () => null])) as unknown as Handlers;
    expect(await dispatch(handlers, { id: 3, method: hostileLength() })).toEqual({ id: 3, ok: false, error: { code: 'bad_envelope', message: 'expected {id, method, args}' } });
    expect(await dispatch(handlers, { id: 4, method: 'annotate', args: { text: hostileLength() } })).toMatchObject({ id: 4, ok: false, error: { code: 'bad_args' } });
  });
});
