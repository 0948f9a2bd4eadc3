// record_events_per_s: the 1,000,000 demo-room events through Recorder.add into a file database,
// flushed every 250 ms of event time as the recorder's timer would at the demo's rate, wall time up
// to and including the final flush; bytes_per_event: the database file after a checkpoint divided by
// the events; replay_events_per_s: reading the whole session back in order.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DB_FILE, openDb } from '../../src-main/storage/db';
import { readEvents } from '../../src-main/storage/event-log';
import { benchEvents, recordSession } from './demo-events';
import type { Benchmark } from './run';

export const recording: Benchmark = {
  name: 'recording',
  runs: 3,
  async run() {
    const all = benchEvents();
    const dir = mkdtempSync(join(tmpdir(), 'livedeck-bench-'));
    try {
      const db = openDb(dir);
      const started = performance.now();
      const recorder = recordSession(db, all);
      const recordMs = performance.now() - started;
      db.pragma('wal_checkpoint(TRUNCATE)');
      const bytes = statSync(join(dir, DB_FILE)).size;
      const replayStarted = performance.now();
      let replayed = 0;
      for (const e of readEvents(db, recorder.session.id)) replayed += e.ts > 0 ? 1 : 0;
      const replayMs = performance.now() - replayStarted;
      db.close();
      if (replayed !== all.length) throw new Error(`replayed ${replayed} of ${all.length} events`);
      return {
        record_events_per_s: (all.length * 1000) / recordMs,
        bytes_per_event: bytes / all.length,
        replay_events_per_s: (all.length * 1000) / replayMs,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
