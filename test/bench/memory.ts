// rss_growth_mb, peak_rss_mb: an 8-hour show, time-compressed: 14,400,000 demo-room events (500/s of
// simulated time, the demo mix) as JSON text through the pipeline bench's engine path (intake, de-dup,
// identify, metrics, live tags, triggers, talking points, feed, recording to a file database), as
// fast as the machine goes, with the engine's 250 ms tick (flushes, snapshot view) every 250 ms of
// simulated time. rss_growth_mb is the resident set at the end minus at the end of the first simulated
// hour, each settled: after a full, compacting GC and a second's pause for V8 to hand the freed pages
// back (what it does by itself when a real-time show leaves it idle; run flat out, the heap is left
// fragmented and RSS says more about the pace than about what is kept). peak_rss_mb is the process's
// high-water mark, unsettled. It runs in a child process of its own (with --expose-gc) so the figures
// are that process's alone; every simulated hour goes to stderr. LIVEDECK_BENCH_HOURS shortens the
// show for quick checks.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';
import { BENCH_START } from './demo-events';
import { enginePath, freshDb, nextTurn } from './pipeline';
import type { Benchmark } from './run';

const RATE = 500;
const HOURS = Number(process.env.LIVEDECK_BENCH_HOURS) || 8;
const TICK_MS = 250;
const HOUR = 3_600_000;
/** Ticks fed per turn of the event loop: 5,000 events, the ingress's per-turn budget. */
const TICKS_PER_TURN = 40;

const mb = (bytes: number): number => bytes / 1024 / 1024;

/** The resident set after a full, compacting collection and a pause for the freed pages to go back, MB. */
async function settledRss(): Promise<number> {
  setFlagsFromString('--compact-on-every-full-gc');
  globalThis.gc?.();
  setFlagsFromString('--no-compact-on-every-full-gc');
  await sleep(1_000);
  return mb(process.memoryUsage.rss());
}

async function show(): Promise<Record<string, number>> {
  const { db, dir } = freshDb();
  try {
    const path = enginePath(db);
    const room = new DemoRoom({ seed: 7, startTs: BENCH_START, rate: RATE });
    const end = BENCH_START + HOURS * HOUR;
    let fed = 0;
    let rssAtHour1 = 0;
    const started = performance.now();
    for (let t = BENCH_START + TICK_MS, ticks = 1; t <= end; t += TICK_MS, ticks++) {
      for (const e of room.eventsUntil(t)) {
        path.intake.frame(JSON.stringify(e));
        fed++;
      }
      path.tick();
      if ((t - BENCH_START) % HOUR === 0) {
        const rss = await settledRss();
        if (t - BENCH_START === HOUR) rssAtHour1 = rss;
        const { heapUsed, arrayBuffers } = process.memoryUsage();
        const line = { hour: (t - BENCH_START) / HOUR, events: fed, seconds: Math.round((performance.now() - started) / 1000), rssMb: Math.round(rss), heapMb: Math.round(mb(heapUsed)), arrayBuffersMb: Math.round(mb(arrayBuffers)) };
        process.stderr.write(`memory: ${JSON.stringify(line)}\n`);
      } else if (ticks % TICKS_PER_TURN === 0) await nextTurn();
    }
    path.finish(fed);
    const rssAtEnd = await settledRss();
    return {
      memory_events: fed,
      rss_growth_mb: rssAtEnd - rssAtHour1,
      peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const memory: Benchmark = {
  name: 'memory',
  runs: 1,
  run() {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, number>) : reject(new Error(`the memory bench's process exited with ${code}`))));
    });
  },
};

// The child: runs the show and prints its figures as one JSON line.
if (process.argv[1] === import.meta.filename) {
  show().then(
    (figures) => {
      process.stdout.write(JSON.stringify(figures));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
