// Bilibili live messages (the JSON bodies of op 5 packets) as LiveEvent-shaped values: danmaku, gifts,
// super chats, guard buys, entries, follows, shares, room counters and the shopping card. Fields are
// read as they come, never trusted: a missing or mistyped one leaves a value the shared intake
// rejects and counts. Ids are the platform's own where it has them, else derived from the content, so
// a backlog re-sent after a reconnect is dropped by the shared de-dup (room counters and buy notices
// have no content key: without the server's msg_id, each arrival is new). A guest session (uid 0)
// never identifies anyone: such users get a per-message id and `masked: true`.
import type { EventKind, EventOf } from '../../../events/live-event';

/** A LiveEvent before the intake's check: the right field names, values still unchecked. */
export type Draft = { [K in EventKind]: { kind: K } & { [P in Exclude<keyof EventOf<K>, 'kind'>]?: unknown } }[EventKind];

/** Distinct unmapped cmds tallied; past this many, the rest share one entry. */
const TALLIED_CMDS = 200;
const PLATFORM = 'bilibili';

interface Message<D = unknown> {
  cmd?: unknown;
  /** The server's message id and send time (ms), on most messages since 2023. */
  msg_id?: unknown;
  send_time?: unknown;
  data?: D | null;
}

interface Medal {
  medal_level?: unknown;
  medal_name?: unknown;
}

/** DANMU_MSG is positional: [[…, ts (4), …, {extra} (15)], text, [uid, uname], medal [level, name], [user level]]. */
interface DanmuMsg extends Message {
  info?: { 0?: { 4?: unknown; 15?: { extra?: unknown } | null } | null; 1?: unknown; 2?: { 0?: unknown; 1?: unknown } | null; 3?: { 0?: unknown; 1?: unknown } | null; 4?: { 0?: unknown } | null } | null;
}

interface Gift {
  tid?: unknown;
  uid?: unknown;
  uname?: unknown;
  giftId?: unknown;
  giftName?: unknown;
  num?: unknown;
  coin_type?: unknown;
  /** In gold coins: 1000 = ¥1. */
  total_coin?: unknown;
  timestamp?: unknown;
  batch_combo_id?: unknown;
  medal_info?: Medal | null;
}

interface SuperChat {
  id?: unknown;
  uid?: unknown;
  /** In yuan. */
  price?: unknown;
  message?: unknown;
  start_time?: unknown;
  user_info?: { uname?: unknown; user_level?: unknown } | null;
  medal_info?: Medal | null;
}

interface GuardBuy {
  uid?: unknown;
  username?: unknown;
  guard_level?: unknown;
  num?: unknown;
  /** Gold coins per unit (month). */
  price?: unknown;
  gift_name?: unknown;
  start_time?: unknown;
}

interface Interact {
  uid?: unknown;
  uname?: unknown;
  msg_type?: unknown;
  timestamp?: unknown;
  trigger_time?: unknown;
  fans_medal?: Medal | null;
}

interface Counters {
  online_count?: unknown;
  count?: unknown;
  num?: unknown;
  click_count?: unknown;
}

interface RecommendCard {
  timestamp?: unknown;
  recommend_list?: { 0?: { shopping_card_detail?: { goods_id?: unknown; goods_name?: unknown; goods_price?: unknown } | null } | null } | null;
}

interface RoomCounts {
  online?: number;
  totalViewers?: number;
  likes?: number;
}

const interactKinds: Record<number, 'enter' | 'follow' | 'share'> = { 1: 'enter', 2: 'follow', 3: 'share' };

export class BilibiliMessages {
  /** Cmds that became no event, by how often each arrived (for the Sources page; not errors). */
  readonly ignored = new Map<string, number>();
  /** The server said this connection is a guest's (LOG_IN_NOTICE): names are masked, uids 0. */
  guest = false;
  /** The room's counters so far, all in each viewer_stats (the model wants `online` in every one). */
  private readonly counts: RoomCounts = {};
  /** The product on the shopping card (RECOMMEND_CARD), which GOTO_BUY_FLOW clicks are for. */
  private onAir: string | undefined;
  private sequence = 0;

  constructor(private readonly roomId: string) {}

  /** Maps one parsed message body, adding its events (none, one or two) to `out`; false when it has no cmd. */
  map(message: unknown, now: number, out: Draft[]): boolean {
    const msg = message as Message | null;
    const cmd = msg?.cmd;
    if (typeof cmd !== 'string') return false;
    this.mapCmd(cmd, msg as Message, now, out);
    return true;
  }

  private mapCmd(cmd: string, msg: Message, now: number, out: Draft[]): void {
    const colon = cmd.indexOf(':');
    const name = colon === -1 ? cmd : cmd.slice(0, colon);
    switch (name) {
      case 'DANMU_MSG':
        return this.danmu(msg as DanmuMsg, out);
      case 'SEND_GIFT':
        return this.gift(msg as Message<Gift>, now, out);
      case 'SUPER_CHAT_MESSAGE':
        return this.superChat(msg as Message<SuperChat>, now, out);
      case 'GUARD_BUY':
        return this.guardBuy(msg as Message<GuardBuy>, now, out);
      case 'INTERACT_WORD':
        return this.interact(msg as Message<Interact>, now, out, name);
      case 'ONLINE_RANK_COUNT':
        return this.counter(msg as Message<Counters>, now, out, 'online');
      case 'WATCHED_CHANGE':
        return this.counter(msg as Message<Counters>, now, out, 'totalViewers');
      case 'LIKE_INFO_V3_UPDATE':
        return this.counter(msg as Message<Counters>, now, out, 'likes');
      case 'RECOMMEND_CARD':
        return this.recommendCard(msg as Message<RecommendCard>, now, out);
      case 'GOTO_BUY_FLOW':
        return this.gotoBuy(msg as Message<{ text?: unknown }>, now, out, name);
      case 'LOG_IN_NOTICE':
        this.guest = true;
        return;
      default:
        return this.ignore(name);
    }
  }

  /** Its id is the platform's id_str (in the `extra` JSON string); without one, derived from the content. */
  private danmu(msg: DanmuMsg, out: Draft[]): void {
    const info = msg.info;
    const head = info?.[0];
    const ts = head?.[4];
    const text = info?.[1];
    const uid = info?.[2]?.[0];
    const uname = info?.[2]?.[1];
    const idStr = stringField(head?.[15]?.extra, '"id_str":"');
    const id = idStr || `dm-${keyOf(uid, ts)}-${hash(keyOf(uname, text))}`;
    const medal = info?.[3];
    const fansClub = medal?.[0] ? { name: medal[1], level: medal[0] } : undefined;
    out.push({ kind: 'chat', id, platform: PLATFORM, ts, user: user(uid, uname, id, info?.[4]?.[0], fansClub), text });
  }

  private gift(msg: Message<Gift>, now: number, out: Draft[]): void {
    const d = msg.data;
    const id = this.idOf('gift', d?.tid, msg, now);
    const paid = d?.coin_type === 'gold';
    const valueFen = paid ? coinsToFen(d?.total_coin, 1) : 0;
    const streakId = d?.batch_combo_id || undefined;
    const giftId = idText(d?.giftId);
    out.push({ kind: 'gift', id, platform: PLATFORM, ts: tsOf(d?.timestamp, msg, now), user: user(d?.uid, d?.uname, id, undefined, fansClubOf(d?.medal_info)), giftId, giftName: d?.giftName, count: d?.num, valueFen, streakId });
  }

  /** A super chat (醒目留言) is both what was said and what was paid for it. */
  private superChat(msg: Message<SuperChat>, now: number, out: Draft[]): void {
    const d = msg.data;
    const id = this.idOf('sc', d?.id, msg, now);
    const ts = tsOf(d?.start_time, msg, now);
    const who = user(d?.uid, d?.user_info?.uname, id, d?.user_info?.user_level, fansClubOf(d?.medal_info));
    out.push({ kind: 'chat', id, platform: PLATFORM, ts, user: who, text: d?.message });
    out.push({ kind: 'gift', id: `${id}-paid`, platform: PLATFORM, ts, user: who, giftId: 'super_chat', giftName: '醒目留言', count: 1, valueFen: yuanToFen(d?.price) });
  }

  /** 大航海: a guard (舰长 / 提督 / 总督) bought for `num` months. */
  private guardBuy(msg: Message<GuardBuy>, now: number, out: Draft[]): void {
    const d = msg.data;
    const natural = d?.start_time === undefined ? undefined : keyOf(d.uid, d.start_time, d.guard_level);
    const id = this.idOf('guard', natural, msg, now);
    const valueFen = typeof d?.num === 'number' ? coinsToFen(d.price, d.num) : undefined;
    out.push({ kind: 'gift', id, platform: PLATFORM, ts: tsOf(d?.start_time, msg, now), user: user(d?.uid, d?.username, id, undefined, undefined), giftId: `guard-${keyOf(d?.guard_level)}`, giftName: d?.gift_name, count: d?.num, valueFen });
  }

  private interact(msg: Message<Interact>, now: number, out: Draft[], name: string): void {
    const d = msg.data;
    const kind = typeof d?.msg_type === 'number' ? interactKinds[d.msg_type] : undefined;
    if (!kind) return this.ignore(`${name}:${keyOf(d?.msg_type)}`);
    const at = d?.trigger_time ?? d?.timestamp;
    const id = this.idOf(kind, at === undefined ? undefined : keyOf(d?.uid, at), msg, now);
    out.push({ kind, id, platform: PLATFORM, ts: tsOf(d?.timestamp, msg, now), user: user(d?.uid, d?.uname, id, undefined, fansClubOf(d?.fans_medal)) });
  }

  /**
   * ONLINE_RANK_COUNT (online now: `online_count` since 2023, `count` before), WATCHED_CHANGE (看过,
   * viewers so far) and LIKE_INFO_V3_UPDATE (likes so far) each update one counter; a viewer_stats
   * carries them all once online is known. A counter that is not a number is passed on for the
   * intake to reject and count, and not kept.
   */
  private counter(msg: Message<Counters>, now: number, out: Draft[], field: keyof RoomCounts): void {
    const d = msg.data;
    const value = field === 'online' ? (d?.online_count ?? d?.count) : field === 'totalViewers' ? d?.num : d?.click_count;
    const valid = typeof value === 'number';
    if (valid) this.counts[field] = value;
    if (valid && this.counts.online === undefined) return;
    out.push({ kind: 'viewer_stats', id: this.idOf('stats', undefined, msg, now), platform: PLATFORM, ts: tsOf(undefined, msg, now), ...this.counts, [field]: value });
  }

  /** The shopping card now shows a product: a product_switch when it is another one. */
  private recommendCard(msg: Message<RecommendCard>, now: number, out: Draft[]): void {
    const d = msg.data;
    const card = d?.recommend_list?.[0]?.shopping_card_detail;
    const productId = idText(card?.goods_id);
    if (productId === this.onAir) return;
    this.onAir = productId;
    if (productId === undefined) return;
    const id = this.idOf('product', d?.timestamp === undefined ? undefined : keyOf(productId, d.timestamp), msg, now);
    out.push({ kind: 'product_switch', id, platform: PLATFORM, ts: tsOf(d?.timestamp, msg, now), productId, productName: card?.goods_name, priceFen: yuanToFen(card?.goods_price) });
  }

  /** "x**等3人正在去买": someone (masked by the platform) opened the product on the card. */
  private gotoBuy(msg: Message<{ text?: unknown }>, now: number, out: Draft[], name: string): void {
    if (this.onAir === undefined) return this.ignore(name);
    const text = msg.data?.text;
    const id = this.idOf('click', undefined, msg, now);
    const masked = typeof text === 'string' && text.includes('**') ? text.slice(0, text.indexOf('**') + 2) : '';
    out.push({ kind: 'product_click', id, platform: PLATFORM, ts: tsOf(undefined, msg, now), user: user(0, masked, id, undefined, undefined), productId: this.onAir });
  }

  /** `tag-natural` from the message's own key, else from the server's msg_id, else unique to this source. */
  private idOf(tag: string, natural: unknown, msg: Message, now: number): string {
    const key = idText(natural);
    if (key !== undefined) return `${tag}-${key}`;
    if (typeof msg.msg_id === 'string' && msg.msg_id) return `${tag}-m${msg.msg_id}`;
    return `${tag}-${this.roomId}-${now}-${++this.sequence}`;
  }

  private ignore(cmd: string): void {
    const key = this.ignored.size < TALLIED_CMDS || this.ignored.has(cmd) ? cmd : '(other)';
    this.ignored.set(key, (this.ignored.get(key) ?? 0) + 1);
  }
}

/** A user as the model has it; uid 0 is a guest or a masked viewer, given an id of this message only. */
function user(uid: unknown, name: unknown, eventId: string, level: unknown, fansClub: { name: unknown; level: unknown } | undefined) {
  if (uid === 0 || uid === '0') return { id: `masked-${eventId}`, name, masked: true };
  return { id: idText(uid), name, level, fansClub };
}

function fansClubOf(medal: Medal | null | undefined): { name: unknown; level: unknown } | undefined {
  return medal?.medal_level && medal.medal_name ? { name: medal.medal_name, level: medal.medal_level } : undefined;
}

/** Seconds from the message data, else the server's send time (ms), else now. */
function tsOf(seconds: unknown, msg: Message, now: number): number {
  if (typeof seconds === 'number' && seconds > 0) return seconds * 1000;
  return typeof msg.send_time === 'number' ? msg.send_time : now;
}

function idText(value: unknown): string | undefined {
  return (typeof value === 'string' && value !== '') || typeof value === 'number' ? String(value) : undefined;
}

/** Values joined into a key. Only strings and numbers are written out: a JSON object can break string conversion ({"toString": 1}). */
function keyOf(...parts: unknown[]): string {
  return parts.map((part) => idText(part) ?? '').join('-');
}

/** Gold coins (1000 = ¥1) times a count, in fen. */
function coinsToFen(coins: unknown, times: number): number | undefined {
  return typeof coins === 'number' ? Math.round((coins * times) / 10) : undefined;
}

/** Yuan as a number or a decimal string ("39.90"), in fen. */
function yuanToFen(yuan: unknown): number | undefined {
  const value = typeof yuan === 'string' && yuan !== '' ? Number(yuan) : yuan;
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 100) : undefined;
}

/**
 * The string value after `prefix` (e.g. `"id_str":"`) in a compact JSON text, without parsing it all.
 * Exact for values without escapes (ids): inside JSON strings every quote is escaped, so the prefix
 * cannot match within another value. Searched from the end, where Bilibili puts id_str.
 */
function stringField(json: unknown, prefix: string): string | undefined {
  if (typeof json !== 'string') return undefined;
  const start = json.lastIndexOf(prefix);
  if (start === -1) return undefined;
  const from = start + prefix.length;
  const end = json.indexOf('"', from);
  return end === -1 ? undefined : json.slice(from, end);
}

/** A short stable hash (two 32-bit FNV-1a variants, base 36), for ids derived from content. */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(36).padStart(7, '0') + (b >>> 0).toString(36).padStart(7, '0');
}
