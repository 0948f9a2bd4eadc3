// webcast_decode: Douyin Webcast push frames to checked LiveEvents, measured on fixed pre-built frames
// (gzipped Responses of 20 mixed room messages each): PushFrame → gunzip → Response → messages →
// LiveEvents → the shared check and de-dup, through an Intake over an Ingress whose pipeline does
// nothing. No socket: this is the decoder's own cost, per event that comes out.
import { gzipSync } from 'node:zlib';
import type { Type } from 'protobufjs';
import { Ingress } from '../../src-main/pipeline/ingress';
import * as wc from '../../src-main/sources/adapters/webcast/schema';
import { WebcastDecoder } from '../../src-main/sources/adapters/webcast/webcast-decoder';
import { Intake } from '../../src-main/sources/intake';
import type { Benchmark } from './run';

const FRAMES = 15_000;
const PER_FRAME = 20;
const T0 = Date.UTC(2026, 10, 23, 12);

let frames: Uint8Array[] | undefined;

const encode = (type: Type, value: object): Uint8Array => type.encode(value).finish();

/** Message `n` of the bench room: mostly chat, with likes, arrivals, follows, gifts (each streak's end) and counters. */
function roomMessage(n: number): { method: string; payload: Uint8Array } {
  const msgId = String(7_311_000_000_000_000_000n + BigInt(n));
  const common = { msgId, createTime: T0 + n * 5 };
  const user = { id: String(93_000_000_000n + BigInt(n % 5_000)), nickName: `观众${n % 5_000}`, secUid: `MS4wLjABAAAA${n % 5_000}` };
  const as = (method: string, type: Type, fields: object) => ({ method, payload: encode(type, { common, ...fields }) });
  switch (n % 20) {
    case 3:
    case 13:
      return as('WebcastLikeMessage', wc.LikeMessage, { user, count: 1 + (n % 7), total: n });
    case 5:
    case 15:
      return as('WebcastMemberMessage', wc.MemberMessage, { user, memberCount: 1_000 + (n % 500) });
    case 7:
      return as('WebcastSocialMessage', wc.SocialMessage, { user, action: 1 });
    case 9:
      return as('WebcastGiftMessage', wc.GiftMessage, { user, giftId: 463, groupId: String(1_700_000_000_000 + n), repeatCount: 1 + (n % 9), repeatEnd: 1, gift: { name: '小心心', diamondCount: 1, combo: true } });
    case 19:
      return as('WebcastRoomUserSeqMessage', wc.RoomUserSeqMessage, { total: 1_000 + (n % 500), totalUser: 50_000 + n });
    default:
      return as('WebcastChatMessage', wc.ChatMessage, { user, content: `第${n}条弹幕：3号链接有S码吗` });
  }
}

/** The bench frames, built once: each a gzipped Response of PER_FRAME messages. */
function benchFrames(): Uint8Array[] {
  frames ??= Array.from({ length: FRAMES }, (_, f) => {
    const messages = Array.from({ length: PER_FRAME }, (_, i) => roomMessage(f * PER_FRAME + i));
    return encode(wc.PushFrame, { logId: String(f + 1), payloadType: 'msg', payloadEncoding: 'gzip', payload: gzipSync(encode(wc.Response, { messages })) });
  });
  return frames;
}

export const webcastDecode: Benchmark = {
  name: 'webcast_decode',
  runs: 7,
  async run() {
    const input = benchFrames();
    let events = 0;
    // Every event is processed as it arrives (the slice covers them all): the loop below never yields.
    const ingress = new Ingress(() => events++, { capacity: FRAMES * PER_FRAME, slice: FRAMES * PER_FRAME });
    const intake = new Intake({ id: 'bench', platform: 'douyin', roomId: '' }, ingress);
    const decoder = new WebcastDecoder('douyin');
    const started = performance.now();
    for (const frame of input) decoder.take(intake, frame, T0);
    const ms = performance.now() - started;
    if (events !== FRAMES * PER_FRAME) throw new Error(`webcast_decode: ${events} events of ${FRAMES * PER_FRAME}`);
    return { webcast_decode_events_per_s: (events * 1000) / ms };
  },
};
