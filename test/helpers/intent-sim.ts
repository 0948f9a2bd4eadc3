// The intent model on the demo room, for tests, the benchmark and the prior script (no vitest here):
// a profile cache over a temporary store holding the demo audience's CRM customers, demo sessions
// played into training rows, and a model trained on some seeds and measured on others.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveEvent } from '../../src-main/events/live-event';
import { Dataset } from '../../src-main/intent/dataset';
import type { IntentModel } from '../../src-main/intent/model';
import { fitModel } from '../../src-main/intent/train';
import { ProfileCache } from '../../src-main/profiles/cache';
import { demoProfiles } from '../../src-main/sources/demo/audience';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';
import { openDb, type Db } from '../../src-main/storage/db';
import { applyRecords, demoRecords } from './demo-records';

export const SIM_START = Date.UTC(2026, 10, 23, 12);
const MINUTE = 60_000;

export interface SimSessions {
  seeds: readonly number[];
  minutes: number;
  /** Events per second. */
  rate: number;
}

/** A store holding the demo CRM, in `dir` (by default a temporary directory removed at exit). */
export function demoStore(dir?: string): Db {
  if (!dir) {
    const made = (dir = mkdtempSync(join(tmpdir(), 'livedeck-intent-')));
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  const db = openDb(dir);
  applyRecords(db, demoRecords(demoProfiles()));
  return db;
}

/** A session of the demo room: `minutes` at `rate` events/s from SIM_START. */
export function demoSession(seed: number, minutes: number, rate: number): LiveEvent[] {
  return new DemoRoom({ seed, startTs: SIM_START, rate }).eventsUntil(SIM_START + minutes * MINUTE - 1);
}

/** The sessions' snapshots, their viewers identified by `cache`. */
export function simulatedRows(cache: ProfileCache, { seeds, minutes, rate }: SimSessions): Dataset {
  const dataset = new Dataset();
  for (const seed of seeds) {
    dataset.startSession();
    for (const e of demoSession(seed, minutes, rate)) dataset.add(e, cache.identify(e));
    dataset.endSession();
  }
  return dataset;
}

/** A model trained on the `train` sessions and measured on the `heldOut` ones. */
export function trainOnDemo(cache: ProfileCache, train: SimSessions, heldOut: SimSessions, now = SIM_START): Promise<IntentModel> {
  return fitModel(simulatedRows(cache, train).take(), simulatedRows(cache, heldOut).take(), train.seeds.length, { now });
}
