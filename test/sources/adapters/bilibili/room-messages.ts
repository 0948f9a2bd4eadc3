// Bilibili live messages as the server sends them (cmd, positional DANMU_MSG info, data, msg_id,
// send_time), built from the documented layouts with fixed content, and packed into goim packets and
// batches. Shared by the adapter's tests and its benchmark.
import { brotliCompressSync, constants, deflateSync } from 'node:zlib';
import { encodePacket, Op, Ver } from '../../../../src-main/sources/adapters/bilibili/frame';

export const ROOM = 21_452_505;
/** 2026-09-21 10:13:20 UTC, in ms. */
export const T0 = 1_790_000_000_000;

type Body = Record<string, unknown>;

/** Fields the server adds to most messages: its own message id and send time. */
function envelope(n: number): { msg_id: string; p_is_ack: boolean; p_msg_type: number; send_time: number } {
  return { msg_id: `28955414842${String(n).padStart(6, '0')}:1000:1000`, p_is_ack: true, p_msg_type: 1, send_time: T0 + n };
}

export function idStr(n: number): string {
  return `${n.toString(16).padStart(8, '0')}5d6fbee9765a8d563e0f1a2b3c`;
}

export interface DanmuOptions {
  cmd?: string;
  uid?: number;
  uname?: string;
  text?: string;
  /** false: the extra JSON has no id_str (older servers). */
  withIdStr?: boolean;
  medal?: [level: number, name: string] | [];
  level?: number;
  guard?: number;
}

/** A DANMU_MSG of the size real ones have (~700 bytes): the extra JSON, medal, levels and the rest of `info`. */
export function danmu(n: number, options: DanmuOptions = {}): Body {
  const { cmd = 'DANMU_MSG', uid = 100_000 + n, uname = `观众${n}`, text = `第${n}条弹幕：主播这件多少钱`, withIdStr = true, level = 21, guard = 0 } = options;
  const medal = options.medal ?? [12, '宝藏粉'];
  const ts = T0 + n;
  const extra = {
    send_from_me: false,
    mode: 0,
    color: 16777215,
    dm_type: 0,
    content: text,
    user_hash: String(2_000_000_000 + n),
    emoticon_unique: '',
    ...(withIdStr ? { id_str: idStr(n) } : {}),
    reply_uname: '',
  };
  const head = [0, 1, 25, 16777215, ts, Math.floor(ts / 1000), 0, (2_000_000_000 + n).toString(16), 0, 0, 0, '', 0, '{}', '{}', { mode: 0, show_player_type: 0, extra: JSON.stringify(extra) }, { activity_identity: '', activity_source: 0, not_show: 0 }, 0];
  const medalInfo = medal.length ? [medal[0], medal[1], '小雨', ROOM, 1725515, '', 0, 6809855, 1725515, 5414290, guard, 1, 3_493_134] : [];
  const info = [head, text, [uid, uname, 0, 0, 0, 10000, 1, ''], medalInfo, [level, 0, 6406234, '>50000', 0], ['', ''], 0, guard, null, { ts: Math.floor(ts / 1000), ct: 'E7F6BE4E' }, 0, 0, null, null, 0, 56, [11], null];
  return { cmd, info, dm_v2: '', ...envelope(n) };
}

export interface GiftOptions {
  tid: string;
  uid?: number;
  uname?: string;
  giftId: number;
  giftName: string;
  num: number;
  /** Per gift, in gold (1000 = ¥1) or silver coins. */
  price: number;
  coin: 'gold' | 'silver';
}

export function sendGift(n: number, g: GiftOptions): Body {
  const { uid = 200_000 + n, uname = `送礼${n}` } = g;
  const data = {
    action: '投喂',
    batch_combo_id: `batch:gift:combo_id:${uid}:${g.giftId}:${n}`,
    coin_type: g.coin,
    giftId: g.giftId,
    giftName: g.giftName,
    medal_info: { medal_level: 8, medal_name: '宝藏粉', anchor_roomid: ROOM },
    num: g.num,
    price: g.price,
    tid: g.tid,
    timestamp: Math.floor((T0 + n) / 1000),
    total_coin: g.price * g.num,
    uid,
    uname,
  };
  return { cmd: 'SEND_GIFT', data, ...envelope(n) };
}

export function superChat(n: number, yuan: number, message: string): Body {
  const data = {
    id: 9_000 + n,
    uid: 300_000 + n,
    price: yuan,
    message,
    start_time: Math.floor((T0 + n) / 1000),
    user_info: { uname: `醒目${n}`, guard_level: 3, user_level: 25 },
    medal_info: { medal_level: 20, medal_name: '宝藏粉' },
    gift: { gift_id: 12000, gift_name: '醒目留言', num: 1 },
  };
  return { cmd: 'SUPER_CHAT_MESSAGE', data, ...envelope(n) };
}

export function guardBuy(n: number, level: 1 | 2 | 3, months: number, pricePerMonth: number): Body {
  const names = { 1: '总督', 2: '提督', 3: '舰长' };
  const data = { uid: 400_000 + n, username: `上舰${n}`, guard_level: level, num: months, price: pricePerMonth, gift_id: 10000 + level, gift_name: names[level], start_time: Math.floor((T0 + n) / 1000), end_time: Math.floor((T0 + n) / 1000) };
  return { cmd: 'GUARD_BUY', data, ...envelope(n) };
}

export function interact(n: number, msgType: number, uid = 500_000 + n): Body {
  const data = { uid, uname: uid === 0 ? '观***' : `来访${n}`, msg_type: msgType, timestamp: Math.floor((T0 + n) / 1000), trigger_time: (T0 + n) * 1e6, fans_medal: { medal_level: 0, medal_name: '' }, roomid: ROOM };
  return { cmd: 'INTERACT_WORD', data, ...envelope(n) };
}

export const onlineRankCount = (n: number, online: number): Body => ({ cmd: 'ONLINE_RANK_COUNT', data: { count: 42, count_text: '42', online_count: online, online_count_text: String(online) }, ...envelope(n) });
export const watchedChange = (n: number, num: number): Body => ({ cmd: 'WATCHED_CHANGE', data: { num, text_small: String(num), text_large: `${num}人看过` }, ...envelope(n) });
export const likeUpdate = (n: number, clicks: number): Body => ({ cmd: 'LIKE_INFO_V3_UPDATE', data: { click_count: clicks }, ...envelope(n) });
export const logInNotice = (n: number): Body => ({ cmd: 'LOG_IN_NOTICE', data: { notice_msg: '为保护用户隐私，未登录无法查看他人昵称', image_web: '', image_app: '' }, ...envelope(n) });

export function recommendCard(n: number, goodsId: string, name: string, price: string): Body {
  const detail = { goods_id: goodsId, goods_name: name, goods_price: price, goods_max_price: '', sale_status: 0, goods_status: 1, source: 5, timestamp: Math.floor((T0 + n) / 1000), hot_buy_num: 0 };
  return { cmd: 'RECOMMEND_CARD', data: { title_icon: '', recommend_list: [{ shopping_card_detail: detail, recommend_card_extra: null }], timestamp: Math.floor((T0 + n) / 1000), update_list: [] }, ...envelope(n) };
}

export const gotoBuyFlow = (n: number, text: string): Body => ({ cmd: 'GOTO_BUY_FLOW', data: { text }, ...envelope(n) });
export const hotBuyNum = (n: number, goodsId: string, num: number): Body => ({ cmd: 'HOT_BUY_NUM', data: { goods_id: goodsId, num }, ...envelope(n) });
export const other = (n: number, cmd: string): Body => ({ cmd, data: { status: 1 }, ...envelope(n) });

/** One op 5 packet per message. */
export const packets = (bodies: Body[]): Buffer[] => bodies.map((body) => encodePacket(Op.message, JSON.stringify(body)));

/** Brotli at a live server's speed, not the default quality 11 (which takes seconds per thousand batches). */
const brotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } };

/** One WebSocket message of these messages: plain (ver 0) packets back to back, or one zlib / brotli packet holding them. */
export function batch(bodies: Body[], ver: 0 | 2 | 3): Buffer {
  const plain = Buffer.concat(packets(bodies));
  if (ver === Ver.json) return plain;
  return encodePacket(Op.message, ver === Ver.zlib ? deflateSync(plain) : brotliCompressSync(plain, brotliOptions), ver);
}
