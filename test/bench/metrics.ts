// metrics_events_per_s: the metrics engine alone (room, platform and product cuts, online, watch time,
// minute series) over 1,000,000 demo-room events generated from a fixed seed.
import { RoomMetrics } from '../../src-main/metrics/room-metrics';
import { benchEvents } from './demo-events';
import type { Benchmark } from './run';

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
