// Fuzz targets of the generic relay sources, which all decode JSON LiveEvents: a WebSocket frame
// (decodeFrame through the intake), bodies POSTed to the HTTP push receiver and the WeChat Channels
// receiver on a real port (JSON, NDJSON, gzip, gzip bombs), and socket.io events from a real relay
// to the generic socket.io source and to the TikTok-Chat-Reader source.
import { createServer, request, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Server, type Socket } from 'socket.io';
import { eventKinds, platforms, trafficSources } from '../../../src-main/events/live-event';
import { ChannelsPushSource } from '../../../src-main/sources/adapters/wechat/channels-push-source';
import { ChatReaderSource } from '../../../src-main/sources/adapters/tiktok/chat-reader-source';
import { MAX_FRAME_BYTES } from '../../../src-main/sources/decode';
import { HttpPushSource, MAX_BODY_BYTES, type HttpReceiver } from '../../../src-main/sources/http-push-source';
import { Backoff } from '../../../src-main/sources/reconnect';
import { SocketIoSource } from '../../../src-main/sources/socketio-source';
import { until } from '../../helpers/collect';
import { deepJsonText, jsonValue, mutatedBytes, mutatedJson, mutatedText, shaped, text } from '../arbitraries';
import { jsonFrames, liveEvents } from '../fixtures';
import { expectThat, observe, type FuzzTarget } from '../property';
import { chatReaderCall, channelsPoll } from './adapters';

const id = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('m1', '7311000000000000001', 'x'.repeat(129)));

/** An object shaped like a LiveEvent of any kind, every field plausible, hostile or missing. */
export const eventLike = shaped({
  kind: fc.constantFrom(...eventKinds, 'CHAT', ''),
  id,
  platform: fc.constantFrom(...platforms),
  roomId: fc.string({ maxLength: 8 }),
  ts: fc.nat(),
  recvTs: fc.nat(),
  user: shaped({ id, name: text, masked: fc.boolean(), level: fc.nat(100), fansClub: shaped({ name: text, level: fc.nat(30) }), following: fc.boolean() }),
  trafficSource: fc.constantFrom(...trafficSources),
  text,
  giftId: id,
  giftName: text,
  count: fc.nat(1000),
  valueFen: fc.nat(),
  streakId: id,
  action: fc.constantFrom('join', 'level_up'),
  online: fc.nat(),
  productId: id,
  quantity: fc.nat(10),
  orderId: id,
  amountFen: fc.nat(),
  couponId: id,
  channel: fc.constantFrom('wecom', 'group', 'other'),
});

/** JSON text nested far too deep: alone, in an array, as an event's field. */
const deepFrame = fc
  .tuple(deepJsonText, fc.nat(3))
  .map(([deep, i]) => [deep, `[${deep}]`, `{"kind":"chat","id":"d1","ts":1,"text":${deep}}`, `[{"kind":"chat","id":"d2","ts":1,"text":"x","user":${deep}}]`][i]);

/** Frames a JSON relay might send: events and arrays of them, mutated real frames, any JSON, deep nesting, and one past the size limit. */
export const frameText: fc.Arbitrary<string> = fc.oneof(
  fc.array(eventLike, { maxLength: 4 }).map((events) => JSON.stringify(events.length === 1 ? events[0] : events)),
  mutatedJson(liveEvents()).map((v) => JSON.stringify(v) ?? 'null'),
  fc.array(mutatedJson(liveEvents()), { maxLength: 5 }).map((v) => JSON.stringify(v)),
  mutatedText(jsonFrames()),
  jsonValue.map((v) => JSON.stringify(v) ?? 'null'),
  deepFrame,
  fc.constant(`[${'1,'.repeat(MAX_FRAME_BYTES / 2)}1]`),
);

/** Items a frame holds, as decodeFrame must count them: one per array element, else one (an error counts as one). */
export function expectedItems(data: string | Uint8Array): number {
  let text: string;
  if (typeof data === 'string') {
    if (data.length > MAX_FRAME_BYTES) return 1;
    text = data;
  } else {
    if (data.length > MAX_FRAME_BYTES) return 1;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      return 1;
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 1;
  }
  return Array.isArray(value) ? value.length : 1;
}

type FrameForm = 'string' | 'buffer' | 'arraybuffer' | 'fragments';

/** A frame as the ws library hands it over: text, a Buffer, an ArrayBuffer, or fragments. */
function asForm(data: string | Uint8Array, form: FrameForm): string | Buffer | ArrayBuffer | Buffer[] {
  if (typeof data === 'string' && form === 'string') return data;
  const bytes = Buffer.from(data);
  if (form === 'arraybuffer') return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  if (form === 'fragments') return [bytes.subarray(0, bytes.length >> 1), bytes.subarray(bytes.length >> 1)];
  return bytes;
}

export const jsonFrame: FuzzTarget<{ data: string | Uint8Array; form: FrameForm }> = {
  name: 'json-frame',
  runs: 150,
  arbitrary: fc.record({
    data: fc.oneof({ arbitrary: frameText, weight: 4 }, mutatedBytes(jsonFrames().map((f) => Buffer.from(f))), fc.uint8Array({ maxLength: 64 })),
    form: fc.constantFrom('string', 'buffer', 'arraybuffer', 'fragments'),
  }),
  check({ data, form }) {
    const { intake, assertSound } = observe();
    const sent = asForm(data, form);
    const r = { ...intake.frame(sent) };
    assertSound();
    const expected = expectedItems(typeof sent === 'string' ? sent : Array.isArray(sent) ? Buffer.concat(sent) : Buffer.isBuffer(sent) ? sent : Buffer.from(sent));
    const got = r.accepted + r.duplicates + r.dropped + r.rejected;
    expectThat(got === expected, () => `${got} items accounted for, the frame holds ${expected}: ${JSON.stringify(r)}`);
  },
};

/** 9 MiB of zeros gzipped (~9 KB): inflates past the receiver's 8 MiB body limit. */
let bomb: Buffer | undefined;
const gzipBomb = (): Buffer => (bomb ??= gzipSync(Buffer.alloc(9 * 1024 * 1024)));

interface Post {
  to: 'push' | 'channels';
  body: Uint8Array;
  ndjson: boolean;
  /** identity: as is; gzip: gzipped here; gzipped: already (a broken or bomb gzip stream). */
  encoding: 'identity' | 'gzip' | 'gzipped';
}

const ndjsonBody = fc.array(frameText.filter((f) => f.length < 100_000), { maxLength: 5 }).chain((lines) => fc.constantFrom('\n', '\r\n', '\n\n').map((end) => lines.join(end)));

const postArbitrary: fc.Arbitrary<Post> = fc.oneof(
  fc.record({
    to: fc.constant('push' as const),
    body: fc.oneof(ndjsonBody, frameText).map((t) => Buffer.from(t)),
    ndjson: fc.boolean(),
    encoding: fc.constantFrom('identity' as const, 'gzip' as const),
  }),
  fc.record({
    to: fc.constantFrom('push' as const, 'channels' as const),
    body: fc.oneof(mutatedBytes([...jsonFrames(), JSON.stringify(liveEvents())].map((f) => Buffer.from(f))), fc.constant(gzipBomb()), mutatedBytes([gzipBomb()])),
    ndjson: fc.boolean(),
    encoding: fc.constantFrom('identity' as const, 'gzipped' as const),
  }),
  fc.record({
    to: fc.constant('channels' as const),
    body: channelsPoll.map((poll) => Buffer.from(JSON.stringify(poll) ?? 'null')),
    ndjson: fc.constant(false),
    encoding: fc.constantFrom('identity' as const, 'gzip' as const),
  }),
);

/** What a receiver must answer: the body as it reads it (or why not), the status that follows. */
function plainBody({ body, encoding }: Post): Buffer | undefined {
  if (encoding !== 'gzipped') return Buffer.from(body);
  try {
    return gunzipSync(body, { maxOutputLength: MAX_BODY_BYTES });
  } catch {
    return undefined;
  }
}

function expectedStatus(post: Post, plain: Buffer | undefined): number {
  if (plain === undefined) return 400;
  if (post.to === 'push') return 200;
  try {
    JSON.parse(plain.toString('utf8'));
    return 200;
  } catch {
    return 400;
  }
}

/** NDJSON items as the push receiver must count them: per non-blank line. */
function expectedNdjsonItems(plain: Buffer): number {
  let n = 0;
  for (const line of plain.toString('latin1').split('\n')) if (line.trim() !== '') n += expectedItems(Buffer.from(line, 'latin1'));
  return n;
}

/** A receiver listening on 127.0.0.1, and what reached its intake. */
interface Receiver {
  source: HttpReceiver;
  observed: ReturnType<typeof observe>;
}

const receivers: Partial<Record<Post['to'], Receiver>> = {};

async function listen(source: HttpReceiver, platform: string): Promise<Receiver> {
  const observed = observe(platform);
  source.start(observed.intake);
  await until(() => source.port !== undefined && observed.intake.snapshot().state === 'connected', 5_000, 'the receiver listening');
  return { source, observed };
}

export const httpPush: FuzzTarget<Post> = {
  name: 'http-push',
  runs: 50,
  async: true,
  arbitrary: postArbitrary,
  async open() {
    receivers.push = await listen(new HttpPushSource({ port: 0 }), 'other');
    receivers.channels = await listen(new ChannelsPushSource({ port: 0 }), 'wechat');
  },
  async close() {
    receivers.push?.source.stop();
    receivers.channels?.source.stop();
    delete receivers.push;
    delete receivers.channels;
  },
  async check(post) {
    const receiver = receivers[post.to]!;
    const headers: Record<string, string> = { 'content-type': post.ndjson ? 'application/x-ndjson' : 'application/json' };
    if (post.encoding !== 'identity') headers['content-encoding'] = 'gzip';
    const body = post.encoding === 'gzip' ? gzipSync(post.body) : Buffer.from(post.body);
    const response = await postBody(receiver.source.port!, body, headers);
    const answer = JSON.parse(response.body) as Record<string, unknown>;
    receiver.observed.assertSound();
    const plain = plainBody(post);
    const status = expectedStatus(post, plain);
    expectThat(response.status === status, () => `answered ${response.status} ${JSON.stringify(answer)}, expected ${status}`);
    if (status !== 200) return expectThat(typeof answer.error === 'string', () => `an error answer without an error: ${JSON.stringify(answer)}`);
    const counts = ['accepted', 'duplicates', 'dropped', 'rejected'].map((k) => answer[k]);
    expectThat(counts.every((n) => Number.isSafeInteger(n) && (n as number) >= 0), () => `answered ${JSON.stringify(answer)}`);
    if (post.to === 'channels') return;
    const expected = post.ndjson ? expectedNdjsonItems(plain!) : expectedItems(plain!);
    const got = (counts as number[]).reduce((a, b) => a + b, 0);
    expectThat(got === expected, () => `${got} items answered for, the body holds ${expected}: ${JSON.stringify(answer)}`);
  },
};

/** One POST on a fresh connection (a kept-alive one may be closed by the server while the runner fuzzes other targets). */
function postBody(port: number, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/events', method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Event names socket.io reserves: a server cannot emit them. */
const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
const SENTINEL = 'fuzz-sentinel';

interface Emit {
  to: 'generic' | 'reader';
  name: string;
  payload: unknown;
}

const genericEmit: fc.Arbitrary<Emit> = fc.record({
  to: fc.constant('generic' as const),
  name: fc.oneof(fc.constantFrom(...eventKinds), fc.string({ maxLength: 6 })).filter((n) => !RESERVED.has(n) && n !== SENTINEL),
  payload: fc.oneof(eventLike, fc.array(eventLike, { maxLength: 4 }), mutatedJson(liveEvents()), jsonValue, fc.uint8Array({ maxLength: 16 })),
});

const readerEmit: fc.Arbitrary<Emit> = fc.oneof(
  chatReaderCall.map(({ name, payload }) => ({ to: 'reader' as const, name, payload })),
  fc.record({ to: fc.constant('reader' as const), name: fc.constantFrom('tiktokConnected', 'tiktokDisconnected', 'streamEnd'), payload: jsonValue }),
);

/** The relay: the generic source on /generic, the Chat-Reader source on /reader (answered as TikTok-Chat-Reader does). */
interface Relay {
  http: HttpServer;
  io: Server;
  generic: { source: SocketIoSource; observed: ReturnType<typeof observe>; socket?: Socket };
  reader: { source: ChatReaderSource; observed: ReturnType<typeof observe>; socket?: Socket; asked: number };
}

let relay: Relay | undefined;
let sentinels = 0;

export const socketIo: FuzzTarget<Emit> = {
  name: 'socket.io',
  runs: 40,
  async: true,
  arbitrary: fc.oneof(genericEmit, readerEmit),
  async open() {
    const http = createServer();
    const io = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const backoff = (): Backoff => new Backoff({ initialMs: 10, maxMs: 20 });
    const events = { ...Object.fromEntries(eventKinds.map((k) => [k, k])), [SENTINEL]: 'chat' as const };
    const r: Relay = {
      http,
      io,
      generic: { source: new SocketIoSource({ url: `${url}/generic`, events, silenceSec: 0, backoff: backoff() }), observed: observe('other') },
      reader: { source: new ChatReaderSource({ uniqueId: 'fuzz', url: `${url}/reader`, silenceSec: 0, backoff: backoff() }), observed: observe('tiktok'), asked: 0 },
    };
    io.of('/generic').on('connection', (socket) => (r.generic.socket = socket));
    io.of('/reader').on('connection', (socket) =>
      socket.on('setUniqueId', () => {
        r.reader.socket = socket;
        r.reader.asked++;
        socket.emit('tiktokConnected', { roomId: '7400000000000000001' });
      }),
    );
    r.generic.source.start(r.generic.observed.intake);
    r.reader.source.start(r.reader.observed.intake);
    relay = r;
    await until(() => r.generic.socket !== undefined && r.generic.observed.intake.snapshot().state === 'connected', 5_000, 'the generic source connected');
  },
  async close() {
    relay?.generic.source.stop();
    relay?.reader.source.stop();
    await relay?.io.close();
    relay = undefined;
  },
  async check({ to, name, payload }) {
    const r = relay!;
    const sentinel = `sentinel-${++sentinels}`;
    const seen = (events: { id: string }[]): boolean => events.some((e) => e.id === sentinel);
    if (to === 'generic') {
      const { observed, socket } = r.generic;
      const before = observed.intake.snapshot().received;
      socket!.emit(name, payload);
      socket!.emit(SENTINEL, { id: sentinel, ts: 1, text: 'sentinel' });
      await until(() => seen(observed.events), 3_000, 'the sentinel after the payload');
      observed.assertSound();
      const expected = eventKinds.includes(name as never) ? (Array.isArray(payload) ? payload.length : 1) : 0;
      const received = observed.intake.snapshot().received - before;
      return expectThat(received === expected + 1, () => `${received - 1} items taken from a payload of ${expected}`);
    }
    const { observed } = r.reader;
    // A LIVE the payload ended is started again, as the relay would on the creator's next LIVE.
    if (observed.intake.snapshot().state === 'ended') r.reader.socket?.emit('tiktokConnected', { roomId: '7400000000000000001' });
    await until(() => r.reader.socket?.connected === true && observed.intake.snapshot().state === 'connected', 3_000, 'the Chat-Reader source connected');
    const asked = r.reader.asked;
    r.reader.socket!.emit(name, payload);
    r.reader.socket!.emit('chat', { userId: '42', nickname: 'sentinel', comment: 'sentinel', msgId: sentinel });
    // The sentinel arrives, or the payload made the source reconnect (the relay lost TikTok) and it asked again.
    await until(() => seen(observed.events) || r.reader.asked > asked, 3_000, 'the sentinel or a reconnection');
    observed.assertSound();
  },
};
