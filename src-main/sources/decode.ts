// Turning raw frames into candidate LiveEvents, the same way for every JSON-speaking source: a size
// limit, strict UTF-8, JSON, then one event or an array of them, each checked against the model.
import { checkEvent, type LiveEvent } from '../events/live-event';

/** Frames larger than this are refused and counted (the connection stays up). */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** Sockets close on frames larger than this: past it, not even buffering the frame is safe. */
export const HARD_FRAME_BYTES = 16 * 1024 * 1024;

export type FrameErrorReason = 'too_large' | 'invalid_utf8' | 'bad_json' | 'unknown_kind' | 'invalid' | 'not_an_event';

export interface FrameError {
  reason: FrameErrorReason;
  /** The event kind when known ('?' otherwise), for the per-kind counters. */
  kind: string;
  message: string;
  /** The start of the offending input, for inspection in the UI. */
  sample: string;
}

export interface Decoded {
  events: LiveEvent[];
  errors: FrameError[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const SAMPLE_CHARS = 300;

function sampleOf(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text;
}

/** Envelope fields a source fills in before checking: relays may leave out platform and room. */
export interface Stamp {
  platform: string;
  roomId: string;
  recvTs: number;
}

/** Decodes a text or binary frame: one JSON LiveEvent or an array of them. */
export function decodeFrame(data: string | Buffer | ArrayBuffer | Buffer[], stamp: Stamp, maxBytes = MAX_FRAME_BYTES): Decoded {
  let text: string;
  if (typeof data === 'string') {
    text = data;
    if (text.length > maxBytes) return fail('too_large', `frame of ${text.length} characters`, text);
  } else {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (bytes.length > maxBytes) return fail('too_large', `frame of ${bytes.length} bytes`, bytes.subarray(0, SAMPLE_CHARS).toString('latin1'));
    try {
      text = utf8.decode(bytes);
    } catch {
      return fail('invalid_utf8', 'frame is not valid UTF-8', bytes.subarray(0, SAMPLE_CHARS).toString('latin1'));
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail('bad_json', err instanceof Error ? err.message : 'not JSON', text);
  }
  return decodeValue(value, stamp);
}

/** Stamps and checks an already-parsed value: one event or an array of events. */
export function decodeValue(value: unknown, stamp: Stamp): Decoded {
  const out: Decoded = { events: [], errors: [] };
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      out.errors.push({ reason: 'not_an_event', kind: '?', message: 'expected an object', sample: sampleOf(item) });
      continue;
    }
    const event = item as Record<string, unknown>;
    event.platform ??= stamp.platform;
    event.roomId ??= stamp.roomId;
    event.recvTs = stamp.recvTs;
    const check = checkEvent(event);
    if (check.ok) out.events.push(check.event);
    else out.errors.push({ reason: check.reason, kind: check.kind, message: check.message, sample: sampleOf(item) });
  }
  return out;
}

function fail(reason: FrameErrorReason, message: string, sample: string): Decoded {
  return { events: [], errors: [{ reason, kind: '?', message, sample: sampleOf(sample) }] };
}
