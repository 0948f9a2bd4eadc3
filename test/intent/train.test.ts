// Retraining from the Review page: demo sessions recorded into a real SQLite file the way the live
// pipeline records them (the recorder, the profile cache writing the orders paid live), then trained
// on with a progress callback, saved, and loaded back. No mocks.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src-main/events/live-event';
import { PersonHistory } from '../../src-main/intent/history';
import { intentPrior } from '../../src-main/intent/prior';
import { INTENT_MODEL_KEY, loadIntentModel } from '../../src-main/intent/store';
import { trainIntent } from '../../src-main/intent/train';
import { ProfileCache } from '../../src-main/profiles/cache';
import { demoProfiles } from '../../src-main/sources/demo/audience';
import { openDb, type Db } from '../../src-main/storage/db';
import { Recorder } from '../../src-main/storage/recorder';
import { writeValue } from '../../src-main/storage/settings-store';
import { demoSession, demoStore } from '../helpers/intent-sim';
import { tempDir } from '../helpers/temp-dir';

const profiles = demoProfiles();


/** Records the events as a live session would: identified, orders paid written to the profile store. */
function record(db: Db, events: LiveEvent[]): string {
  const recorder = new Recorder(db, 'demo', ['demo']);
  const cache = new ProfileCache(db);
  for (const e of events) {
    const person = cache.identify(e);
    if (person && e.kind === 'order_paid') cache.recordOrder(person, e);
    recorder.add(e);
  }
  recorder.close();
  cache.flush();
  return recorder.session.id;
}

describe('training the intent model from recorded sessions', () => {
  let db: Db;
  let sessions: LiveEvent[][];
  beforeAll(() => {
    db = demoStore(tempDir());
    sessions = [demoSession(11, 45, 20), demoSession(12, 45, 20)];
    for (const events of sessions) record(db, events);
  }, 20_000);

  it('uses the shipped prior until a model is trained, and after a saved one goes bad', () => {
    const fresh = openDb(tempDir());
    expect(loadIntentModel(fresh)).toBe(intentPrior);
    writeValue(fresh, INTENT_MODEL_KEY, { version: 1, weights: 'no' });
    expect(loadIntentModel(fresh)).toBe(intentPrior);
  });

  it('sees a recorded viewer as they were then: orders they paid in the session are not their history', () => {
    const paid = sessions[0].find((e) => e.kind === 'order_paid' && profiles.some((p) => p.uids.douyin === e.user?.id))!;
    const profile = profiles.find((p) => p.uids.douyin === paid.user!.id)!;
    const first = sessions[0].find((e) => e.platform === 'douyin' && e.user?.id === profile.uids.douyin)!;
    const then = new PersonHistory(db).identify(first)!;
    expect(then.provisional).toBe(false);
    expect(then.traits.orders).toBe(profile.orders.length);
    expect(then.level).toBe(profile.level);
    expect([...then.tags].sort()).toEqual([...profile.tags].sort());
    // The store itself now counts the order paid live.
    expect(new ProfileCache(db).identify(paid)!.traits.orders).toBeGreaterThan(profile.orders.length);
    // A viewer the store never heard of is a provisional person of their own.
    const stranger = new PersonHistory(db).identify({ ...first, user: { id: 'dy_nobody', name: '' } })!;
    expect(stranger).toMatchObject({ provisional: true, platforms: ['douyin'] });
    expect(stranger.id).toBeLessThan(0);
  });

  it('trains with a moving progress bar, without blocking the event loop, measures on held-out viewers and saves the model', async () => {
    const progress: number[] = [];
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const model = await trainIntent(db, { onProgress: (f) => progress.push(f), now: () => 1_800_000_000_000 });
    clearInterval(ticker);
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]))).toBe(true);
    expect(ticks).toBeGreaterThan(3);
    expect(model.trainedOn.sessions).toBe(2);
    expect(model.trainedAt).toBe(1_800_000_000_000);
    expect(model.heldOut.positives).toBeGreaterThan(20);
    expect(model.heldOut.auc).toBeGreaterThan(0.7);
    expect(model.heldOut.logLoss).toBeLessThan(model.heldOut.baseLogLoss);
    expect(loadIntentModel(db)).toEqual(model);
  });

  it('refuses to train on too little, saying why, and keeps the model in force', async () => {
    const small = demoStore(tempDir());
    record(small, demoSession(13, 2, 5));
    await expect(trainIntent(small)).rejects.toThrow(/not enough to learn from/);
    expect(loadIntentModel(small)).toBe(intentPrior);
  });
});
