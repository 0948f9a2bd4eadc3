// What a fuzz target is, and what every one of them asserts besides its own checks: each case ends
// within a time bound (a decoder never hangs) and without a jump in the process's peak memory (never
// allocates without bound, e.g. for a huge declared length), and whatever reached the pipeline is a
// valid LiveEvent while whatever was refused was counted with a typed reason. Shared by the vitest
// suite (fixed seeds) and `npm run fuzz` (random seeds, for as long as asked). No vitest here.
import fc from 'fast-check';
import { checkEvent } from '../../src-main/events/check';
import { eventSchemas, type LiveEvent } from '../../src-main/events/live-event';
import type { FrameErrorReason } from '../../src-main/sources/decode';
import type { Intake } from '../../src-main/sources/intake';
import { collector } from '../helpers/collect';

export interface FuzzTarget<T = unknown> {
  name: string;
  /** What the decoder is fed: inputs shaped like its format, and mutations of real fixtures. */
  arbitrary: fc.Arbitrary<T>;
  /** One case: runs the real decoder on the input (never changing it) and throws, saying why, when a property fails. */
  check(input: T): void | Promise<void>;
  /** Cases per run of the vitest suite. */
  runs: number;
  /** The check returns a promise (it talks to a server). */
  async?: boolean;
  /** Servers or files the target needs: made before its first case, released after its last. */
  open?(): Promise<void>;
  close?(): Promise<void>;
}

/** A case that runs longer than this counts as a hang. */
export const CASE_MS = 3_000;
/** A case that raises the process's peak resident memory by more than this allocated without bound. */
export const CASE_GROWTH_BYTES = 256 * 1024 * 1024;

/** Called after each case (the runner's liveness signal to its supervisor). */
export const progress: { onCase?: () => void } = {};

function within(started: number, peakKb: number): void {
  const ms = performance.now() - started;
  if (ms > CASE_MS) throw new Error(`a case took ${Math.round(ms)} ms (bound ${CASE_MS} ms)`);
  const grown = (process.resourceUsage().maxRSS - peakKb) * 1024;
  if (grown > CASE_GROWTH_BYTES) throw new Error(`a case raised peak memory by ${Math.round(grown / 2 ** 20)} MiB`);
  progress.onCase?.();
}

/** The target's check as a fast-check property, each case held to the time and memory bounds. */
export function propertyOf<T>(target: FuzzTarget<T>): fc.IRawProperty<[T], boolean> {
  const run = (input: T): void | Promise<void> => {
    const started = performance.now();
    const peakKb = process.resourceUsage().maxRSS;
    const result = target.check(input);
    if (result instanceof Promise) return result.then(() => within(started, peakKb));
    within(started, peakKb);
  };
  return (target.async ? fc.asyncProperty(target.arbitrary, run as (input: T) => Promise<void>) : fc.property(target.arbitrary, run as (input: T) => void)) as fc.IRawProperty<[T], boolean>;
}

const REASONS: ReadonlySet<FrameErrorReason> = new Set(['too_large', 'invalid_utf8', 'bad_json', 'unknown_kind', 'invalid', 'not_an_event', 'bad_frame']);
/** sampleOf's bound: 300 characters and an ellipsis. */
const MAX_SAMPLE_CHARS = 301;
const MAX_MESSAGE_CHARS = 2_000;

/** A real ingress and intake that keep what reaches the pipeline, and the check of both. */
export function observe(platform = 'other'): { events: LiveEvent[]; intake: Intake; assertSound(): void } {
  const { events, intake } = collector(undefined, platform);
  return { events, intake, assertSound: () => assertSound(events, intake) };
}

/**
 * Every event that reached the pipeline passes the boundary check again (nothing changed it after)
 * and the model's zod schema (the check's source, compiled another way); every refusal was counted
 * with a known reason and a bounded message and sample. The events checked are then let go.
 */
export function assertSound(events: LiveEvent[], intake: Intake): void {
  for (const event of events) {
    const again = checkEvent(structuredClone(event));
    if (!again.ok) throw new Error(`an invalid ${again.kind} event reached the pipeline: ${again.message}: ${JSON.stringify(event).slice(0, 500)}`);
    const zod = eventSchemas[event.kind].safeParse(event);
    if (!zod.success) throw new Error(`a ${event.kind} event passed the check but not the model's schema: ${zod.error.issues[0]?.message} at ${zod.error.issues[0]?.path.join('.')}: ${JSON.stringify(event).slice(0, 500)}`);
  }
  events.length = 0;
  const health = intake.snapshot();
  if (health.received !== health.accepted + health.duplicates + health.dropped + health.errors) throw new Error(`counters do not add up: ${JSON.stringify(health)}`);
  for (const reason of Object.keys(health.errorsByReason)) if (!REASONS.has(reason as FrameErrorReason)) throw new Error(`an error counted under unknown reason ${reason}`);
  for (const s of health.samples) {
    if (!REASONS.has(s.reason as FrameErrorReason)) throw new Error(`an error sample with unknown reason ${s.reason}`);
    if (typeof s.kind !== 'string' || s.kind.length > 100) throw new Error(`an error sample whose kind is ${JSON.stringify(s.kind)?.slice(0, 200)}`);
    if (typeof s.message !== 'string' || s.message.length > MAX_MESSAGE_CHARS) throw new Error(`an error message of ${String(s.message?.length)} characters`);
    if (typeof s.sample !== 'string' || s.sample.length > MAX_SAMPLE_CHARS) throw new Error(`an error sample of ${String(s.sample?.length)} characters`);
  }
}

/** Throws `message` unless `condition` holds. */
export function expectThat(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new Error(message());
}
