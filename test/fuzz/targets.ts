// Every fuzz target, one per decoder or parser that reads input LiveDeck does not control: the JSON,
// HTTP push and socket.io relay sources; the Bilibili, DouyinBarrageGrab, TikTok-Chat-Reader, WeChat
// Channels and Webcast adapters, alone and as running WebSocket sources; CSV and imported CRM files
// (UTF-8, BOM, GBK, JSON lines) and the import itself; trigger rule and template JSON and segment
// condition trees; and the contract's requests, dispatched and over the browser-mode WebSocket.
// Cheap targets first.
import { barrageGrab, bilibili, channels, chatReader, webcast } from './targets/adapters';
import { contractDispatch, wsContract } from './targets/contract';
import { csv, profileFile, profileImport } from './targets/profiles';
import { httpPush, jsonFrame, socketIo } from './targets/relays';
import { segmentTrees, triggerJson } from './targets/rules';
import { wsSources } from './targets/sockets';
import type { FuzzTarget } from './property';

export const targets: readonly FuzzTarget<never>[] = [
  jsonFrame,
  bilibili,
  barrageGrab,
  chatReader,
  channels,
  webcast,
  csv,
  profileFile,
  triggerJson,
  segmentTrees,
  contractDispatch,
  httpPush,
  socketIo,
  wsSources,
  wsContract,
  profileImport,
] as FuzzTarget<never>[];
