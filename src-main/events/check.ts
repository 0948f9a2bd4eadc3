// The boundary check for LiveEvents: the zod schemas of live-event.ts, compiled once (via JSON
// Schema) into Ajv validators that check an event in place, drop unknown fields and fill defaults,
// without copying it: the ingest hot path runs this for every event that arrives.
import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { z } from 'zod';
import { eventKinds, eventSchemas, type EventKind, type LiveEvent } from './live-event';

export type EventCheck =
  | { ok: true; event: LiveEvent }
  | { ok: false; reason: 'unknown_kind' | 'invalid'; kind: string; message: string };

let validators: Record<EventKind, ValidateFunction> | undefined;

function compile(): Record<EventKind, ValidateFunction> {
  const ajv = new Ajv2020({ removeAdditional: 'all', useDefaults: true, allErrors: false, strict: false });
  return Object.fromEntries(eventKinds.map((kind) => [kind, ajv.compile(z.toJSONSchema(eventSchemas[kind], { io: 'input' }))])) as Record<
    EventKind,
    ValidateFunction
  >;
}

/** Validates one decoded value (modifying it in place): a LiveEvent, or why not (for the error counters). */
export function checkEvent(raw: unknown): EventCheck {
  validators ??= compile();
  const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || !Object.hasOwn(validators, kind)) {
    return { ok: false, reason: 'unknown_kind', kind: typeof kind === 'string' ? kind.slice(0, 40) : '?', message: `unknown kind ${JSON.stringify(kind)?.slice(0, 40)}` };
  }
  const validate = validators[kind as EventKind];
  if (validate(raw)) return { ok: true, event: raw as LiveEvent };
  const error = validate.errors?.[0];
  return { ok: false, reason: 'invalid', kind, message: `${error?.instancePath.slice(1).replaceAll('/', '.') || kind}: ${error?.message ?? 'invalid'}` };
}
