// enrich_events_per_s: identifying the person behind each of 1,000,000 demo-room events (their facts
// and tags, what every later stage reads), on a warm cache (every viewer seen once), with the demo audience's CRM customers
// in a file database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileCache } from '../../src-main/profiles/cache';
import { demoProfiles } from '../../src-main/sources/demo/audience';
import { openDb } from '../../src-main/storage/db';
import { applyRecords, demoRecords } from '../helpers/demo-records';
import { benchEvents } from './demo-events';
import type { Benchmark } from './run';

let cache: ProfileCache | undefined;

function warmCache(): ProfileCache {
  if (cache) return cache;
  const dir = mkdtempSync(join(tmpdir(), 'livedeck-enrich-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const db = openDb(dir);
  applyRecords(db, demoRecords(demoProfiles()));
  cache = new ProfileCache(db);
  for (const e of benchEvents()) cache.identify(e);
  cache.flush();
  return cache;
}

export const enrichThroughput: Benchmark = {
  name: 'enrich',
  runs: 5,
  async run() {
    const events = benchEvents();
    const profiles = warmCache();
    let tags = 0;
    const started = performance.now();
    for (const e of events) tags += profiles.identify(e)?.tags.size ?? 0;
    const ms = performance.now() - started;
    if (tags === 0) throw new Error('no tags: the cache found nobody the CRM knows');
    return { enrich_events_per_s: (events.length * 1000) / ms };
  },
};
