// Real inputs of every format the fuzz targets mutate, each built the way the format's own tests build
// it (and from the same builders where they are shared): LiveEvents from the demo room, Bilibili goim
// batches, BarrageGrab envelopes, TikTok-Chat-Reader events, WeChat Channels polls, Webcast push
// frames, CRM exports (UTF-8, BOM + CRLF, GBK, JSON lines), the default rule pack, the built-in
// segments and contract requests. Each is built once, on first use. No vitest here: run.ts uses it.
import { gzipSync } from 'node:zlib';
import type { Type } from 'protobufjs';
import type { LiveEvent } from '../../src-main/events/live-event';
import { builtinSegments } from '../../src-main/profiles/segments';
import { encodePacket, Op, Ver } from '../../src-main/sources/adapters/bilibili/frame';
import * as wc from '../../src-main/sources/adapters/webcast/schema';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';
import { defaultRules, defaultTemplates } from '../../src-main/triggers/default-pack';
import { relayEvent } from '../helpers/collect';
import * as bili from '../sources/adapters/bilibili/room-messages';

export const T0 = 1_790_000_000_000;

function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** Two events of every kind the demo room plays, and two relay events as the source tests send them. */
export const liveEvents = once((): LiveEvent[] => {
  const perKind = new Map<string, LiveEvent[]>();
  for (const event of new DemoRoom({ seed: 7, startTs: T0, rate: 200 }).eventsUntil(T0 + 60_000)) {
    const list = perKind.get(event.kind) ?? [];
    if (list.length < 2) perKind.set(event.kind, [...list, event]);
  }
  return [...[...perKind.values()].flat(), relayEvent(1) as LiveEvent, relayEvent(2, 'like') as LiveEvent];
});

/** Frames as a JSON relay sends them: one event, an array of several, NDJSON lines. */
export const jsonFrames = once((): string[] => {
  const events = liveEvents();
  return [...events.map((e) => JSON.stringify(e)), JSON.stringify(events.slice(0, 8)), events.slice(8, 14).map((e) => JSON.stringify(e)).join('\n')];
});

/** Bilibili message bodies of every cmd the adapter reads, and some it ignores. */
export const bilibiliBodies = once((): Record<string, unknown>[] => [
  bili.danmu(1),
  bili.danmu(2, { withIdStr: false, medal: [], uid: 0, uname: '观***' }),
  bili.sendGift(3, { tid: '1700000000003', giftId: 31036, giftName: '小花花', num: 5, price: 100, coin: 'gold' }),
  bili.sendGift(4, { tid: '1700000000004', giftId: 1, giftName: '辣条', num: 2, price: 100, coin: 'silver' }),
  bili.superChat(5, 30, '主播看看我'),
  bili.guardBuy(6, 3, 1, 198_000),
  bili.interact(7, 1),
  bili.interact(8, 2, 0),
  bili.onlineRankCount(9, 1234),
  bili.watchedChange(10, 5678),
  bili.likeUpdate(11, 999),
  bili.logInNotice(12),
  bili.recommendCard(13, '1001', '羊毛大衣', '399.00'),
  bili.gotoBuyFlow(14, '小**等3人正在去买'),
  bili.hotBuyNum(15, '1001', 3),
  bili.other(16, 'STOP_LIVE_ROOM_LIST'),
]);

/** Bilibili WebSocket messages: batches plain, zlib and brotli, the auth reply and a heartbeat reply. */
export const bilibiliFrames = once((): Buffer[] => {
  const bodies = bilibiliBodies();
  const popularity = Buffer.alloc(4);
  popularity.writeUInt32BE(4321);
  return [
    bili.batch(bodies, Ver.json),
    bili.batch(bodies.slice(0, 8), Ver.zlib),
    bili.batch(bodies.slice(8), Ver.brotli),
    encodePacket(Op.authReply, '{"code":0}', Ver.int),
    encodePacket(Op.heartbeatReply, popularity, Ver.int),
  ];
});

/** A DouyinBarrageGrab envelope (Data still an object); `barrageGrabText` packs it as the relay does. */
export interface BarrageGrabEnvelope {
  Type: unknown;
  ProcessName: unknown;
  Data: unknown;
}

const douyinViewer = (n: number): Record<string, unknown> => ({
  Id: `930000000000000${String(n).padStart(2, '0')}`,
  Nickname: `观众${n}`,
  SecUid: `MS4wLjABAAAA${n}`,
  PayLevel: 12,
  FansClub: { ClubName: '小熊团', Level: n % 3 },
  FollowStatus: n % 2,
});
const douyinMsgId = (n: number): string => `73110000000000${String(n).padStart(5, '0')}`;

export const barrageGrabEnvelopes = once((): BarrageGrabEnvelope[] => {
  const pack = (Type: number, data: Record<string, unknown>): BarrageGrabEnvelope => ({ Type, ProcessName: '直播伴侣', Data: { RoomId: '7300000000000000001', WebRoomId: '80001', ...data } });
  return [
    pack(1, { MsgId: douyinMsgId(1), Content: '第1条弹幕', User: douyinViewer(1) }),
    pack(1, { MsgId: douyinMsgId(2), Content: '主播好', User: { Id: '111111', Nickname: '玲***', SecUid: '' } }),
    pack(2, { MsgId: douyinMsgId(3), Count: 5, Total: 1200, User: douyinViewer(2) }),
    pack(3, { MsgId: douyinMsgId(4), CurrentCount: 1234, User: douyinViewer(3) }),
    pack(4, { MsgId: douyinMsgId(5), User: douyinViewer(3) }),
    pack(5, { MsgId: douyinMsgId(6), GiftId: '463', GiftName: '小心心', GroupId: '1700000000001', GiftCount: 1, RepeatCount: 3, DiamondCount: 1, User: douyinViewer(1) }),
    pack(5, { MsgId: douyinMsgId(7), GiftId: '3001', GiftName: '嘉年华', GiftCount: 1, DiamondCount: 3000, User: douyinViewer(2) }),
    pack(6, { MsgId: douyinMsgId(8), OnlineUserCount: 1234, TotalUserCount: 56789 }),
    pack(7, { MsgId: douyinMsgId(9), Type: 2, Level: 1, User: douyinViewer(4) }),
    pack(8, { MsgId: douyinMsgId(10), ShareType: 1, User: douyinViewer(3) }),
    pack(9, { MsgId: douyinMsgId(11) }),
  ];
});

/** An envelope as the relay sends it: Data as a JSON string, its ids (C# longs) as bare JSON numbers. */
export function barrageGrabText(envelope: BarrageGrabEnvelope): string {
  const data = typeof envelope.Data === 'object' && envelope.Data !== null ? JSON.stringify(envelope.Data).replace(/"(MsgId|Id|GroupId|GiftId|RoomId|WebRoomId)":"(\d+)"/g, '"$1":$2') : envelope.Data;
  return JSON.stringify({ ...envelope, Data: data });
}

/** TikTok-Chat-Reader socket.io events: [name, payload]. */
export const chatReaderEvents = once((): [string, Record<string, unknown>][] => {
  const viewer = (n: number): Record<string, unknown> => ({ userId: `69${String(n).padStart(17, '0')}`, uniqueId: `fan_${n}`, nickname: `Fan ${n}`, followRole: n % 2 });
  const gift = (msgId: string, fields: Record<string, unknown>): Record<string, unknown> => ({ ...viewer(1), msgId, createTime: String(T0), giftId: 5655, giftName: 'Rose', diamondCount: 1, giftType: 1, ...fields });
  return [
    ['chat', { ...viewer(1), comment: 'comment 1', msgId: '731', createTime: String(T0 + 1) }],
    ['questionNew', { ...viewer(2), questionText: 'Is size S in stock?', msgId: '7398' }],
    ['member', { ...viewer(3), msgId: '7501', actionId: 1 }],
    ['like', { ...viewer(3), likeCount: 15, totalLikeCount: 900, msgId: '7502' }],
    ['follow', { ...viewer(3), msgId: '7503' }],
    ['share', { ...viewer(3), msgId: '7504' }],
    ['social', { ...viewer(4), displayType: 'pm_main_follow_message_viewer_2', msgId: '7505' }],
    ['gift', gift('7601', { repeatCount: 3, repeatEnd: true, groupId: '1700000000001' })],
    ['gift', gift('7602', { giftType: 2, repeatCount: 1, diamondCount: 5000, giftName: 'Lion' })],
    ['roomUser', { viewerCount: 321, topViewers: [] }],
    ['chat', { comment: 'hidden', userId: '0', nickname: 'Guest', msgId: '7397' }],
  ];
});

/** WeChat Channels polls as a wxlivespy-style relay forwards them. */
export const channelsPolls = once((): Record<string, unknown>[] => {
  const viewer = (n: number): Record<string, string> => ({ username: `o_sec_${n}@finder`, nickname: `观众${n}` });
  const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
  const appMsg = (seq: number, msgType: number, payload: unknown): Record<string, unknown> => ({ msgType, seq, clientMsgId: `a-${seq}`, fromUserContact: { contact: viewer(1) }, payload: b64(payload) });
  const poll = {
    msgList: [
      { type: 1, seq: 1, clientMsgId: 'c-1', ...viewer(1), content: '第1条评论' },
      { type: 10005, seq: 2, clientMsgId: 'c-2', ...viewer(2), content: '' },
    ],
    appMsgList: [
      appMsg(101, 20009, { reward_product_id: 'rose', reward_product_count: 2, reward_amount_in_wecoin: '20', reward_gift: { name: '玫瑰', price: 10 } }),
      appMsg(102, 20013, { reward_product_id: 'heart', combo_id: 'k1', combo_product_count: 3, reward_gift: { name: '小心心', price: 1 } }),
      { msgType: 20006, seq: 103, clientMsgId: 'a-103', fromUserContact: { contact: viewer(2) } },
    ],
    liveInfo: { liveId: 'live-1', onlineCnt: 88, likeCnt: 1200 },
  };
  return [poll, { data: poll }];
});

const encode = (type: Type, value: object): Uint8Array => type.encode(value).finish();

/** Webcast room messages ({method, payload}) of every method the decoder reads. */
export const webcastMessages = once((): { method: string; payload: Uint8Array }[] => {
  const viewer = (n: number): Record<string, unknown> => ({ id: `9300000000000000${String(n).padStart(3, '0')}`, nickName: `观众${n}`, secUid: `MS4wLjABAAAA${n}` });
  const message = (method: string, type: Type, n: number, fields: Record<string, unknown>) => ({
    method,
    payload: encode(type, { common: { msgId: douyinMsgId(n), createTime: T0 + n }, ...fields }),
  });
  return [
    message('WebcastChatMessage', wc.ChatMessage, 1, { user: viewer(1), content: '第1条弹幕' }),
    message('WebcastChatMessage', wc.ChatMessage, 2, { user: { id: '111111', nickName: '玲***', secUid: '' }, content: '主播好' }),
    message('WebcastGiftMessage', wc.GiftMessage, 3, { user: viewer(1), giftId: 463, groupId: '1700000000001', repeatCount: 4, repeatEnd: 1, gift: { name: '小心心', diamondCount: 1, combo: true, type: 1 } }),
    message('WebcastGiftMessage', wc.GiftMessage, 4, { user: viewer(2), giftId: 3001, repeatCount: 1, gift: { name: '嘉年华', diamondCount: 3000 } }),
    message('WebcastLikeMessage', wc.LikeMessage, 5, { user: viewer(2), count: 7, total: 1200 }),
    message('WebcastMemberMessage', wc.MemberMessage, 6, { user: viewer(3), memberCount: 1499 }),
    message('WebcastSocialMessage', wc.SocialMessage, 7, { user: viewer(3), action: 1 }),
    message('WebcastSocialMessage', wc.SocialMessage, 8, { user: viewer(3), action: 3 }),
    message('WebcastRoomUserSeqMessage', wc.RoomUserSeqMessage, 9, { total: 1500, totalUser: 88_000 }),
    message('WebcastControlMessage', wc.ControlMessage, 10, { status: 3 }),
    { method: 'WebcastRoomRankMessage', payload: Uint8Array.from([0x08, 0x01]) },
  ];
});

/** A push frame carrying a Response of `messages`, gzipped or not, asking for an ack or not. */
export function webcastFrame(messages: { method: string; payload: Uint8Array }[], { gzip = true, needAck = false, logId = '7400000000000000001' } = {}): Uint8Array {
  const response = encode(wc.Response, { messages, needAck, internalExt: needAck ? `internal_src:dim|wss_push_log_id:${logId}` : '' });
  return encode(wc.PushFrame, { logId, payloadType: 'msg', payloadEncoding: gzip ? 'gzip' : '', payload: gzip ? gzipSync(response) : response });
}

export const webcastFrames = once((): Uint8Array[] => {
  const messages = webcastMessages();
  return [webcastFrame(messages, { needAck: true }), webcastFrame(messages.slice(0, 5), { gzip: false }), encode(wc.PushFrame, { payloadType: 'hb' })];
});

const CSV = '客户ID,姓名,手机,标签,等级,累计消费(分),订单数\nC001,张三,13800138000,VIP、复购,5,129900,3\nC002,"李四, 王",+86 139-0013-9000,粉丝,2,0,0\nC003,,0,,,,\n';
/** The same export as GBK (客户ID,姓名,手机,标签,等级 and two rows, CRLF), as Excel on Chinese Windows saves it. */
const GBK_HEX =
  'bfcdbba749442cd0d5c3fb2ccad6bbfa2cb1eac7a92cb5c8bcb60d0a433030312cd5c5c8fd2c31333830303133383030302c564950a1a2b8b4b9ba2c350d0a433030322c22c0eecbc42c20cdf5222c2b3836203133392d303031332d393030302cb7dbcbbf2c320d0a';

/** CRM exports: UTF-8 CSV, UTF-8 with a BOM and CRLF, GBK, and JSON lines. */
export const profileFiles = once((): Buffer[] => [
  Buffer.from(CSV),
  Buffer.from(`\uFEFF${CSV.replaceAll('\n', '\r\n')}`),
  Buffer.from(GBK_HEX, 'hex'),
  Buffer.from(
    [
      { crm_id: 'C001', name: '张三', phone: '13800138000', tags: ['VIP', '复购'], level: 5 },
      { crm_id: 'C002', name: '李四', douyin_uid: '930000000000000001', orders: 2, extra: { nested: true } },
      { crm_id: 'C003', phone: null },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  ),
]);

/** Column → field mappings that fit the fixtures above. */
export const profileMappings = {
  客户ID: 'crm_id',
  姓名: 'name',
  手机: 'phone',
  标签: 'tags',
  等级: 'level',
  '累计消费(分)': 'ltv_fen',
  订单数: 'orders',
  crm_id: 'crm_id',
  name: 'name',
  phone: 'phone',
  tags: 'tags',
  level: 'level',
  douyin_uid: 'douyin_uid',
  orders: 'orders',
} as const;

/** The default pack's rules and templates, as saved JSON. */
export const triggerRules = once((): unknown[] => defaultRules.map((r) => JSON.parse(JSON.stringify(r)) as unknown));
export const couponTemplates = once((): unknown[] => defaultTemplates.map((t) => JSON.parse(JSON.stringify(t)) as unknown));

/** The built-in segments' condition trees. */
export const conditionTrees = once((): unknown[] => builtinSegments.map((s) => JSON.parse(JSON.stringify(s.tree)) as unknown));

/** Well-formed contract requests of several methods, as the UI sends them. */
export const contractRequests = once((): Record<string, unknown>[] =>
  [
    { method: 'getSnapshot', args: {} },
    { method: 'setLanguage', args: { language: 'en' } },
    { method: 'setFeedHighlight', args: { keywords: ['尺码', '多少钱'], badges: ['vip', 'new'] } },
    { method: 'setRetention', args: { days: 90 } },
    { method: 'saveSource', args: { name: '抖音', type: 'douyin_barrage_grab', enabled: true, room: '80001' } },
    { method: 'saveSource', args: { name: 'B站', type: 'bilibili', enabled: false, roomId: '21452505', token: 'abc', hosts: 'broadcastlv.chat.bilibili.com:443' } },
    { method: 'controlReplay', args: { id: 'r1', action: 'seek', ts: T0 } },
    { method: 'annotate', args: { text: '开始讲解大衣' } },
    { method: 'saveAnswers', args: { products: [{ productId: 'p1', name: '大衣', sellingPoints: '羊毛', sizeNotes: 'S-XL', priceMechanics: '满减', faq: [{ q: '起球吗', a: '不起球' }] }], general: [] } },
    { method: 'configureCrmSync', args: { kind: 'http', url: 'https://crm.example.com/api', everyMinutes: 30 } },
    { method: 'saveSegment', args: { id: 'vip_fans', name: 'VIP 粉丝', tree: { all: [{ tag: 'VIP' }, { tag: '粉丝' }] } } },
    { method: 'importChunk', args: { uploadId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', offset: 0, data: 'aGVsbG8=' } },
    { method: 'runImport', args: { uploadId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', mapping: { 手机: 'phone' } } },
    { method: 'setConsent', args: { personId: 7, purpose: 'marketing', status: 'granted' } },
    { method: 'saveTriggerRule', args: { json: triggerRules()[0] } },
    { method: 'configureWebhook', args: { url: 'https://shop.example.com/hook', secret: '0123456789abcdef' } },
    { method: 'setProductOnAir', args: { productId: 'p1', productName: '大衣' } },
  ].map((request, i) => ({ id: i + 1, ...request })),
);
