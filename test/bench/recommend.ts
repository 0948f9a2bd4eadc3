// recommend_ms: one next-product recommendation (the median of 50) for a room of 10,000 present
// viewers whose facts the profile cache read from a file database holding 10,000 demo CRM customers
// (their tags, levels and past orders), over the demo lineup with a product on air and recent
// questions. copurchase_build_ms: rebuilding the co-purchase model from that store's order lines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileCache } from '../../src-main/profiles/cache';
import type { PersonFacts } from '../../src-main/profiles/person';
import { Lineup } from '../../src-main/recommend/lineup';
import { demoCatalog } from '../../src-main/recommend/products';
import { Recommender, type Room } from '../../src-main/recommend/recommend';
import { DEFAULT_PROFILE_SEED, demoProfiles, HISTORY_END } from '../../src-main/sources/demo/audience';
import { products, type DemoPlatform } from '../../src-main/sources/demo/catalog';
import { openDb, type Db } from '../../src-main/storage/db';
import { applyRecords, demoRecords } from '../helpers/demo-records';
import type { Benchmark } from './run';

const PRESENT = 10_000;
const CALLS = 50;

let setup: { db: Db; room: Room } | undefined;

/** The store, and a room of every customer present (facts as the live cache reads them). */
function prepare(): { db: Db; room: Room } {
  if (setup) return setup;
  const dir = mkdtempSync(join(tmpdir(), 'livedeck-recommend-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const db = openDb(dir);
  const profiles = demoProfiles(DEFAULT_PROFILE_SEED, PRESENT);
  applyRecords(db, demoRecords(profiles));
  const cache = new ProfileCache(db, PRESENT * 2);
  const now = HISTORY_END;
  const present: PersonFacts[] = profiles.map((p, i) => {
    const [platform, uid] = Object.entries(p.uids)[0] as [DemoPlatform, string];
    const facts = cache.identify({ kind: 'enter', id: `e${i}`, platform, roomId: 'r', ts: now, recvTs: now, user: { id: uid, name: p.name } });
    if (!facts) throw new Error(`the cache did not find ${uid}`);
    return facts;
  });
  const lineup = new Lineup(demoCatalog);
  products.forEach((p, i) => lineup.observe({ kind: 'product_switch', id: `s${i}`, platform: 'douyin', roomId: 'r', ts: now - (8 - i) * 300_000, recvTs: now, productId: p.id }));
  const questions = new Map(products.map((p, i) => [p.id, (i * 7) % 11]));
  setup = { db, room: { ...lineup.view(), present, questions, now } };
  return setup;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

export const recommendBench: Benchmark = {
  name: 'recommend',
  runs: 3,
  async run() {
    const { db, room } = prepare();
    const recommender = new Recommender(demoCatalog);
    const built = performance.now();
    recommender.refresh(db);
    const buildMs = performance.now() - built;
    const times: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const started = performance.now();
      const result = recommender.recommend(room);
      times.push(performance.now() - started);
      if (result.present !== PRESENT || result.ranked.length === 0) throw new Error('the recommendation counted the wrong room');
    }
    return { recommend_ms: median(times), copurchase_build_ms: buildMs };
  },
};
