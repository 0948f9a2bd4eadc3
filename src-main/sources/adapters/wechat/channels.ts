// WeChat Channels (视频号) live messages as LiveEvents, from what the anchor console's own polling
// returns (wxlivespy-style relays forward it): `msgList` (comments, arrivals), `appMsgList` (gifts,
// combo gifts, likes, each with a base64 JSON payload) and `liveInfo` (the room's counters). Polls
// overlap, so messages repeat: an event's id is its (seq, clientMsgId). A combo gift re-sends the
// combo's running total: each combo is counted once.
import { sampleOf, type FrameError } from '../../decode';
import { GiftStreaks } from '../../gift-streaks';
import { isRecord, positiveInt } from '../../../shared/values';

/** 微信豆 (wecoin), which gifts are paid in: ¥1 buys 10, so one is worth 10 fen. */
export const WECHAT_FEN_PER_WECOIN = 10;

/** A LiveEvent-shaped object built from relay input; the intake checks it. */
type Candidate = Record<string, unknown>;

const MSG_COMMENT = 1;
const MSG_ENTER = 10005;
const APP_MSG_GIFT = 20009;
const APP_MSG_COMBO_GIFT = 20013;
const APP_MSG_LIKE = 20006;

/** What one pushed body became. */
interface Mapped {
  events: Candidate[];
  errors: FrameError[];
}

export class ChannelsMessages {
  private readonly combos = new GiftStreaks();
  private readonly epoch = Date.now();
  private made = 0;

  /** One pushed body (the poll's `data`, bare or as `{data}`), received at `now`. */
  map(body: unknown, now: number): Mapped {
    const out: Mapped = { events: [], errors: [] };
    const data = isRecord(body) && isRecord(body.data) ? body.data : body;
    if (!isRecord(data)) {
      out.errors.push(badFrame('?', 'expected {msgList, appMsgList, liveInfo}', body));
      return out;
    }
    for (const item of listOf(data, 'msgList', out)) this.message(item, now, out);
    for (const item of listOf(data, 'appMsgList', out)) this.appMessage(item, now, out);
    if (isRecord(data.liveInfo)) out.events.push(this.stats(data.liveInfo, now));
    return out;
  }

  /** msgList: comments and arrivals. */
  private message(item: Candidate, now: number, out: Mapped): void {
    if (item.type === MSG_COMMENT) out.events.push(Object.assign(envelope('chat', item, now, item), { text: item.content }));
    else if (item.type === MSG_ENTER) out.events.push(envelope('enter', item, now, item));
  }

  /** appMsgList: gifts, combo gifts and likes, the sender in fromUserContact. */
  private appMessage(item: Candidate, now: number, out: Mapped): void {
    const contact = isRecord(item.fromUserContact) && isRecord(item.fromUserContact.contact) ? item.fromUserContact.contact : item;
    if (item.msgType === APP_MSG_LIKE) return void out.events.push(Object.assign(envelope('like', item, now, contact), { count: 1 }));
    if (item.msgType !== APP_MSG_GIFT && item.msgType !== APP_MSG_COMBO_GIFT) return;
    const payload = decodePayload(item.payload);
    if (!payload) return void out.errors.push(badFrame('gift', 'gift payload is not base64 JSON', item.payload));
    const gift = isRecord(payload.reward_gift) ? payload.reward_gift : {};
    const giftId = textOf(payload.reward_product_id);
    const streakId = textOf(payload.combo_id);
    const event = Object.assign(envelope('gift', item, now, contact), { giftId, giftName: gift.name ?? giftId, streakId });
    if (item.msgType === APP_MSG_GIFT) {
      const count = positiveInt(numberOf(payload.reward_product_count));
      const valueFen = count === undefined ? undefined : Math.round(wecoinOf(payload, gift, count) * WECHAT_FEN_PER_WECOIN);
      return void out.events.push(Object.assign(event, { count, valueFen }));
    }
    // A combo gift carries the combo's running total: only what it grew by counts (nothing when stale).
    const total = positiveInt(numberOf(payload.combo_product_count));
    if (total === undefined) return void out.events.push(event); // no count: refused by the check, and counted
    const added = this.combos.increment(`${(event.user as Candidate | undefined)?.id ?? ''}\u0000${streakId ?? giftId}`, total);
    if (added === 0) return;
    const valueFen = Math.round((wecoinOf(payload, gift, total) * WECHAT_FEN_PER_WECOIN * added) / total);
    out.events.push(Object.assign(event, { count: added, valueFen }));
  }

  /** liveInfo: the room's counters as of this poll. */
  private stats(info: Candidate, now: number): Candidate {
    return { kind: 'viewer_stats', id: `live-${textOf(info.liveId) ?? ''}-${this.epoch}-${++this.made}`, platform: 'wechat', ts: now, online: info.onlineCnt, likes: info.likeCnt };
  }
}

/** The objects of one of the body's lists; anything else in it is counted as an error. */
function listOf(data: Candidate, name: 'msgList' | 'appMsgList', out: Mapped): Candidate[] {
  const list = data[name];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    out.errors.push(badFrame('?', `${name} is not an array`, list));
    return [];
  }
  const items: Candidate[] = [];
  for (const item of list) {
    if (isRecord(item)) items.push(item);
    else out.errors.push(badFrame('?', `${name} holds a non-object`, item));
  }
  return items;
}

/**
 * The envelope of an event; kind fields go on with Object.assign, not a spread, which keeps events in
 * the plain object shape the intake checks fast.
 */
function envelope(kind: string, item: Candidate, now: number, sender: Candidate): Candidate {
  return { kind, id: idOf(item), platform: 'wechat', ts: now, user: userOf(sender.username, sender.nickname) };
}

/** (seq, clientMsgId): seq alone repeats across polls, so both make the id. */
function idOf(item: Candidate): string | undefined {
  const seq = textOf(item.seq);
  const clientMsgId = textOf(item.clientMsgId);
  if (seq === undefined && (clientMsgId === undefined || clientMsgId === '')) return undefined;
  return `${seq ?? ''}:${clientMsgId ?? ''}`;
}

/** The viewer's sec_openid: WeChat's stable id for them in this anchor's room. */
function userOf(username: unknown, nickname: unknown): Candidate | undefined {
  return typeof username === 'string' && username !== '' ? { id: username, name: nickname ?? '' } : undefined;
}

/** The wecoin a gift message is worth: its amount, else its unit price times `count`, else 0. */
function wecoinOf(payload: Candidate, gift: Candidate, count: number): number {
  const amount = numberOf(payload.reward_amount_in_wecoin);
  if (payload.reward_amount_in_wecoin !== undefined && Number.isFinite(amount)) return amount;
  const price = numberOf(gift.price);
  return Number.isFinite(price) ? price * count : 0;
}

/** A number, or a number written as text ("20"); NaN for anything else (an object may not even convert). */
function numberOf(value: unknown): number {
  return typeof value === 'number' || typeof value === 'string' ? Number(value) : Number.NaN;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function decodePayload(payload: unknown): Candidate | undefined {
  if (typeof payload !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function badFrame(kind: string, message: string, value: unknown): FrameError {
  return { reason: 'bad_frame', kind, message, sample: sampleOf(value) };
}
