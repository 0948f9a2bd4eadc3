// rules_events_per_s: the coupon trigger engine with the default rule pack over the 1,000,000
// demo-room events, writing every decision to a file database, flushed every 250 ms of wall time as
// the engine's snapshot timer flushes. The person behind each event comes from a profile cache warmed
// over the demo CRM before timing (one PersonFacts object per platform user); the room view is a
// plain object updated as the events go. rules_decisions: the audit rows the run wrote.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveEvent } from '../../src-main/events/live-event';
import { ProfileCache } from '../../src-main/profiles/cache';
import type { PersonFacts } from '../../src-main/profiles/person';
import { builtinSegments } from '../../src-main/profiles/segments';
import { demoProfiles } from '../../src-main/sources/demo/audience';
import { openDb } from '../../src-main/storage/db';
import { defaultRules, defaultTemplates } from '../../src-main/triggers/default-pack';
import { TriggerEngine } from '../../src-main/triggers/trigger-engine';
import { applyRecords, demoRecords } from '../helpers/demo-records';
import { benchEvents } from './demo-events';
import type { Benchmark } from './run';

const FLUSH_EVERY_MS = 250;
const INTERACTIONS = new Set(['chat', 'like', 'gift', 'share', 'follow']);

const dirs: string[] = [];
process.on('exit', () => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'livedeck-rules-'));
  dirs.push(dir);
  return dir;
}

let persons: (PersonFacts | undefined)[] | undefined;

/** The person behind each event, identified once. */
function personsOf(events: LiveEvent[]): (PersonFacts | undefined)[] {
  if (persons) return persons;
  const db = openDb(freshDir());
  applyRecords(db, demoRecords(demoProfiles()));
  const cache = new ProfileCache(db);
  persons = events.map((e) => cache.identify(e));
  cache.flush();
  db.close();
  return persons;
}

export const rulesThroughput: Benchmark = {
  name: 'rules',
  runs: 5,
  async run() {
    const events = benchEvents();
    const people = personsOf(events);
    const db = openDb(freshDir());
    let decisions = 0;
    const engine = new TriggerEngine(db, {
      sessionId: 'bench',
      rules: defaultRules,
      templates: defaultTemplates,
      segments: builtinSegments,
      salt: 'bench-salt',
      onDecision: () => decisions++,
    });
    const room = { online: 0, productOnAir: undefined as string | undefined, interactionRate: [] as number[] };
    const onlineBy = new Map<string, number>();
    let minute = Math.floor(events[0].ts / 60_000);
    let interactions = 0;
    const started = performance.now();
    let flushed = started;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const m = Math.floor(e.ts / 60_000);
      if (m !== minute) {
        room.interactionRate.push(room.online > 0 ? interactions / room.online : 0);
        if (room.interactionRate.length > 30) room.interactionRate.shift();
        minute = m;
        interactions = 0;
      }
      if (INTERACTIONS.has(e.kind)) interactions++;
      else if (e.kind === 'viewer_stats') {
        const key = `${e.platform}:${e.roomId}`;
        room.online += e.online - (onlineBy.get(key) ?? 0);
        onlineBy.set(key, e.online);
      } else if (e.kind === 'product_switch') room.productOnAir = e.productId;
      engine.observe(e, people[i], room);
      if ((i & 1023) === 0 && performance.now() - flushed >= FLUSH_EVERY_MS) {
        engine.flush();
        flushed = performance.now();
      }
    }
    engine.flush();
    const ms = performance.now() - started;
    db.close();
    if (decisions === 0) throw new Error('the default pack decided nothing on the demo room');
    return { rules_events_per_s: (events.length * 1000) / ms, rules_decisions: decisions };
  },
};
