// renderer_heap_growth_mb: the ops dashboard's JavaScript heap in Chromium (browser mode) while the
// demo room plays 2,000 events/s for 10 minutes: the heap in use after a forced collection at the
// end minus the same at the end of the first minute. Every minute's figure (and the DOM's node count)
// goes to stderr. LIVEDECK_BENCH_MINUTES shortens the run for quick checks.
import type { CDPSession } from 'playwright-core';
import { onDashboard } from './dashboard';
import type { Benchmark } from './run';

const MINUTES = Number(process.env.LIVEDECK_BENCH_MINUTES) || 10;
const MINUTE = 60_000;

/** The page's heap in use after a full collection, and its DOM nodes. */
async function settledHeap(cdp: CDPSession): Promise<{ heapMb: number; nodes: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return { heapMb: metric('JSHeapUsedSize') / 1024 / 1024, nodes: metric('Nodes') };
}

export const rendererMemory: Benchmark = {
  name: 'renderer_memory',
  runs: 1,
  run() {
    return onDashboard(async (page) => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      let atMinute1 = Number.NaN;
      let last = Number.NaN;
      for (let minute = 1; minute <= MINUTES; minute++) {
        await page.waitForTimeout(MINUTE);
        const { heapMb, nodes } = await settledHeap(cdp);
        if (minute === 1) atMinute1 = heapMb;
        last = heapMb;
        process.stderr.write(`renderer_memory: ${JSON.stringify({ minute, heapMb: Math.round(heapMb * 10) / 10, nodes })}\n`);
      }
      return { renderer_heap_growth_mb: last - atMinute1 };
    });
  },
};
