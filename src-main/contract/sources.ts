// Source configurations as the UI edits them and the engine stores them: one shape per source type,
// validated with these schemas when saved.
import { z } from 'zod';
import { eventKinds, platforms } from '../events/live-event';

const common = {
  /** Assigned by the engine when a new source is saved without one. */
  id: z.string().min(1).max(64).optional(),
  name: z.string().min(1).max(100),
  enabled: z.boolean(),
  /** The platform this source's events come from; fills `platform` where a relay leaves it out. */
  platform: z.enum(platforms),
  roomId: z.string().max(128).default(''),
  /** How the relay counts gift streaks: each message's own gifts, or the streak's running total. */
  giftCounts: z.enum(['increment', 'running_total']).default('increment'),
  /** Keep the raw frames as they came off the wire with the session (for debugging an adapter). */
  keepRaw: z.boolean().optional(),
};

const url = (schemes: string[]) =>
  z
    .string()
    .max(2000)
    .refine((value) => {
      try {
        return schemes.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `must be a ${schemes.join(' or ')} URL`);

const seconds = (fallback: number) => z.number().min(0).max(3600).default(fallback);

/** A platform adapter's fixed fields: its platform, and gift streaks it counts once itself. */
const adapter = <P extends (typeof platforms)[number]>(platform: P) => ({
  ...common,
  platform: z.literal(platform).default(platform),
  giftCounts: z.literal('increment').default('increment'),
});

/** Fields of a source config that are credentials: sealed at rest (storage/secrets.ts). */
export const secretSourceFields = ['token', 'cookie'] as const;

export const sourceConfigSchema = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('demo'), seed: z.number().int().default(20261123), rate: z.number().min(1).max(50_000).default(20) }),
  z.object({ ...common, type: z.literal('ws'), url: url(['ws:', 'wss:']), silenceSec: seconds(30), heartbeatSec: seconds(15) }),
  z.object({
    ...common,
    type: z.literal('socketio'),
    url: url(['http:', 'https:', 'ws:', 'wss:']),
    /** socket.io event name → LiveEvent kind; events not listed are ignored. */
    events: z.record(z.string().max(100), z.enum(eventKinds)).default(Object.fromEntries(eventKinds.map((k) => [k, k]))),
    silenceSec: seconds(30),
  }),
  z.object({ ...common, type: z.literal('http_push'), port: z.number().int().min(0).max(65535), token: z.string().max(200).optional() }),
  z.object({ ...common, type: z.literal('replay'), path: z.string().min(1).max(4096), speed: z.number().min(1).max(1000).default(1) }),
  z.object({
    ...adapter('douyin'),
    type: z.literal('douyin_barrage_grab'),
    url: url(['ws:', 'wss:']).default('ws://127.0.0.1:8888'),
    /** The WebRoomId or RoomId to follow; every room the relay sees when empty. */
    room: z.string().max(64).optional(),
    silenceSec: seconds(30),
    heartbeatSec: seconds(15),
  }),
  z.object({
    ...adapter('tiktok'),
    type: z.literal('tiktok_chat_reader'),
    url: url(['http:', 'https:', 'ws:', 'wss:']).default('http://127.0.0.1:8081'),
    /** The creator's handle, with or without @. */
    uniqueId: z.string().trim().min(1).max(100),
    silenceSec: seconds(30),
  }),
  z.object({ ...adapter('wechat'), type: z.literal('wechat_channels'), port: z.number().int().min(0).max(65535), token: z.string().max(200).optional() }),
  z.object({
    ...adapter('bilibili'),
    type: z.literal('bilibili'),
    /** The room's real (long) id. */
    roomId: z.string().regex(/^\d{1,20}$/, 'the numeric room id'),
    /** getDanmuInfo base URL (a relay that signs the request); or else a token copied from the browser. */
    danmuInfoUrl: url(['http:', 'https:']).optional(),
    token: z.string().max(2000).optional(),
    /** With a token: hosts as "host:port, host:port" (default Bilibili's public one). */
    hosts: z
      .string()
      .max(2000)
      .regex(/^\s*([\w.-]+:\d{1,5}\s*(,\s*|$))*$/, 'hosts as host:port, host:port')
      .optional(),
    /** The logged-in browser's cookie: without it Bilibili masks every viewer's name. */
    cookie: z.string().max(8000).optional(),
    silenceSec: seconds(35),
    heartbeatSec: seconds(30),
  }),
  z.object({
    ...adapter('douyin'),
    type: z.literal('webcast'),
    /** Whose frames these are: Webcast is Douyin's and TikTok's format alike. */
    platform: z.enum(['douyin', 'tiktok']),
    url: url(['ws:', 'wss:']),
    silenceSec: seconds(30),
    heartbeatSec: seconds(15),
  }),
]).superRefine((config, ctx) => {
  if (config.type === 'bilibili' && !config.danmuInfoUrl && !config.token) {
    ctx.addIssue({ code: 'custom', path: ['token'], message: 'give a getDanmuInfo URL or a token' });
  }
});

export type SourceConfig = z.output<typeof sourceConfigSchema> & { id: string };
export type SourceConfigInput = z.input<typeof sourceConfigSchema>;

export const replayActionSchema = z.discriminatedUnion('action', [
  z.object({ id: z.string(), action: z.literal('pause') }),
  z.object({ id: z.string(), action: z.literal('resume') }),
  z.object({ id: z.string(), action: z.literal('seek'), ts: z.number().int().min(0) }),
  z.object({ id: z.string(), action: z.literal('speed'), speed: z.number().min(1).max(1000) }),
]);
export type ReplayAction = z.output<typeof replayActionSchema>;
