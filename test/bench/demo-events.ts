// The demo room's events for benchmarks: 1,000,000 from a fixed seed, generated once per run.
import type { LiveEvent } from '../../src-main/events/live-event';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';

const EVENTS = 1_000_000;
export const BENCH_START = Date.UTC(2026, 10, 23, 12);
const RATE = 2_000;

let events: LiveEvent[] | undefined;

export function benchEvents(): LiveEvent[] {
  events ??= new DemoRoom({ seed: 7, startTs: BENCH_START, rate: RATE }).eventsUntil(BENCH_START + (EVENTS / RATE) * 1000 * 1.1).slice(0, EVENTS);
  return events;
}
