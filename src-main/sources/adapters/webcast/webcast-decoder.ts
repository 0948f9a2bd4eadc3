// Douyin and TikTok "Webcast" frames into the intake: PushFrame → (gunzip) → Response → the room
// messages it batches → LiveEvents, checked by the intake in one go per frame. Streak gifts (Douyin's
// `combo`, TikTok's type 1) re-send their running repeatCount: only the message that ends the streak
// counts, and a streak ended twice (groupId) counts once. Anything that does not decode is counted as
// a bad frame and skipped. When the platform asks for an ack, the ack frame to send back is returned.
import { gunzipSync } from 'node:zlib';
import type { Type } from 'protobufjs';
import { MAX_FRAME_BYTES, type FrameError } from '../../decode';
import { GiftStreaks } from '../../gift-streaks';
import type { Intake } from '../../intake';
import { DOUYIN_FEN_PER_DIAMOND, DOUYIN_HIDDEN_UIDS } from '../douyin/douyin';
import { TIKTOK_FEN_PER_COIN } from '../tiktok/chat-reader';
import * as schema from './schema';
import type { PushFrameOf, ResponseOf, RoomMessageOf, U64, UserOf } from './schema';

export type WebcastPlatform = 'douyin' | 'tiktok';

/** A LiveEvent-shaped object built from a decoded message; the intake checks it. */
type Candidate = Record<string, unknown>;

/** What differs between the two platforms. */
const PLATFORMS: Record<WebcastPlatform, { fenPerCoin: number; hiddenUids: ReadonlySet<string>; streakable: (gift: NonNullable<RoomMessageOf['gift']>) => boolean }> = {
  douyin: { fenPerCoin: DOUYIN_FEN_PER_DIAMOND, hiddenUids: DOUYIN_HIDDEN_UIDS, streakable: (gift) => gift.combo },
  tiktok: { fenPerCoin: TIKTOK_FEN_PER_COIN, hiddenUids: new Set(['0']), streakable: (gift) => gift.type === 1 },
};

/** The room messages LiveDeck reads, by method. */
const ROOM_MESSAGES: Record<string, Type> = {
  WebcastChatMessage: schema.ChatMessage,
  WebcastGiftMessage: schema.GiftMessage,
  WebcastLikeMessage: schema.LikeMessage,
  WebcastMemberMessage: schema.MemberMessage,
  WebcastSocialMessage: schema.SocialMessage,
  WebcastRoomUserSeqMessage: schema.RoomUserSeqMessage,
  WebcastControlMessage: schema.ControlMessage,
};

const SOCIAL_FOLLOW = 1;
const SOCIAL_SHARE = 3;
const CONTROL_ENDED = 3;
const GZIP = [0x1f, 0x8b, 0x08];
const SAMPLE_BYTES = 120;

export class WebcastDecoder {
  private readonly streaks = new GiftStreaks();
  private readonly config: (typeof PLATFORMS)[WebcastPlatform];

  constructor(private readonly platform: WebcastPlatform) {
    this.config = PLATFORMS[platform];
  }

  /** One binary frame from the wire, received at `now`: its events go to the intake; returns the ack to send, if asked for. */
  take(intake: Intake, data: Uint8Array, now: number): Uint8Array | undefined {
    const frame = decode<PushFrameOf>(schema.PushFrame, data);
    if (!frame) return fail(intake, 'not a PushFrame', data);
    if (frame.payloadType !== 'msg') return undefined;
    const payload = isGzip(frame.payload) ? gunzip(frame.payload) : frame.payload;
    if (!payload) return fail(intake, 'payload is not valid gzip (or inflates past 1 MiB)', frame.payload);
    const response = decode<ResponseOf>(schema.Response, payload);
    if (!response) return fail(intake, 'payload is not a Response', payload);

    const events: Candidate[] = [];
    for (const message of response.messages) {
      const type = ROOM_MESSAGES[message.method];
      if (!type) continue;
      const decoded = decode<RoomMessageOf>(type, message.payload);
      if (!decoded) {
        fail(intake, `${message.method} does not decode`, message.payload);
        continue;
      }
      const event = this.map(message.method, decoded, now);
      if (event) events.push(event);
    }
    if (events.length > 0) intake.value(events);
    if (events.some((e) => e.kind === 'live_end')) intake.setState('ended', 'live ended');
    return response.needAck ? schema.PushFrame.encode({ logId: frame.logId, payloadType: 'ack', payload: Buffer.from(response.internalExt) }).finish() : undefined;
  }

  /** One room message as an event, or nothing (a kind of social or control message LiveDeck does not count). */
  private map(method: string, m: RoomMessageOf, now: number): Candidate | undefined {
    switch (method) {
      case 'WebcastChatMessage':
        return Object.assign(this.event('chat', m, now), { text: m.content });
      case 'WebcastGiftMessage':
        return this.gift(m, now);
      case 'WebcastLikeMessage':
        return Object.assign(this.event('like', m, now), { count: m.count });
      case 'WebcastMemberMessage':
        return this.event('enter', m, now);
      case 'WebcastSocialMessage':
        return m.action === SOCIAL_FOLLOW ? this.event('follow', m, now) : m.action === SOCIAL_SHARE ? this.event('share', m, now) : undefined;
      case 'WebcastRoomUserSeqMessage':
        return Object.assign(this.event('viewer_stats', m, now), { online: m.total, totalViewers: m.totalUser || undefined });
      case 'WebcastControlMessage':
        return m.status === CONTROL_ENDED ? this.event('live_end', m, now) : undefined;
    }
    return undefined;
  }

  /**
   * The envelope of an event: id and time from the message's common part, and who. Kind fields are
   * added with Object.assign, not a spread: events then keep the plain object shape the intake's
   * checks run fast on (about twice the throughput, see test/bench/webcast.ts).
   */
  private event(kind: string, m: RoomMessageOf, now: number): Candidate {
    return { kind, id: nonZero(m.common?.msgId), platform: this.platform, ts: timeOf(m.common?.createTime, now), user: this.userOf(m.user) };
  }

  /** A gift: a streak gift only at the streak's end, and each streak (groupId) once. */
  private gift(m: RoomMessageOf, now: number): Candidate | undefined {
    const gift = m.gift ?? { combo: false, type: 0, diamondCount: 0, name: '' };
    const streakable = this.config.streakable(gift);
    if (streakable && !m.repeatEnd) return undefined;
    const event = this.event('gift', m, now);
    const giftId = nonZero(m.giftId);
    const streakId = nonZero(m.groupId);
    let count = Math.max(1, m.repeatCount);
    if (streakable && streakId) {
      count = this.streaks.increment(`${(event.user as Candidate | undefined)?.id ?? ''}\u0000${giftId}\u0000${streakId}`, count);
      if (count === 0) return undefined;
    }
    return Object.assign(event, { giftId, giftName: gift.name || giftId, count, valueFen: count * gift.diamondCount * this.config.fenPerCoin, streakId });
  }

  /** The platform's user id; the secUid when the id is hidden; masked when neither says who it is. */
  private userOf(user: UserOf | null): Candidate | undefined {
    if (!user) return undefined;
    const id = textOf(user.id);
    if (!this.config.hiddenUids.has(id)) return { id, name: user.nickName };
    if (user.secUid) return { id: user.secUid, name: user.nickName };
    return { id, name: user.nickName, masked: true };
  }
}

function decode<T>(type: Type, bytes: Uint8Array): T | undefined {
  try {
    return type.decode(bytes) as unknown as T;
  } catch {
    return undefined;
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === GZIP[0] && bytes[1] === GZIP[1] && bytes[2] === GZIP[2];
}

function gunzip(bytes: Uint8Array): Buffer | undefined {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_FRAME_BYTES });
  } catch {
    return undefined;
  }
}

/** A 64-bit unsigned integer in decimal, exact (via BigInt past 2^53: several times faster than Long's own). */
function textOf(value: U64): string {
  if (typeof value === 'number') return String(value);
  const high = value.high >>> 0;
  const low = value.low >>> 0;
  return high < 0x200000 ? String(high * 2 ** 32 + low) : ((BigInt(high) << 32n) | BigInt(low)).toString();
}

/** An id, unless zero (absent). */
function nonZero(value: U64 | undefined): string | undefined {
  const text = value === undefined ? '0' : textOf(value);
  return text === '0' ? undefined : text;
}

/** createTime in ms (seconds on some message kinds); the receive time when absent. */
function timeOf(value: U64 | undefined, now: number): number {
  const t = value === undefined ? 0 : typeof value === 'number' ? value : (value.high >>> 0) * 2 ** 32 + (value.low >>> 0);
  if (t <= 0) return now;
  return t < 1e12 ? t * 1000 : t;
}

function fail(intake: Intake, message: string, bytes: Uint8Array): undefined {
  const error: FrameError = { reason: 'bad_frame', kind: '?', message, sample: Buffer.from(bytes.subarray(0, SAMPLE_BYTES)).toString('hex') };
  intake.error(error);
  return undefined;
}
