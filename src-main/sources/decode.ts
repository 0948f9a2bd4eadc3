// Turning raw frames into candidate LiveEvents, the same way for every JSON-speaking source: a size
// limit, strict UTF-8, JSON, then one event or an array of them, each checked against the model.
import { checkEvent } from '../events/check';
import type { LiveEvent } from '../events/live-event';
import { messageOf } from '../shared/values';

/** Frames larger than this are refused and counted (the connection stays up). */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** Sockets close on frames larger than this: past it, not even buffering the frame is safe. */
export const HARD_FRAME_BYTES = 16 * 1024 * 1024;

/** Why input was refused; `bad_frame` is a platform adapter's binary or envelope format gone wrong. */
export type FrameErrorReason = 'too_large' | 'invalid_utf8' | 'bad_json' | 'unknown_kind' | 'invalid' | 'not_an_event' | 'bad_frame';

export interface FrameError {
  reason: FrameErrorReason;
  /** The event kind when known ('?' otherwise), for the per-kind counters. */
  kind: string;
  message: string;
  /** The start of the offending input, for inspection in the UI. */
  sample: string;
}

/** Where decoding puts what it finds, in order: valid events and errors. */
export interface DecodeSink {
  accept(event: LiveEvent): void;
  reject(error: FrameError): void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const SAMPLE_CHARS = 300;

/** The start of some bad input, for the Sources page: text as it is, a value as JSON, bytes read as `encoding`. */
export function sampleOf(value: unknown, encoding: BufferEncoding = 'latin1'): string {
  const text = Buffer.isBuffer(value)
    ? value.subarray(0, SAMPLE_CHARS + 1).toString(encoding)
    : typeof value === 'string'
      ? value
      : jsonOf(value);
  return text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text;
}

/** A value as JSON; one nested deeper than JSON.stringify can go (a frame of 100,000 `[`) says so instead. */
export function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '(nested too deep to show)';
  }
}

/** Envelope fields a source fills in before checking: relays may leave out platform and room. */
export interface Stamp {
  platform: string;
  roomId: string;
  recvTs: number;
}

/** Decodes a text or binary frame: one JSON LiveEvent or an array of them. */
export function decodeFrame(data: string | Buffer | ArrayBuffer | Buffer[], stamp: Stamp, sink: DecodeSink, maxBytes = MAX_FRAME_BYTES): void {
  let text: string;
  if (typeof data === 'string') {
    text = data;
    if (text.length > maxBytes) return fail(sink, 'too_large', `frame of ${text.length} characters`, text);
  } else {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (bytes.length > maxBytes) return fail(sink, 'too_large', `frame of ${bytes.length} bytes`, bytes);
    try {
      text = utf8.decode(bytes);
    } catch {
      return fail(sink, 'invalid_utf8', 'frame is not valid UTF-8', bytes);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail(sink, 'bad_json', messageOf(err), text);
  }
  decodeValue(value, stamp, sink);
}

/** Stamps and checks an already-parsed value: one event or an array of events. */
export function decodeValue(value: unknown, stamp: Stamp, sink: DecodeSink): void {
  if (Array.isArray(value)) for (const item of value) take(item, stamp, sink);
  else take(value, stamp, sink);
}

function take(item: unknown, stamp: Stamp, sink: DecodeSink): void {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    sink.reject({ reason: 'not_an_event', kind: '?', message: 'expected an object', sample: sampleOf(item) });
    return;
  }
  const event = item as Record<string, unknown>;
  event.platform ??= stamp.platform;
  event.roomId ??= stamp.roomId;
  event.recvTs = stamp.recvTs;
  const check = checkEvent(event);
  if (check.ok) sink.accept(check.event);
  else sink.reject({ reason: check.reason, kind: check.kind, message: check.message, sample: sampleOf(item) });
}

function fail(sink: DecodeSink, reason: FrameErrorReason, message: string, input: string | Buffer): void {
  sink.reject({ reason, kind: '?', message, sample: sampleOf(input) });
}
