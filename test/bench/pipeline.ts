// pipeline_events_per_s: 1,000,000 demo-room events as JSON text through the whole engine path —
// decode and validate (the intake), de-dup (the ingress), identify (the profile cache, over the demo
// CRM's customers), metrics with segment cuts, live tags, coupon triggers (the default pack), talking
// points, greetings, the feed and recording to a file database, with the engine's 250 ms flushes and
// snapshot views — against the machine's floor on the same text in the same run: JSON.parse plus a
// batched SQLite insert of each event (floor_events_per_s, pipeline_floor_ratio). The engine path is
// exported for the memory bench, which runs it for an 8-hour show.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveSession } from '../../src-main/engine/live-session';
import { Ingress } from '../../src-main/pipeline/ingress';
import { Pipeline } from '../../src-main/pipeline/pipeline';
import { ProfileCache } from '../../src-main/profiles/cache';
import { builtinSegments } from '../../src-main/profiles/segments';
import { demoCatalog } from '../../src-main/recommend/products';
import { Recommender } from '../../src-main/recommend/recommend';
import { IntentScorer } from '../../src-main/intent/model';
import { intentPrior } from '../../src-main/intent/prior';
import { demoAnswers } from '../../src-main/sources/demo/answers';
import { demoProfiles } from '../../src-main/sources/demo/audience';
import { Intake } from '../../src-main/sources/intake';
import { openDb, type Db } from '../../src-main/storage/db';
import { SecretBox } from '../../src-main/storage/secrets';
import { TriggerService } from '../../src-main/triggers/service';
import { applyRecords, demoRecords } from '../helpers/demo-records';
import { benchEvents } from './demo-events';
import type { Benchmark } from './run';

const FLUSH_MS = 250;
/** Lines fed per turn of the event loop: the ingress's per-turn budget, so nothing queues or drops. */
const TURN = 5_000;

let lines: string[] | undefined;
const benchLines = (): string[] => (lines ??= benchEvents().map((e) => JSON.stringify(e)));

/** A fresh file database in its own temporary folder. */
export function freshDb(): { db: Db; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'livedeck-pipeline-'));
  return { db: openDb(dir), dir };
}

export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The engine's path from a source's frames to the recording, over `db` (given the demo CRM's customers). */
export interface EnginePath {
  intake: Intake;
  /** What the engine's timer does every 250 ms: write buffers, build the snapshot's view and feed delta. */
  tick(): void;
  /** Processes what is queued, writes what is buffered and ends the recording; throws if an event was lost or a stage failed. */
  finish(expected: number): void;
}

export function enginePath(db: Db): EnginePath {
  applyRecords(db, demoRecords(demoProfiles()));
  const profiles = new ProfileCache(db);
  const triggers = new TriggerService(db, new SecretBox(randomBytes(32), 'file'));
  const recommender = new Recommender(demoCatalog);
  const intentScorer = new IntentScorer(intentPrior);
  recommender.refresh(db, { recordings: false });
  const session = new LiveSession('bench', { db, sources: ['bench'], segments: builtinSegments, profiles, answers: () => demoAnswers, triggers, recommender, catalog: demoCatalog, intent: () => intentScorer });
  const pipeline = new Pipeline((e) => profiles.identify(e), () => session.stages);
  const ingress = new Ingress(pipeline.process);
  const flush = (): void => {
    session.recorder.flush();
    profiles.flush();
    triggers.flush();
  };
  return {
    intake: new Intake({ id: 'bench', platform: 'other', roomId: '' }, ingress),
    tick() {
      flush();
      session.view();
      triggers.live(session.metrics.now);
      session.feed.takeFresh();
    },
    finish(expected) {
      ingress.flush();
      flush();
      if (pipeline.events !== expected || pipeline.stageErrors > 0) throw new Error(`pipeline saw ${pipeline.events} of ${expected} events, ${pipeline.stageErrors} stage errors (${pipeline.lastError})`);
      session.recorder.close();
    },
  };
}

async function full(): Promise<number> {
  const { db, dir } = freshDb();
  try {
    const path = enginePath(db);
    const all = benchLines();
    const started = performance.now();
    let flushed = started;
    for (let i = 0; i < all.length; i += TURN) {
      for (let j = i; j < Math.min(all.length, i + TURN); j++) path.intake.frame(all[j]);
      if (performance.now() - flushed >= FLUSH_MS) {
        path.tick();
        flushed = performance.now();
      }
      await nextTurn();
    }
    path.finish(all.length);
    return performance.now() - started;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function floor(): Promise<number> {
  const { db, dir } = freshDb();
  try {
    db.exec('CREATE TABLE floor (payload TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO floor (payload) VALUES (?)');
    const write = db.transaction((batch: string[]) => batch.forEach((line) => insert.run(line)));
    const all = benchLines();
    const started = performance.now();
    let flushed = started;
    let batch: string[] = [];
    let parsed = 0;
    for (let i = 0; i < all.length; i += TURN) {
      for (let j = i; j < Math.min(all.length, i + TURN); j++) {
        if (JSON.parse(all[j]) !== null) parsed++;
        batch.push(all[j]);
      }
      if (performance.now() - flushed >= FLUSH_MS) {
        write(batch);
        batch = [];
        flushed = performance.now();
      }
      await nextTurn();
    }
    write(batch);
    if (parsed !== all.length) throw new Error('floor lost events');
    return performance.now() - started;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const pipelineThroughput: Benchmark = {
  name: 'pipeline',
  runs: 3,
  async run() {
    const count = benchLines().length;
    const floorMs = await floor();
    const fullMs = await full();
    return {
      pipeline_events_per_s: (count * 1000) / fullMs,
      floor_events_per_s: (count * 1000) / floorMs,
      pipeline_floor_ratio: floorMs / fullMs,
    };
  },
};
