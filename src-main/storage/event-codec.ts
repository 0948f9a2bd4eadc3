// The stored form of a chunk of recorded events, and of who is in it. Events are laid out column by
// column in one JSON document (the envelope fields each in an array, timestamps as deltas, the rest
// of each event as its own object), deflated: a chunk decodes to exactly the events written. Who is
// in a chunk is a sorted list of 32-bit hashes of (platform, user id), so a person's chunks are found
// without decoding the others and without their id in clear. A chunk is built as its events arrive
// (ChunkEncoder), so a recorder does not hold event objects until it writes.
import { constants } from 'node:buffer';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { EventUser, LiveEvent } from '../events/live-event';

/** Written first in every chunk; a reader refuses a layout it does not know. */
const FORMAT = 1;
/** zlib's fastest level: recording speed matters more than the last few bytes. */
const LEVEL = 1;

type EventColumns = [
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
type Columns = [format: number, ...EventColumns];
const COLUMNS = 9;

/**
 * Events are turned into column text this many at a time. An object still referenced when the
 * young generation is collected gets copied, and promoted if it survives twice: event objects held
 * until a flush (a quarter second, thousands of events) cost every collection in between, while a
 * step this small is usually done before the next one.
 */
const STEP = 512;

/** A chunk: its data, and the distinct keys of its users, sorted, as little-endian 32-bit integers. */
export interface EncodedChunk {
  data: Buffer;
  users: Buffer;
}

/** Builds one chunk from events added one at a time; `finish` hands it over and starts the next. */
export class ChunkEncoder {
  private step: LiveEvent[] = [];
  /**
   * Per column, the JSON text of its values without the brackets as UTF-8, one piece per step. Bytes
   * rather than strings: they live outside the JS heap until the chunk is finished.
   */
  private pieces = emptyPieces();
  private previousTs = 0;
  private keys: number[] = [];
  /** Events added since the last finish. */
  count = 0;

  add(e: LiveEvent): void {
    this.step.push(e);
    this.count++;
    if (this.step.length === STEP) this.encodeStep();
  }

  /** The chunk's data (deflated JSON, the same text as JSON.stringify of its Columns) and its users' keys. */
  finish(): EncodedChunk {
    this.encodeStep();
    const text: Buffer[] = [Buffer.from(`[${FORMAT}`)];
    for (const column of this.pieces) {
      text.push(OPEN);
      for (const [i, piece] of column.entries()) {
        if (i > 0) text.push(COMMA);
        text.push(piece);
      }
      text.push(CLOSE);
    }
    text.push(CLOSE);
    const users = sortedDistinct(new Uint32Array(this.keys));
    this.pieces = emptyPieces();
    this.previousTs = 0;
    this.keys = [];
    this.count = 0;
    return { data: deflateRawSync(Buffer.concat(text), { level: LEVEL }), users };
  }

  private encodeStep(): void {
    const events = this.step;
    const n = events.length;
    if (n === 0) return;
    this.step = [];
    const columns = Array.from({ length: COLUMNS }, () => new Array(n)) as EventColumns;
    const [ids, platforms, roomIds, tsDeltas, recvOffsets, users, trafficSources, kinds, bodies] = columns;
    let previousTs = this.previousTs;
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
      if (user) this.keys.push(userKey(platform, user.id));
    }
    this.previousTs = previousTs;
    for (let c = 0; c < COLUMNS; c++) this.pieces[c].push(Buffer.from(JSON.stringify(columns[c]).slice(1, -1)));
  }
}

const OPEN = Buffer.from(',[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

function emptyPieces(): Buffer[][] {
  return Array.from({ length: COLUMNS }, () => []);
}

/** The events as one chunk. */
export function encodeChunk(events: readonly LiveEvent[]): EncodedChunk {
  const encoder = new ChunkEncoder();
  for (const e of events) encoder.add(e);
  return encoder.finish();
}

/**
 * The most a chunk's text can take as UTF-8: the text is parsed as one string, and each UTF-16 unit of
 * a string takes at most 3 bytes. A chunk of an untrusted session file inflating past it (a deflate
 * bomb) fails there instead of taking what memory there is.
 */
const MAX_CHUNK_TEXT_BYTES = 3 * constants.MAX_STRING_LENGTH;

export function decodeChunk(data: Uint8Array): LiveEvent[] {
  const columns = JSON.parse(inflateRawSync(data, { maxOutputLength: MAX_CHUNK_TEXT_BYTES }).toString('utf8')) as Columns;
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

/** The keys (sorted in place), each once, as little-endian 32-bit integers. */
function sortedDistinct(keys: Uint32Array): Buffer {
  const sorted = keys.sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i];
  const out = Buffer.alloc(distinct * 4);
  for (let i = 0; i < distinct; i++) out.writeUInt32LE(sorted[i], i * 4);
  return out;
}

/** Whether a chunk's user keys (`EncodedChunk.users`) hold the key (a hash: the chunk may still not hold the user). */
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
