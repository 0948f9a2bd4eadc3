// Fuzz targets of the platform adapters, each through its real decoder into a real intake: Bilibili
// WebSocket messages (goim packets, zlib and brotli bodies, JSON messages), DouyinBarrageGrab frames,
// TikTok-Chat-Reader events, WeChat Channels polls, and Douyin / TikTok Webcast protobuf frames.
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Type } from 'protobufjs';
import { encodePacket, Op, Ver } from '../../../src-main/sources/adapters/bilibili/frame';
import { BilibiliMessages } from '../../../src-main/sources/adapters/bilibili/messages';
import { BilibiliStream } from '../../../src-main/sources/adapters/bilibili/stream';
import { BarrageGrabMessages } from '../../../src-main/sources/adapters/douyin/barrage-grab';
import { ChatReaderEvents } from '../../../src-main/sources/adapters/tiktok/chat-reader';
import * as wc from '../../../src-main/sources/adapters/webcast/schema';
import { WebcastDecoder } from '../../../src-main/sources/adapters/webcast/webcast-decoder';
import { ChannelsMessages } from '../../../src-main/sources/adapters/wechat/channels';
import { MAX_FRAME_BYTES } from '../../../src-main/sources/decode';
import { isRecord } from '../../../src-main/shared/values';
import { copyJson, jsonValue, mutatedBytes, mutatedJson, mutatedText, shaped, text } from '../arbitraries';
import { barrageGrabEnvelopes, barrageGrabText, bilibiliBodies, bilibiliFrames, channelsPolls, chatReaderEvents, T0, webcastFrames, webcastMessages, type BarrageGrabEnvelope } from '../fixtures';
import { expectThat, observe, type FuzzTarget } from '../property';

const NOW = T0 + 5_000;
const id = fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constantFrom('0', '111111', '7311000000000000001'));
const bigId = fc.oneof(id, fc.nat(), fc.constantFrom(0, 111111));

// ---- Bilibili ----------------------------------------------------------------------------------

const medal = shaped({ medal_level: fc.nat(40), medal_name: text });
/** A message body with the fields of every cmd the adapter reads. */
const bilibiliMessage = shaped({
  cmd: fc.oneof(fc.constantFrom('DANMU_MSG', 'DANMU_MSG:4:0:2:2:2:0', 'SEND_GIFT', 'SUPER_CHAT_MESSAGE', 'GUARD_BUY', 'INTERACT_WORD', 'ONLINE_RANK_COUNT', 'WATCHED_CHANGE', 'LIKE_INFO_V3_UPDATE', 'RECOMMEND_CARD', 'GOTO_BUY_FLOW', 'LOG_IN_NOTICE'), fc.string({ maxLength: 8 })),
  msg_id: id,
  send_time: fc.nat(),
  info: fc.array(jsonValue, { maxLength: 6 }),
  data: shaped({
    tid: id,
    id: bigId,
    uid: bigId,
    uname: text,
    username: text,
    giftId: bigId,
    giftName: text,
    gift_name: text,
    num: fc.nat(100),
    coin_type: fc.constantFrom('gold', 'silver'),
    total_coin: fc.nat(),
    price: fc.oneof(fc.nat(100_000), fc.constantFrom('39.90', '')),
    message: text,
    timestamp: fc.nat(),
    start_time: fc.nat(),
    trigger_time: fc.nat(),
    batch_combo_id: id,
    guard_level: fc.constantFrom(1, 2, 3),
    msg_type: fc.constantFrom(1, 2, 3, 4),
    medal_info: medal,
    fans_medal: medal,
    user_info: shaped({ uname: text, user_level: fc.nat(60) }),
    online_count: fc.nat(),
    count: fc.nat(),
    click_count: fc.nat(),
    recommend_list: fc.array(shaped({ shopping_card_detail: shaped({ goods_id: bigId, goods_name: text, goods_price: fc.constantFrom('399.00', '0', 'x') }) }), { maxLength: 2 }),
    text: fc.constantFrom('小**等3人正在去买', '**', ''),
  }),
});

const bilibiliBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: mutatedJson(bilibiliBodies()).map((v) => Buffer.from(JSON.stringify(v) ?? '')), weight: 3 },
  { arbitrary: bilibiliMessage.map((v) => Buffer.from(JSON.stringify(v))), weight: 3 },
  jsonValue.map((v) => Buffer.from(JSON.stringify(v) ?? '')),
  fc.uint8Array({ maxLength: 24 }),
);

const brotliFast = { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } };

/** Packets back to back, plain or inside one zlib or brotli packet, with any op and a readable ver. */
const bilibiliBatch = fc
  .record({
    packets: fc.array(fc.record({ op: fc.oneof(fc.constantFrom(Op.heartbeatReply, Op.message, Op.message, Op.authReply), fc.nat()), ver: fc.constantFrom(Ver.json, Ver.int), body: bilibiliBody }), { minLength: 1, maxLength: 6 }),
    wrap: fc.constantFrom('none', 'zlib', 'brotli'),
  })
  .map(({ packets, wrap }) => {
    const plain = Buffer.concat(packets.map((p) => encodePacket(p.op, Buffer.from(p.body), p.ver)));
    if (wrap === 'none') return plain;
    return encodePacket(Op.message, wrap === 'zlib' ? deflateSync(plain) : brotliCompressSync(plain, brotliFast), wrap === 'zlib' ? Ver.zlib : Ver.brotli);
  });

let bombs: Buffer[] | undefined;
/** Bodies that inflate past the 8 MiB bound, and a batch of more distinct cmds than the adapter tallies. */
const bilibiliSpecials = (): Buffer[] =>
  (bombs ??= [
    encodePacket(Op.message, deflateSync(Buffer.alloc(9 * 1024 * 1024)), Ver.zlib),
    encodePacket(Op.message, brotliCompressSync(Buffer.alloc(9 * 1024 * 1024), brotliFast), Ver.brotli),
    Buffer.concat(Array.from({ length: 250 }, (_, i) => encodePacket(Op.message, `{"cmd":"CMD_${i}"}`))),
  ]);

/** Distinct unmapped cmds the adapter tallies (200), and the shared "(other)" entry. */
const MAX_TALLIED = 201;

/** What a Bilibili WebSocket message may hold. */
export const bilibiliData: fc.Arbitrary<Uint8Array> = fc.oneof({ arbitrary: bilibiliBatch, weight: 3 }, { arbitrary: mutatedBytes(bilibiliFrames()), weight: 3 }, fc.constantFrom(...bilibiliSpecials()), fc.uint8Array({ maxLength: 48 }));

export const bilibili: FuzzTarget<Uint8Array> = {
  name: 'bilibili',
  runs: 200,
  arbitrary: bilibiliData,
  check(data) {
    const { intake, assertSound } = observe('bilibili');
    const messages = new BilibiliMessages('21452505');
    const popularity: number[] = [];
    new BilibiliStream(intake, messages, { authReply: () => {}, popularity: (value) => popularity.push(value) }).frame(Buffer.from(data));
    assertSound();
    expectThat(popularity.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32), () => `popularity values ${popularity.join(', ')}`);
    expectThat(messages.ignored.size <= MAX_TALLIED, () => `${messages.ignored.size} cmds tallied`);
  },
};

// ---- DouyinBarrageGrab ------------------------------------------------------------------------

const douyinUser = shaped({ Id: bigId, Nickname: text, SecUid: fc.constantFrom('', 'MS4wLjABAAAA1'), PayLevel: fc.nat(60), FansClub: shaped({ ClubName: text, Level: fc.nat(30) }), FollowStatus: fc.constantFrom(0, 1, 2) });
const barrageGrabShaped: fc.Arbitrary<BarrageGrabEnvelope> = fc.record({
  Type: fc.oneof(fc.integer({ min: 0, max: 10 }), jsonValue),
  ProcessName: text,
  Data: shaped({
    MsgId: bigId,
    RoomId: fc.constantFrom('7300000000000000001', '1'),
    WebRoomId: fc.constantFrom('80001', '99999'),
    Content: text,
    Count: fc.nat(100),
    GiftId: bigId,
    GiftName: text,
    GroupId: bigId,
    GiftCount: fc.nat(100),
    RepeatCount: fc.nat(100),
    DiamondCount: fc.nat(10_000),
    OnlineUserCount: fc.nat(),
    TotalUserCount: fc.nat(),
    Type: fc.constantFrom(1, 2, 3),
    Level: fc.nat(30),
    User: douyinUser,
  }),
});

/** Data with a long run of digits after a key: the relay's C# longs, and far longer ones. */
const longIntegers = fc
  .tuple(fc.constantFrom('MsgId', 'Id', 'x'), fc.integer({ min: 1, max: 5_000 }), fc.constantFrom(',', '}', ' ', 'x'))
  .map(([key, digits, after]) => JSON.stringify({ Type: 1, ProcessName: 'p', Data: `{"${key}": ${'9'.repeat(digits)}${after} "Content": "x"}` }));

/** What a DouyinBarrageGrab frame may hold. */
export const barrageGrabFrame: fc.Arbitrary<string> = fc.oneof(
  mutatedJson(barrageGrabEnvelopes()).map((v) => (isRecord(v) ? barrageGrabText(v as unknown as BarrageGrabEnvelope) : (JSON.stringify(v) ?? ''))),
  barrageGrabShaped.map(barrageGrabText),
  mutatedText(barrageGrabEnvelopes().map(barrageGrabText)),
  longIntegers,
  text,
);

export const barrageGrab: FuzzTarget<{ text: string; room?: string }> = {
  name: 'barrage-grab',
  runs: 200,
  arbitrary: fc.record({ text: barrageGrabFrame, room: fc.constantFrom('80001', '7300000000000000001') }, { requiredKeys: ['text'] }),
  check({ text, room }) {
    const { intake, assertSound } = observe('douyin');
    const mapped = new BarrageGrabMessages(room).map(text, NOW);
    if (mapped && 'error' in mapped) intake.error(mapped.error);
    else if (mapped) intake.value(mapped.event);
    assertSound();
  },
};

// ---- TikTok-Chat-Reader -------------------------------------------------------------------------

const CHAT_READER_NAMES = ['chat', 'questionNew', 'member', 'like', 'follow', 'share', 'social', 'gift', 'roomUser', 'emote', 'envelope'];
const chatReaderPayload = shaped({
  userId: fc.oneof(fc.constantFrom('0', '6900000000000000001'), fc.nat()),
  nickname: text,
  uniqueId: text,
  followRole: fc.nat(3),
  msgId: id,
  createTime: fc.oneof(fc.nat().map(String), fc.constant(String(T0))),
  comment: text,
  questionText: text,
  likeCount: fc.nat(100),
  displayType: fc.constantFrom('pm_main_follow_message_viewer_2', 'pm_mt_guidance_share', ''),
  giftId: fc.nat(),
  giftName: text,
  groupId: id,
  repeatCount: fc.nat(100),
  repeatEnd: fc.boolean(),
  giftType: fc.constantFrom(1, 2),
  diamondCount: fc.nat(10_000),
  viewerCount: fc.nat(),
});

/** One relay event: a name the adapter reads (or not) and its payload. */
export const chatReaderCall: fc.Arbitrary<{ name: string; payload: unknown }> = fc.oneof(
  fc.record({ name: fc.constantFrom(...CHAT_READER_NAMES), payload: chatReaderPayload }),
  fc.record({ name: fc.constantFrom(...CHAT_READER_NAMES), payload: mutatedJson(chatReaderEvents().map(([, payload]) => payload)) }),
  fc.record({ name: fc.oneof(fc.constantFrom(...CHAT_READER_NAMES), fc.string({ maxLength: 6 })), payload: jsonValue }),
);

export const chatReader: FuzzTarget<{ name: string; payload: unknown }> = {
  name: 'tiktok-chat-reader',
  runs: 150,
  arbitrary: chatReaderCall,
  check({ name, payload }) {
    const { intake, assertSound, events } = observe('tiktok');
    const reader = new ChatReaderEvents();
    const mapped = reader.map(name, copyJson(payload), NOW);
    if (mapped && 'error' in mapped) intake.error(mapped.error);
    else if (mapped) intake.value(mapped.event);
    const accepted = events.length;
    intake.value(reader.liveEnd(NOW));
    expectThat(events.length === accepted + 1, () => 'the end of the LIVE was refused');
    assertSound();
  },
};

// ---- WeChat Channels ----------------------------------------------------------------------------

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value) ?? '').toString('base64');
const wechatGift = shaped({
  reward_product_id: id,
  reward_product_count: fc.oneof(fc.nat(10), fc.nat(10).map(String)),
  reward_amount_in_wecoin: fc.oneof(fc.nat(1000), fc.constantFrom('20', '', 'x')),
  combo_id: id,
  combo_product_count: fc.oneof(fc.nat(10), fc.nat(10).map(String)),
  reward_gift: shaped({ name: text, price: fc.oneof(fc.nat(100), fc.constant('1')) }),
});
const wechatContact = shaped({ username: fc.constantFrom('o_sec_1@finder', 'o_sec_2@finder', ''), nickname: text });
const wechatMessage = shaped({ type: fc.constantFrom(1, 10005, 3), seq: fc.nat(), clientMsgId: id, username: fc.constantFrom('o_sec_1@finder', ''), nickname: text, content: text });
const wechatAppMessage = shaped({
  msgType: fc.constantFrom(20009, 20013, 20006, 1),
  seq: fc.nat(),
  clientMsgId: id,
  fromUserContact: shaped({ contact: wechatContact }),
  payload: fc.oneof(wechatGift.map(b64), jsonValue.map(b64), text),
});
const wechatPoll = shaped({
  msgList: fc.array(wechatMessage, { maxLength: 5 }),
  appMsgList: fc.array(wechatAppMessage, { maxLength: 5 }),
  liveInfo: shaped({ liveId: id, onlineCnt: fc.nat(), likeCnt: fc.nat() }),
});

/** A poll as the relay POSTs it: bare or as {data}, mutated real ones, anything. */
export const channelsPoll: fc.Arbitrary<unknown> = fc.oneof(wechatPoll, wechatPoll.map((data) => ({ data })), mutatedJson(channelsPolls()), jsonValue);

export const channels: FuzzTarget<unknown> = {
  name: 'wechat-channels',
  runs: 100,
  arbitrary: channelsPoll,
  check(poll) {
    const { intake, assertSound } = observe('wechat');
    const { events, errors } = new ChannelsMessages().map(copyJson(poll), NOW);
    for (const error of errors) intake.error(error);
    intake.value(events);
    assertSound();
  },
};

// ---- Webcast ------------------------------------------------------------------------------------

const u64 = fc.oneof(fc.constantFrom('0', '1', '111111', '9007199254740993', '18446744073709551615'), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String));
const u32 = fc.oneof(fc.constantFrom(0, 1, 2 ** 32 - 1), fc.nat());
const pbText = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'x'.repeat(3000)));
const opt = { requiredKeys: [] as never[] };
const roomMessageFields = fc.record(
  {
    common: fc.record({ msgId: u64, createTime: u64 }, opt),
    user: fc.record({ id: u64, nickName: pbText, secUid: pbText }, opt),
    content: pbText,
    giftId: u64,
    repeatCount: u32,
    repeatEnd: u32,
    groupId: u64,
    gift: fc.record({ combo: fc.boolean(), type: u32, diamondCount: u32, name: pbText }, opt),
    count: u32,
    total: u32,
    totalUser: u32,
    memberCount: u32,
    action: u32,
    status: u32,
  },
  opt,
);

const ROOM_TYPES: Record<string, Type> = {
  WebcastChatMessage: wc.ChatMessage,
  WebcastGiftMessage: wc.GiftMessage,
  WebcastLikeMessage: wc.LikeMessage,
  WebcastMemberMessage: wc.MemberMessage,
  WebcastSocialMessage: wc.SocialMessage,
  WebcastRoomUserSeqMessage: wc.RoomUserSeqMessage,
  WebcastControlMessage: wc.ControlMessage,
};
const encodeAs = (type: Type, fields: object): Uint8Array => type.encode(type.fromObject(fields)).finish();

const webcastMessage = fc.oneof(
  fc.record({ method: fc.constantFrom(...Object.keys(ROOM_TYPES)), fields: roomMessageFields }).map(({ method, fields }) => ({ method, payload: encodeAs(ROOM_TYPES[method], fields) })),
  fc.record({ method: fc.oneof(fc.constantFrom(...Object.keys(ROOM_TYPES), 'WebcastRoomRankMessage', 'constructor', 'toString', '__proto__'), fc.string({ maxLength: 8 })), payload: fc.oneof(fc.uint8Array({ maxLength: 32 }), mutatedBytes(webcastMessages().map((m) => m.payload))) }),
);

/** A push frame: a Response of room messages, gzipped or not, any payload type, an ack asked for or not. */
const webcastShaped = fc
  .record({
    messages: fc.array(webcastMessage, { maxLength: 6 }),
    gzip: fc.boolean(),
    needAck: fc.boolean(),
    logId: u64,
    internalExt: pbText,
    payloadType: fc.oneof(fc.constantFrom('msg', 'msg', 'hb', 'ack'), fc.string({ maxLength: 4 })),
  })
  .map(({ messages, gzip, needAck, logId, internalExt, payloadType }) => {
    const response = encodeAs(wc.Response, { messages, needAck, internalExt });
    return encodeAs(wc.PushFrame, { logId, payloadType, payloadEncoding: gzip ? 'gzip' : '', payload: gzip ? gzipSync(response) : response });
  });

let webcastBomb: Uint8Array | undefined;
/** A push frame whose gzipped payload inflates to 2 MiB, past the decoder's bound. */
const webcastGzipBomb = (): Uint8Array => (webcastBomb ??= encodeAs(wc.PushFrame, { payloadType: 'msg', payload: gzipSync(Buffer.alloc(2 * 1024 * 1024)) }));

/** An ack: the frame's logId, payloadType "ack", and the Response's internalExt (at most a payload's size). */
const MAX_ACK_BYTES = MAX_FRAME_BYTES + 64;

/** What a Webcast push frame may hold. */
export const webcastData: fc.Arbitrary<Uint8Array> = fc.oneof({ arbitrary: webcastShaped, weight: 3 }, { arbitrary: mutatedBytes(webcastFrames()), weight: 3 }, fc.uint8Array({ maxLength: 48 }), fc.constant(webcastGzipBomb()));

export const webcast: FuzzTarget<{ data: Uint8Array; platform: 'douyin' | 'tiktok' }> = {
  name: 'webcast',
  runs: 100,
  arbitrary: fc.record({ data: webcastData, platform: fc.constantFrom('douyin', 'tiktok') }),
  check({ data, platform }) {
    const { intake, assertSound } = observe(platform);
    const ack = new WebcastDecoder(platform).take(intake, data, NOW);
    assertSound();
    if (!ack) return;
    expectThat(ack.length <= MAX_ACK_BYTES, () => `an ack of ${ack.length} bytes`);
    const frame = wc.PushFrame.decode(ack) as unknown as { payloadType: string };
    expectThat(frame.payloadType === 'ack', () => `an ack of payload type ${frame.payloadType}`);
  },
};
