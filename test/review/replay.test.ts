import { afterEach, describe, expect, it } from 'vitest';
import type { ReplayFrame, Snapshot } from '../../src-main/contract';
import { Engine } from '../../src-main/engine/engine';
import { SessionReplay } from '../../src-main/review/replay';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';
import { openDb } from '../../src-main/storage/db';
import { Recorder } from '../../src-main/storage/recorder';
import { Sessions } from '../../src-main/storage/sessions';
import { emptyLibrary } from '../../src-main/talking/answers';
import { tempDir } from '../helpers/temp-dir';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

const START = Date.UTC(2026, 10, 20, 12);
const MINUTE = 60_000;

/** A recorded ten-minute demo session with two notes, in a fresh database. */
function recordedSession() {
  const db = openDb(tempDir());
  const recorder = new Recorder(db, '回放测试', ['demo']);
  const events = new DemoRoom({ seed: 3, startTs: START, rate: 200 }).eventsUntil(START + 10 * MINUTE);
  for (const e of events) recorder.add(e);
  recorder.close();
  const sessions = new Sessions(db);
  const id = recorder.session.id;
  sessions.annotate(id, START + 2 * MINUTE, '福袋开始');
  sessions.annotate(id, START + 6 * MINUTE, '尺码', 'point');
  let wall = 1_000_000;
  const clock = { advance: (ms: number) => (wall += ms) };
  const replay = new SessionReplay(db, sessions.get(id)!, sessions.annotations(id), () => emptyLibrary, () => wall);
  return { db, events, replay, clock };
}

describe('replaying a recorded session', () => {
  it('plays at its speed, pauses, seeks back and forth, and marks notes as it passes them', () => {
    const { events, replay, clock } = recordedSession();
    const upTo = (ts: number) => events.filter((e) => e.ts <= ts).length;
    const first = events[0].ts;
    expect(replay.state).toMatchObject({ startTs: first, endTs: events.at(-1)!.ts, position: first, events: 0, total: events.length, playing: true });

    replay.setSpeed(10);
    clock.advance(6_000); // one simulated minute
    replay.tick();
    expect(replay.state.position).toBe(first + MINUTE);
    expect(replay.state.events).toBe(upTo(first + MINUTE));

    replay.play(false);
    clock.advance(60_000);
    replay.tick();
    expect(replay.state.position).toBe(first + MINUTE);

    replay.seek(START + 7 * MINUTE);
    expect(replay.state.events).toBe(upTo(START + 7 * MINUTE));
    const markers = replay.frame(false).snapshot.markers.filter((m) => m.kind === 'note' || m.kind === 'point');
    expect(markers.map((m) => m.label)).toEqual(['福袋开始', '尺码']);

    replay.seek(START + 3 * MINUTE); // back: starts over
    expect(replay.state.events).toBe(upTo(START + 3 * MINUTE));
    expect(replay.frame(true).snapshot.markers.filter((m) => m.kind === 'point')).toEqual([]);

    replay.setSpeed(1000); // capped
    expect(replay.state.speed).toBe(100);
    replay.play(true);
    // 100× a 10-minute session takes 6 s; a tick applies at most 50,000 events, so a busy room takes a few.
    for (let i = 0; i < 10 && !replay.state.ended; i++) {
      clock.advance(6_000);
      replay.tick();
    }
    expect(replay.state).toMatchObject({ ended: true, playing: false, events: events.length, errors: 0 });
  });

  it('never writes: the profile store, the triggers and the recording are as they were', () => {
    const { db, replay } = recordedSession();
    const counts = () =>
      ['persons', 'identities', 'tags', 'trigger_decisions', 'event_chunks', 'session_notes', 'sessions'].map((t) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get());
    const before = counts();
    replay.seek(Number.MAX_SAFE_INTEGER);
    expect(replay.state.ended).toBe(true);
    expect(counts()).toEqual(before);
  });

  it('through the engine reproduces the live dashboards exactly, on the replay stream', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't', demo: { seed: 21, rate: 800 }, snapshotEveryMs: 50 });
    const frames: Snapshot[] = [];
    engine.onPush((p) => {
      if (p.stream === 'replay') frames.push((p.payload as ReplayFrame).snapshot);
    });
    engine.start();
    await new Promise((r) => setTimeout(r, 1500));
    for (const source of await engine.handlers.listSources({})) await engine.handlers.setSourceEnabled({ id: source.config.id, enabled: false });
    const live = await engine.handlers.getSnapshot({});
    await engine.handlers.startSession({ title: '下一场' });

    const opened = (await engine.handlers.openReplay({ id: live.session.id }))!;
    expect(opened.state).toMatchObject({ sessionId: live.session.id, events: 0, playing: true });
    const state = (await engine.handlers.steerReplay({ seekTs: opened.state.endTs, playing: false }))!;
    expect(state).toMatchObject({ ended: true, events: live.health.events, playing: false });
    const atEnd = frames.at(-1)!;
    expect(atEnd.kpis).toEqual(live.kpis);
    expect(atEnd.platforms).toEqual(live.platforms);
    expect(atEnd.products).toEqual(live.products);
    expect(atEnd.trend).toEqual(live.trend);
    expect(atEnd.points.map((p) => p.question)).toEqual(live.points.map((p) => p.question));
    expect(atEnd.feed.map((f) => f.id)).toEqual(live.feed.map((f) => f.id));
    expect(await engine.handlers.openReplay({ id: 'nope' })).toBeNull();
    await engine.handlers.closeReplay({});
    expect(await engine.handlers.steerReplay({ playing: true })).toBeNull();
  });
});
