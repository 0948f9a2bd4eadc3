// Issue #11, the resilience soak: the engine as the app runs it (SQLite in a data folder, the JSON
// WebSocket source) against a relay that, cycle after cycle for about half a minute, floods, sends
// garbage between valid events, drops the connection and stalls. Afterwards the recording holds every
// event the relay sent exactly once and unchanged, every bad input is counted under its reason, the
// heap did not grow from cycle to cycle, and the database passes integrity_check.
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import type { SourceHealth } from '../../src-main/contract';
import { Engine } from '../../src-main/engine/engine';
import { DB_FILE } from '../../src-main/storage/db';
import { countEvents, readEvents } from '../../src-main/storage/event-log';
import { until } from '../helpers/collect';
import { tempDir } from '../helpers/temp-dir';
import { ChaosRelay } from './chaos-relay';
import { settledHeapMb } from './heap';
import { intact, numberOf } from './traffic';

const CYCLES = 6;
const FLOOD_PER_SEC = 50_000;
/** Cycles before the heap is taken as the baseline: the room's viewers, caches and JIT have settled. */
const WARM_UP_CYCLES = 2;
/**
 * How far the settled heap may rise above the baseline in any later cycle. It stays within about 1 MB;
 * a leak of one small object per event (some 30 bytes) passes 8 MB within the run (13.5 MB, measured).
 */
const HEAP_SLACK_MB = 8;

/** Blocks the thread for `ms`. */
function freeze(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

it('records every event exactly once, counts every bad input and stays flat in memory through floods, garbage, drops and stalls', async () => {
  const started = performance.now();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const relay = await ChaosRelay.start();
  const dataDir = tempDir();
  engine = new Engine({ dataDir, version: 'soak' });
  await engine.handlers.setSourceEnabled({ id: 'demo', enabled: false });
  await engine.handlers.saveSource({
    id: 'relay',
    name: '压测中继',
    type: 'ws',
    platform: 'douyin',
    roomId: '',
    giftCounts: 'increment',
    enabled: true,
    url: relay.url,
    silenceSec: 0.8,
    heartbeatSec: 0.2,
  });
  const sessionId = (await engine.handlers.getInfo({})).session.id;
  let snapshots = 0;
  engine.onPush((push) => {
    if (push.stream === 'snapshot') snapshots++;
  });
  const source = async (): Promise<SourceHealth> => (await engine!.handlers.listSources({})).find((v) => v.config.id === 'relay')!.health;
  const caughtUp = async (): Promise<boolean> => (await engine!.handlers.getSnapshot({})).health.queued === 0;

  const connected = relay.nextConnection();
  engine.start();
  await connected;

  const heapMb: number[] = [];
  const stallsMs: number[] = [];
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    await until(caughtUp, 10_000, 'the pipeline to catch up');
    heapMb.push(settledHeapMb());
    const ticked = snapshots;
    await relay.flood(1_000, FLOOD_PER_SEC);
    if (cycle % 2 === 1) {
      // The relay has more to say, and the whole process stops meanwhile (a long GC pause, the CPU
      // given to others, a laptop waking up): its frames wait unread, and the line is not silent.
      await relay.flushed();
      relay.burst(1_000);
      freeze(1_000);
    }
    await relay.garbage(250);
    // Still on the same connection (two reconnects a cycle, both the relay's doing): neither the flood
    // nor the freeze passed for silence.
    const { state, reconnects } = await source();
    expect({ state, reconnects }).toEqual({ state: 'connected', reconnects: 2 * cycle });
    await relay.flood(100, 2_000);
    // A relay flushing a big backlog, then gone: the client is still reading behind it.
    if (cycle % 2 === 0) relay.burst(40_000);
    await relay.drop(cycle % 2 === 0 ? 'terminate' : 'oversized');
    await relay.flood(400, FLOOD_PER_SEC);
    stallsMs.push(await relay.stall());
    // The snapshot cadence (250 ms) went on through the cycle.
    expect(snapshots - ticked).toBeGreaterThanOrEqual(8);
  }
  await relay.settle();
  expect(relay.unsent()).toEqual([]);
  // Everything sent reaches the pipeline within seconds; whatever has not by then is lost (and counted below).
  await until(async () => (await source()).accepted >= relay.made, 10_000).catch(() => undefined);
  await until(caughtUp, 10_000, 'the pipeline to catch up');
  heapMb.push(settledHeapMb());

  // What the source counted: every event once, every bad input under its reason, the rest repeats.
  const health = await source();
  const errors = Object.values(relay.owed).reduce((a, b) => a + b, 0);
  expect(health.accepted).toBe(relay.made);
  expect(health.dropped).toBe(0);
  expect(health.errorsByReason).toEqual(relay.owed);
  expect(health.errors).toBe(errors);
  expect(health.received).toBe(health.accepted + health.duplicates + health.errors);
  // Every copy written arrived, even those written just before the relay hung up: the repeats are
  // exactly the copies beyond the first (the replays after each reconnect, the repeats within floods).
  expect(health.duplicates).toBe(relay.copies - relay.made);
  // One reconnect per connection the relay dropped or stalled, none because the floods were mistaken for silence.
  expect(health.reconnects).toBe(relay.connections - 1);
  expect(relay.connections).toBe(1 + 2 * CYCLES);
  expect(health.state).toBe('connected');
  const engineHealth = (await engine.handlers.getSnapshot({})).health;
  expect(engineHealth.dropped).toBe(0);
  expect(engineHealth.errors).toBe(errors); // no pipeline stage threw
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();

  // Memory: after the warm-up, the settled heap stays within a bound of its baseline, cycle after cycle.
  const baseline = heapMb[WARM_UP_CYCLES];
  expect(Math.max(...heapMb.slice(WARM_UP_CYCLES)) - baseline).toBeLessThan(HEAP_SLACK_MB);

  await engine.stop();
  engine = undefined;

  // The recording: intact, every sent event exactly once, field for field as sent.
  const db = new Database(join(dataDir, DB_FILE), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const times = new Uint8Array(relay.made + 1);
    let read = 0;
    let foreign = 0;
    let altered = 0;
    for (const e of readEvents(db, sessionId)) {
      read++;
      const n = numberOf(e.id);
      if (!(n <= relay.made)) foreign++;
      else if (times[n]++ === 0 && !intact(e, n, relay.baseTs)) altered++;
    }
    let missing = 0;
    let doubled = 0;
    for (let n = 1; n <= relay.made; n++) {
      if (times[n] === 0) missing++;
      else if (times[n] > 1) doubled++;
    }
    expect({ read, counted: countEvents(db, sessionId), missing, doubled, foreign, altered }).toEqual({
      read: relay.made,
      counted: relay.made,
      missing: 0,
      doubled: 0,
      foreign: 0,
      altered: 0,
    });
    expect(db.prepare('SELECT status FROM sessions WHERE id = ?').pluck().get(sessionId)).toBe('ended');
  } finally {
    db.close();
  }

  loopDelay.disable();
  const seconds = (performance.now() - started) / 1000;
  console.info(
    `soak: ${relay.made} events (${Math.round(relay.made / seconds)}/s over ${seconds.toFixed(1)} s), ${health.duplicates} repeats, ` +
      `${errors} bad inputs, ${relay.connections - 1} reconnects (stall detected in ${Math.round(Math.min(...stallsMs))}–${Math.round(Math.max(...stallsMs))} ms), ` +
      `heap MB per cycle ${heapMb.map((h) => h.toFixed(1)).join(' ')}, loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms max ${(loopDelay.max / 1e6).toFixed(0)} ms`,
  );
}, 90_000);
