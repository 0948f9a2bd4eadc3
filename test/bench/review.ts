// The review of a recorded 1,000,000-event session (the demo room at 2,000 events/s, ~8 minutes):
// report_open_ms: its report as the review page opens it once the session ended (figures kept);
// report_rebuild_ms: the same for a session cut off before its report was kept (read back from the
// recording, once); replay_speedup: session time over wall time when a replay runs through the
// whole session as fast as it can (a seek to the end).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionReplay } from '../../src-main/review/replay';
import { sessionReport } from '../../src-main/review/report';
import { openDb } from '../../src-main/storage/db';
import { Sessions } from '../../src-main/storage/sessions';
import { emptyLibrary } from '../../src-main/talking/answers';
import { benchEvents, recordSession } from './demo-events';
import type { Benchmark } from './run';

export const review: Benchmark = {
  name: 'review',
  runs: 3,
  async run() {
    const events = benchEvents();
    const dir = mkdtempSync(join(tmpdir(), 'livedeck-bench-'));
    try {
      const db = openDb(dir);
      const { id } = recordSession(db, events).session;
      const sessions = new Sessions(db);
      const timed = (work: () => unknown): number => {
        const started = performance.now();
        work();
        return performance.now() - started;
      };
      const rebuildMs = timed(() => sessionReport(db, sessions, id));
      let opened: ReturnType<typeof sessionReport> = null;
      const openMs = timed(() => (opened = sessionReport(db, sessions, id)));
      if (opened!.summary.events !== events.length) throw new Error(`report of ${opened!.summary.events} events`);
      const replay = new SessionReplay(db, sessions.get(id)!, [], () => emptyLibrary);
      const replayMs = timed(() => replay.seek(Number.MAX_SAFE_INTEGER));
      if (replay.state.events !== events.length) throw new Error(`replayed ${replay.state.events} of ${events.length}`);
      db.close();
      return {
        report_open_ms: openMs,
        report_rebuild_ms: rebuildMs,
        replay_speedup: (events.at(-1)!.ts - events[0].ts) / replayMs,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
