// The kinds of source the Sources page offers, in menu order, with what a new one starts from. The
// engine's schema still decides what is valid when a source is saved.
import type { SourceConfigInput, SourceType } from '@contract';

export const sourceTypes: SourceType[] = ['douyin_barrage_grab', 'tiktok_chat_reader', 'wechat_channels', 'bilibili', 'webcast', 'ws', 'socketio', 'http_push', 'replay', 'demo'];

/** The fields each type starts with (platform included where the adapter fixes or suggests it). */
export const typeDefaults: Record<SourceType, Record<string, unknown>> = {
  demo: { seed: 20261123, rate: 20 },
  ws: { url: 'ws://127.0.0.1:8080/events', silenceSec: 30, heartbeatSec: 15 },
  socketio: { url: 'http://127.0.0.1:8081', silenceSec: 30, events: { chat: 'chat', gift: 'gift', like: 'like', enter: 'enter' } },
  http_push: { port: 8090 },
  replay: { path: '', speed: 10 },
  douyin_barrage_grab: { platform: 'douyin', url: 'ws://127.0.0.1:8888', silenceSec: 30, heartbeatSec: 15 },
  tiktok_chat_reader: { platform: 'tiktok', url: 'http://127.0.0.1:8081', uniqueId: '', silenceSec: 30 },
  wechat_channels: { platform: 'wechat', port: 8091 },
  webcast: { platform: 'douyin', url: 'ws://127.0.0.1:9222/webcast', silenceSec: 30, heartbeatSec: 15 },
  bilibili: { platform: 'bilibili', roomId: '', danmuInfoUrl: '', token: '', hosts: '', cookie: '', silenceSec: 35, heartbeatSec: 30 },
};

/** Types whose platform is fixed by the adapter (webcast offers its two). */
export const fixedPlatform = new Set<SourceType>(['douyin_barrage_grab', 'tiktok_chat_reader', 'wechat_channels', 'bilibili']);

/** Generic relays choose how gift streaks are counted; adapters count them themselves. */
export const relays = new Set<SourceType>(['ws', 'socketio', 'http_push']);

/** A source of `type` as it starts, keeping the fields every type shares from `keep`. */
export function sourceOfType(type: SourceType, keep: Record<string, unknown> = { name: '', platform: 'douyin', enabled: true }): SourceConfigInput {
  const { id, name, platform, roomId, enabled, giftCounts } = keep;
  return { id, name, platform, roomId, enabled, ...(relays.has(type) && { giftCounts: giftCounts ?? 'increment' }), type, ...typeDefaults[type] } as SourceConfigInput;
}
