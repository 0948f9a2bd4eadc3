// metrics_events_per_s: the metrics engine alone (room, platform and product cuts, online, watch time,
// minute series) over 1,000,000 demo-room events generated from a fixed seed.
import type { LiveEvent } from '../../src-main/events/live-event';
import { RoomMetrics } from '../../src-main/metrics/room-metrics';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';
import type { Benchmark } from './run';

const EVENTS = 1_000_000;
const START = Date.UTC(2026, 10, 23, 12);
const RATE = 2_000;

let events: LiveEvent[] | undefined;
function benchEvents(): LiveEvent[] {
  events ??= new DemoRoom({ seed: 7, startTs: START, rate: RATE }).eventsUntil(START + (EVENTS / RATE) * 1000 * 1.1).slice(0, EVENTS);
  return events;
}

export const metricsThroughput: Benchmark = {
  name: 'metrics',
  runs: 5,
  async run() {
    const all = benchEvents();
    const metrics = new RoomMetrics();
    const started = performance.now();
    for (const e of all) metrics.apply(e);
    metrics.kpis();
    const ms = performance.now() - started;
    return { metrics_events_per_s: (all.length * 1000) / ms };
  },
};
