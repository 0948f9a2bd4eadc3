// The protobuf layouts of Douyin's and TikTok's "Webcast" push stream, as far as LiveDeck reads them:
// the outer PushFrame, the Response it carries (gzipped or not), and the room messages inside. Field
// numbers are the platforms' own; fields LiveDeck does not read are left out (protobuf skips them).
// uint64 fields decode as Long (exact: ids run past 2^53), counts as plain numbers.
import protobuf, { type Long, type Type } from 'protobufjs';

const PROTO = `
syntax = "proto3";
package webcast;

message PushFrame {
  uint64 seqId = 1;
  uint64 logId = 2;
  string payloadEncoding = 6;
  string payloadType = 7;
  bytes payload = 8;
}

message Response {
  repeated Message messages = 1;
  string internalExt = 5;
  bool needAck = 9;
}

message Message {
  string method = 1;
  bytes payload = 2;
}

message Common {
  uint64 msgId = 2;
  uint64 createTime = 4;
}

message User {
  uint64 id = 1;
  string nickName = 3;
  string secUid = 46;
}

message ChatMessage {
  Common common = 1;
  User user = 2;
  string content = 3;
}

message GiftStruct {
  bool combo = 10;
  uint32 type = 11;
  uint32 diamondCount = 12;
  string name = 16;
}

message GiftMessage {
  Common common = 1;
  uint64 giftId = 2;
  uint32 repeatCount = 5;
  User user = 7;
  uint32 repeatEnd = 9;
  uint64 groupId = 11;
  GiftStruct gift = 15;
}

message LikeMessage {
  Common common = 1;
  uint32 count = 2;
  uint32 total = 3;
  User user = 5;
}

message MemberMessage {
  Common common = 1;
  User user = 2;
  uint32 memberCount = 3;
}

message SocialMessage {
  Common common = 1;
  User user = 2;
  uint32 action = 4;
}

message RoomUserSeqMessage {
  Common common = 1;
  uint32 total = 3;
  uint32 totalUser = 7;
}

message ControlMessage {
  Common common = 1;
  uint32 status = 2;
}
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const type = (name: string): Type => root.lookupType(`webcast.${name}`);

export const PushFrame = type('PushFrame');
export const Response = type('Response');
export const ChatMessage = type('ChatMessage');
export const GiftMessage = type('GiftMessage');
export const LikeMessage = type('LikeMessage');
export const MemberMessage = type('MemberMessage');
export const SocialMessage = type('SocialMessage');
export const RoomUserSeqMessage = type('RoomUserSeqMessage');
export const ControlMessage = type('ControlMessage');

/** A 64-bit field as decoded: a Long (or a number, where protobufjs runs without long.js). */
export type U64 = Long | number;

export interface PushFrameOf {
  logId: U64;
  payloadType: string;
  payload: Uint8Array;
}

export interface ResponseOf {
  messages: { method: string; payload: Uint8Array }[];
  internalExt: string;
  needAck: boolean;
}

export interface CommonOf {
  msgId: U64;
  createTime: U64;
}

export interface UserOf {
  id: U64;
  nickName: string;
  secUid: string;
}

/** The fields of every room message LiveDeck reads, each present on the kinds that have it. */
export interface RoomMessageOf {
  common: CommonOf | null;
  user: UserOf | null;
  content: string;
  giftId: U64;
  repeatCount: number;
  repeatEnd: number;
  groupId: U64;
  gift: { combo: boolean; type: number; diamondCount: number; name: string } | null;
  count: number;
  action: number;
  total: number;
  totalUser: number;
  status: number;
}
