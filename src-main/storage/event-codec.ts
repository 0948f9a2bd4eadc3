// The stored form of a chunk of recorded events, and of who is in it. Events are laid out column by
// column in one JSON document (the envelope fields each in an array, timestamps as deltas, the rest
// of each event as its own object), deflated: a chunk decodes to exactly the events written. Who is
// in a chunk is a sorted list of 32-bit hashes of (platform, user id), so a person's chunks are found
// without decoding the others and without their id in clear.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { EventUser, LiveEvent } from '../events/live-event';

/** Written first in every chunk; a reader refuses a layout it does not know. */
const FORMAT = 1;
/** zlib's fastest level: recording speed matters more than the last few bytes. */
const LEVEL = 1;

type Columns = [
  format: number,
  ids: string[],
  platforms: string[],
  roomIds: string[],
  /** ts minus the previous event's ts (the first event's minus 0). */
  tsDeltas: number[],
  /** recvTs minus ts. */
  recvOffsets: number[],
  users: (EventUser | null)[],
  trafficSources: (string | null)[],
  kinds: string[],
  /** Every other field of the event. */
  bodies: Record<string, unknown>[],
];

export function encodeChunk(events: readonly LiveEvent[]): Buffer {
  const n = events.length;
  const columns: Columns = [FORMAT, new Array(n), new Array(n), new Array(n), new Array(n), new Array(n), new Array(n), new Array(n), new Array(n), new Array(n)];
  const [, ids, platforms, roomIds, tsDeltas, recvOffsets, users, trafficSources, kinds, bodies] = columns;
  let previousTs = 0;
  for (let i = 0; i < n; i++) {
    const { id, platform, roomId, ts, recvTs, user, trafficSource, kind, ...body } = events[i];
    ids[i] = id;
    platforms[i] = platform;
    roomIds[i] = roomId;
    tsDeltas[i] = ts - previousTs;
    recvOffsets[i] = recvTs - ts;
    users[i] = user ?? null;
    trafficSources[i] = trafficSource ?? null;
    kinds[i] = kind;
    bodies[i] = body;
    previousTs = ts;
  }
  return deflateRawSync(JSON.stringify(columns), { level: LEVEL });
}

export function decodeChunk(data: Uint8Array): LiveEvent[] {
  const columns = JSON.parse(inflateRawSync(data).toString('utf8')) as Columns;
  if (columns[0] !== FORMAT) throw new Error(`unknown event chunk format ${String(columns[0])}`);
  const [, ids, platforms, roomIds, tsDeltas, recvOffsets, users, trafficSources, kinds, bodies] = columns;
  const events = new Array<LiveEvent>(ids.length);
  let ts = 0;
  for (let i = 0; i < ids.length; i++) {
    ts += tsDeltas[i];
    const e: Record<string, unknown> = { id: ids[i], platform: platforms[i], roomId: roomIds[i], ts, recvTs: ts + recvOffsets[i] };
    if (users[i] !== null) e.user = users[i];
    if (trafficSources[i] !== null) e.trafficSource = trafficSources[i];
    e.kind = kinds[i];
    events[i] = Object.assign(e, bodies[i]) as LiveEvent;
  }
  return events;
}

/** FNV-1a over the platform, a separator and the user id. */
export function userKey(platform: string, userId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < platform.length; i++) h = Math.imul(h ^ platform.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0x1f, 0x01000193);
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The distinct user keys of the events, sorted, as little-endian 32-bit integers. */
export function userKeys(events: readonly LiveEvent[]): Buffer {
  const keys = new Uint32Array(events.length);
  let n = 0;
  for (const e of events) if (e.user) keys[n++] = userKey(e.platform, e.user.id);
  const sorted = keys.subarray(0, n).sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i];
  const out = Buffer.alloc(distinct * 4);
  for (let i = 0; i < distinct; i++) out.writeUInt32LE(sorted[i], i * 4);
  return out;
}

/** Whether a list made by `userKeys` holds the key (a hash: the chunk may still not hold the user). */
export function hasUserKey(keys: Buffer, key: number): boolean {
  let lo = 0;
  let hi = keys.length / 4 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys.readUInt32LE(mid * 4);
    if (k === key) return true;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
