// What the soak relay sends: valid events as a pure function of their number (so every recorded event
// can be checked field by field against what was sent), and a catalogue of garbage frames, each with
// the errors, by reason, the source must count for it.
import { isDeepStrictEqual } from 'node:util';
import { MAX_FRAME_BYTES, type FrameErrorReason } from '../../src-main/sources/decode';

/** A room's worth of viewers: bounded, so the engine's per-person state settles after a cycle or two. */
const VIEWERS = 3_000;
const TEXTS = ['这个多少钱？', '有没有S码', '主播好漂亮', '怎么买？', '已拍', '能便宜点吗', '发货快吗', '666', '上链接！', '面料是纯棉吗？', '想要黑色的', '抢到了'];
const GIFTS = ['小心心', '玫瑰', '墨镜', '嘉年华'];

export type Counts = Partial<Record<FrameErrorReason, number>>;

/** Valid event number `n` (1, 2, …): mostly comments, with likes, gifts, entries, viewer counts, clicks, carts and orders. */
export function eventOf(n: number, baseTs: number): Record<string, unknown> {
  const slot = n % 20;
  const viewer = (n * 7_919) % VIEWERS;
  const base = { id: `s${n}`, platform: n % 10 === 9 ? 'kuaishou' : 'douyin', ts: baseTs + Math.floor(n / 20) };
  const user = { id: `u${viewer}`, name: `观众${viewer}` };
  if (slot < 12) return { ...base, kind: 'chat', user, text: TEXTS[n % TEXTS.length] };
  if (slot < 14) return { ...base, kind: 'like', user, count: 1 + (n % 5) };
  if (slot === 14) return { ...base, kind: 'gift', user, giftId: `g${n % GIFTS.length}`, giftName: GIFTS[n % GIFTS.length], count: 1 + (n % 3), valueFen: (n % GIFTS.length) * 100 };
  if (slot === 15) return { ...base, kind: 'enter', user };
  if (slot === 16) return { ...base, kind: 'viewer_stats', online: 1_000 + (n % 500) };
  if (slot === 17) return { ...base, kind: 'product_click', user, productId: `p${n % 8}` };
  // One paid order in 200 events (a selling room): each is a purchase the buyer's cached profile keeps.
  if (slot === 18 && n % 200 === 18) return { ...base, kind: 'order_paid', user, orderId: `o${n}`, productId: `p${n % 8}`, amountFen: 9_900 + (n % 5) * 1_000 };
  if (slot === 18) return { ...base, kind: 'cart_add', user, productId: `p${n % 8}`, quantity: 1 + (n % 2) };
  return { ...base, kind: 'follow', user };
}

/** The number of a soak event id, or NaN for an id the relay never made. */
export function numberOf(id: string): number {
  return /^s[1-9]\d*$/.test(id) ? Number(id.slice(1)) : NaN;
}

/** Whether a recorded event carries every field event `n` was sent with, unchanged. */
export function intact(recorded: object, n: number, baseTs: number): boolean {
  const sent = eventOf(n, baseTs);
  const got = recorded as Record<string, unknown>;
  return Object.keys(sent).every((key) => isDeepStrictEqual(got[key], sent[key]));
}

export interface Garbage {
  data: string | Buffer;
  binary: boolean;
  /** What the source must count for this frame. */
  errors: Counts;
}

const chat = { kind: 'chat', platform: 'douyin', ts: 1, text: 'x' };
const text = (data: string | Buffer, errors: Counts): Garbage => ({ data, binary: false, errors });
const json = (value: unknown, errors: Counts): Garbage => text(JSON.stringify(value), errors);

/** Bytes that are never UTF-8 (0xff cannot occur in it), from a fixed seed. */
function junkBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = 0x2545f491;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  bytes[0] = 0xff;
  return bytes;
}

/** Every kind of bad input a relay has been seen to send, one frame each. */
export const garbage: readonly Garbage[] = [
  text('{"kind":"chat","id":"cut', { bad_json: 1 }), // truncated
  text('', { bad_json: 1 }),
  text('PING', { bad_json: 1 }),
  json({ ...chat, id: 'bad-text', text: 42 }, { invalid: 1 }), // wrong type
  json({ ...chat, id: 'bad-ts', ts: 'yesterday' }, { invalid: 1 }),
  json({ kind: 'gift', id: 'bad-gift', platform: 'douyin', ts: 1, giftId: 'g', giftName: 'g', count: 'many', valueFen: -5 }, { invalid: 1 }),
  json({ ...chat, id: '' }, { invalid: 1 }),
  json({ ...chat, platform: 'myspace', id: 'bad-platform' }, { invalid: 1 }),
  text('{"kind":"like","id":"bad-huge","platform":"douyin","ts":1e400,"count":1}', { invalid: 1 }), // ts = Infinity
  text('{"kind":"chat","platform":"douyin","ts":1,"text":"x","__proto__":{"polluted":true}}', { invalid: 1 }), // no id
  json({ ...chat, id: 'bad-kind', kind: 'teleport' }, { unknown_kind: 1 }),
  json({ id: 'no-kind' }, { unknown_kind: 1 }),
  json('just a string', { not_an_event: 1 }),
  json([42, null, ['nested']], { not_an_event: 3 }),
  text(Buffer.from('{"kind":"chat","text":"\xff\xfe"}', 'latin1'), { invalid_utf8: 1 }), // a text frame that is not UTF-8
  text(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), { invalid_utf8: 1 }), // an encoded lone surrogate
  { data: junkBytes(4_096), binary: true, errors: { invalid_utf8: 1 } },
  text(Buffer.alloc(MAX_FRAME_BYTES + 1, 'x'), { too_large: 1 }),
];

/** A frame mixing valid events `a` and `b` with bad items in one array. */
export function mixedFrame(a: number, b: number, baseTs: number): Garbage {
  return json([eventOf(a, baseTs), 'junk', { ...chat, id: 'bad-mixed', text: 42 }, eventOf(b, baseTs)], { not_an_event: 1, invalid: 1 });
}
