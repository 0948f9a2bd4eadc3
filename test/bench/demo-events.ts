// The demo room's events for benchmarks: 1,000,000 from a fixed seed, generated once per run; and
// their recording as a session, flushed every 250 ms of event time as the recorder's timer would.
import type { LiveEvent } from '../../src-main/events/live-event';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';
import type { Db } from '../../src-main/storage/db';
import { FLUSH_INTERVAL_MS, Recorder } from '../../src-main/storage/recorder';

const EVENTS = 1_000_000;
export const BENCH_START = Date.UTC(2026, 10, 23, 12);
const RATE = 2_000;

let events: LiveEvent[] | undefined;

export function benchEvents(): LiveEvent[] {
  events ??= new DemoRoom({ seed: 7, startTs: BENCH_START, rate: RATE }).eventsUntil(BENCH_START + (EVENTS / RATE) * 1000 * 1.1).slice(0, EVENTS);
  return events;
}

/** Records `events` as a session of its own, ended. */
export function recordSession(db: Db, events: readonly LiveEvent[]): Recorder {
  const recorder = new Recorder(db, 'bench', ['demo']);
  let flushAt = events[0].ts + FLUSH_INTERVAL_MS;
  for (const e of events) {
    if (e.ts >= flushAt) {
      recorder.flush();
      flushAt = e.ts + FLUSH_INTERVAL_MS;
    }
    recorder.add(e);
  }
  recorder.close();
  return recorder;
}
