// TikTok-Chat-Reader's socket.io events as LiveEvents. The relay (TikTok-Live-Connector behind a
// socket.io server) emits one event per room message with flat fields (userId, nickname, msgId,
// createTime, …). Streakable gifts (giftType 1) re-send their running repeatCount while the streak
// lasts: only the message that ends it (repeatEnd) counts, and a streak ended twice counts once.
import { sampleOf, type FrameError } from '../../decode';
import { GiftStreaks } from '../../gift-streaks';
import { isRecord, positiveInt } from '../../../shared/values';

/**
 * TikTok coins, which gifts are priced in (diamondCount), in fen: bought at about US$0.013 each, the
 * price varying by region and pack size; counted like Douyin's 抖币, 10 fen (¥0.10) a coin.
 */
export const TIKTOK_FEN_PER_COIN = 10;

/** A LiveEvent-shaped object built from relay input; the intake checks it. */
type Candidate = Record<string, unknown>;

/** What one relay event became: an event, an error, or nothing (not a room event, or a streak still going). */
type Mapped = { event: Candidate } | { error: FrameError } | undefined;

/** giftType of gifts sent in streaks. */
const STREAKABLE = 1;

type Build = (data: Candidate) => Candidate;

/** Room events by socket.io event name; those not here (envelope, emote, linkMic*, statistic, …) are ignored. */
const builders: Record<string, Build> = {
  chat: (d) => ({ kind: 'chat', text: d.comment }),
  questionNew: (d) => ({ kind: 'chat', text: d.questionText }),
  member: () => ({ kind: 'enter' }),
  like: (d) => ({ kind: 'like', count: d.likeCount }),
  follow: () => ({ kind: 'follow' }),
  share: () => ({ kind: 'share' }),
  // Relays on older connectors emit follows and shares as `social`, told apart by displayType.
  social: (d) => {
    const type = typeof d.displayType === 'string' ? d.displayType : '';
    return { kind: /follow/.test(type) ? 'follow' : /share/.test(type) ? 'share' : undefined };
  },
  gift: (d) => ({ kind: 'gift', giftId: idOf(d.giftId), giftName: d.giftName ?? idOf(d.giftId) ?? '', streakId: idOf(d.groupId) }),
  roomUser: (d) => ({ kind: 'viewer_stats', online: d.viewerCount }),
};

export class ChatReaderEvents {
  private readonly streaks = new GiftStreaks();
  private readonly epoch = Date.now();
  private made = 0;

  /** One socket.io event from the relay, received at `now`. */
  map(name: string, payload: unknown, now: number): Mapped {
    const build = builders[name];
    if (!build) return undefined;
    if (!isRecord(payload)) return { error: { reason: 'bad_frame', kind: name, message: `${name}: expected an object`, sample: sampleOf(payload) } };
    // Object.assign, not a spread: it keeps events in the plain object shape the intake checks fast.
    const event = Object.assign(build(payload), { id: this.idOf(payload.msgId), platform: 'tiktok', ts: timeOf(payload.createTime, now), user: userOf(payload) });
    if (event.kind === undefined) return undefined;
    return event.kind === 'gift' ? this.gift(event, payload) : { event };
  }

  /** The end of the live, which the relay announces without an id. */
  liveEnd(now: number): Candidate {
    return { kind: 'live_end', id: this.idOf(undefined), platform: 'tiktok', ts: now };
  }

  private gift(event: Candidate, data: Candidate): Mapped {
    if (data.giftType === STREAKABLE && data.repeatEnd !== true) return undefined;
    let count = positiveInt(data.repeatCount);
    if (data.giftType === STREAKABLE && event.streakId && count !== undefined) {
      count = this.streaks.increment(`${(event.user as Candidate | undefined)?.id ?? ''}\u0000${event.giftId}\u0000${event.streakId}`, count);
      if (count === 0) return undefined;
    }
    const coins = positiveInt(data.diamondCount) ?? 0;
    return { event: Object.assign(event, { count, valueFen: count === undefined ? undefined : count * coins * TIKTOK_FEN_PER_COIN }) };
  }

  /** The message's own id; one of ours when the relay sent none (no de-dup possible then). */
  private idOf(msgId: unknown): string {
    return idOf(msgId) ?? `local-${this.epoch}-${++this.made}`;
  }
}

/** The user by TikTok's numeric id (a handle can be changed, the id cannot); uid 0 is a hidden user. */
function userOf(data: Candidate): Candidate | undefined {
  if (data.userId === undefined) return undefined;
  const name = data.nickname ?? data.uniqueId ?? '';
  const id = idOf(data.userId);
  if (!id) return { id: '0', name, masked: true };
  return { id, name, following: typeof data.followRole === 'number' ? data.followRole > 0 : undefined };
}

/** createTime is epoch ms as a string; seconds from some relays; missing from others. */
function timeOf(createTime: unknown, now: number): number {
  const t = typeof createTime === 'string' || typeof createTime === 'number' ? Number(createTime) : Number.NaN;
  if (!Number.isSafeInteger(t) || t <= 0) return now;
  return t < 1e12 ? t * 1000 : t;
}

function idOf(value: unknown): string | undefined {
  return (typeof value === 'string' || typeof value === 'number') && value !== 0 && value !== '0' && value !== '' ? String(value) : undefined;
}
