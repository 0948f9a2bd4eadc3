// A real ingress whose pipeline collects what reaches it, and an intake on it: what a source test
// needs to see exactly which events got through.
import type { LiveEvent } from '../../src-main/events/live-event';
import { Ingress, type IngressOptions } from '../../src-main/pipeline/ingress';
import { Intake } from '../../src-main/sources/intake';

export function collector(options?: IngressOptions, platform = 'other'): { events: LiveEvent[]; ingress: Ingress; intake: Intake } {
  const events: LiveEvent[] = [];
  const ingress = new Ingress((e) => events.push(e), options);
  return { events, ingress, intake: new Intake({ id: 'src', platform, roomId: 'room' }, ingress) };
}

export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A well-formed relay event with a numeric id. */
export function relayEvent(n: number, kind: 'chat' | 'like' = 'chat'): Record<string, unknown> {
  const base = { id: `m${n}`, platform: 'douyin', ts: 1_790_000_000_000 + n, user: { id: `u${n % 50}`, name: `观众${n % 50}` } };
  return kind === 'chat' ? { ...base, kind, text: `第${n}条弹幕` } : { ...base, kind, count: 1 };
}
