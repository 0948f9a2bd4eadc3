// DouyinBarrageGrab's messages as LiveEvents. The relay wraps each message in a PascalCase envelope
// `{Type, ProcessName, Data}` whose Data is itself a JSON string; its ids are C# longs written as
// JSON numbers, which lose digits as JS numbers, so they are read as strings. Gift streaks share a
// GroupId and re-send their running RepeatCount: each streak is counted once.
import { sampleOf, type FrameError } from '../../decode';
import { GiftStreaks } from '../../gift-streaks';
import { DOUYIN_FEN_PER_DIAMOND, DOUYIN_HIDDEN_UIDS } from './douyin';
import { isRecord, parseJson, positiveInt } from '../../../shared/values';

/** A LiveEvent-shaped object built from relay input; the intake checks it. */
type Candidate = Record<string, unknown>;

/** What one relay frame became: an event, an error, or nothing (ignored, or a stale streak total). */
type Mapped = { event: Candidate } | { error: FrameError } | undefined;

/** The envelope's Type. */
const PACK = { chat: 1, like: 2, enter: 3, follow: 4, gift: 5, stats: 6, fansClub: 7, share: 8, ended: 9 } as const;

/** A fan-club message's own Type. */
const FANS_CLUB_ACTION: Record<number, string> = { 1: 'level_up', 2: 'join' };

/** Integers of 16+ digits after a key: past 2^53, so quoted before parsing to keep every digit. */
const LONG_INTEGER = /("[A-Za-z]\w*"\s*:\s*)(-?\d{16,})(?=\s*[,}\]])/g;

export class BarrageGrabMessages {
  private readonly streaks = new GiftStreaks();
  private readonly epoch = Date.now();
  private made = 0;

  /** @param room only this room's messages (its WebRoomId or RoomId); every room the relay sees when unset */
  constructor(private readonly room?: string) {}

  /** One relay frame, received at `now` (the relay carries no message time). */
  map(text: string, now: number): Mapped {
    const envelope = parseEnvelope(text);
    if (typeof envelope === 'string') return { error: { reason: 'bad_frame', kind: '?', message: envelope, sample: sampleOf(text) } };
    const { type, data } = envelope;
    if (this.room && this.room !== idOf(data.WebRoomId) && this.room !== idOf(data.RoomId)) return undefined;
    // Kind fields go on with Object.assign, not a spread: it keeps events in the plain object shape the intake checks fast.
    const event = (kind: string, fields?: Candidate): Mapped => ({ event: Object.assign(this.event(kind, data, now), fields) });
    switch (type) {
      case PACK.chat:
        return event('chat', { text: data.Content });
      case PACK.like:
        return event('like', { count: data.Count });
      case PACK.enter:
        return event('enter');
      case PACK.follow:
        return event('follow');
      case PACK.gift:
        return this.gift(this.event('gift', data, now), data);
      case PACK.stats:
        return event('viewer_stats', { online: data.OnlineUserCount, totalViewers: data.TotalUserCount });
      case PACK.fansClub:
        return event('fansclub', { action: typeof data.Type === 'number' ? FANS_CLUB_ACTION[data.Type] : undefined, level: data.Level });
      case PACK.share:
        return event('share');
      case PACK.ended:
        return event('live_end');
      default:
        return undefined;
    }
  }

  /** The envelope of an event: the message's id and who sent it. */
  private event(kind: string, data: Candidate, now: number): Candidate {
    return { kind, id: this.idOf(data.MsgId), platform: 'douyin', ts: now, user: userOf(data.User) };
  }

  /** A gift message: in a streak (GroupId), only what its running RepeatCount grew by. */
  private gift(event: Candidate, data: Candidate): Mapped {
    const giftId = idOf(data.GiftId);
    const streakId = idOf(data.GroupId);
    let count = positiveInt(streakId ? data.RepeatCount : data.GiftCount);
    if (streakId && count !== undefined) {
      const user = (event.user as Candidate | undefined)?.id ?? '';
      count = this.streaks.increment(`${user}\u0000${giftId}\u0000${streakId}`, count);
      if (count === 0) return undefined;
    }
    const diamonds = positiveInt(data.DiamondCount) ?? 0;
    const valueFen = count === undefined ? undefined : count * diamonds * DOUYIN_FEN_PER_DIAMOND;
    return { event: Object.assign(event, { giftId, giftName: data.GiftName, count, valueFen, streakId }) };
  }

  /** The message's own id; one of ours when the relay sent none (no de-dup possible then). */
  private idOf(msgId: unknown): string {
    return idOf(msgId) ?? `local-${this.epoch}-${++this.made}`;
  }
}

function parseEnvelope(text: string): { type: number; data: Candidate } | string {
  const envelope = parseJson(text);
  if (!isRecord(envelope) || typeof envelope.Type !== 'number' || typeof envelope.Data !== 'string') return 'expected {Type, ProcessName, Data}';
  const data = parseJson(envelope.Data.replace(LONG_INTEGER, '$1"$2"'));
  if (!isRecord(data)) return `Data of a Type ${envelope.Type} message is not a JSON object`;
  return { type: envelope.Type, data };
}

/** Douyin's user id; its SecUid when the id is hidden; masked when neither says who it is. */
function userOf(raw: unknown): Candidate | undefined {
  if (!isRecord(raw)) return undefined;
  const id = idOf(raw.Id) ?? '0';
  const name = raw.Nickname ?? '';
  const secUid = typeof raw.SecUid === 'string' ? raw.SecUid : '';
  if (DOUYIN_HIDDEN_UIDS.has(id) && !secUid) return { id, name, masked: true };
  const fansClub = isRecord(raw.FansClub) && positiveInt(raw.FansClub.Level) ? { name: raw.FansClub.ClubName ?? '', level: raw.FansClub.Level } : undefined;
  return {
    id: DOUYIN_HIDDEN_UIDS.has(id) ? secUid : id,
    name,
    level: positiveInt(raw.PayLevel),
    fansClub,
    following: raw.FollowStatus === 1 ? true : raw.FollowStatus === 0 ? false : undefined,
  };
}

/** A non-zero id, as a string. */
function idOf(value: unknown): string | undefined {
  return (typeof value === 'string' || typeof value === 'number') && value !== 0 && value !== '0' && value !== '' ? String(value) : undefined;
}
