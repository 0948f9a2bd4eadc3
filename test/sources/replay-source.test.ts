// Replaying an NDJSON recording on a virtual clock: speed, pause, seek, and what it does with bad lines.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplaySource, scanRange } from '../../src-main/sources/replay-source';
import { collector, relayEvent, until } from '../helpers/collect';
import { tempDir } from '../helpers/temp-dir';

const T0 = 1_790_000_000_000;
let source: ReplaySource | undefined;
afterEach(() => {
  source?.stop();
  source = undefined;
});

/** `count` events one second apart, with one broken line in the middle. */
function recording(count: number): string {
  const lines = Array.from({ length: count }, (_, i) => JSON.stringify({ ...relayEvent(i + 1), ts: T0 + i * 1000 }));
  lines.splice(count / 2, 0, '{"id": "broken", "ts": ' + (T0 + 1) + ', ');
  const path = join(tempDir(), 'session.ndjson');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('replay source', () => {
  it('finds the recording’s time range', () => {
    expect(scanRange(recording(100))).toEqual({ start: T0, end: T0 + 99_000 });
  });

  it('plays a 100-second recording at 1000× in about 0.1 s, keeping event times, counting the bad line', async () => {
    const { events, intake } = collector();
    source = new ReplaySource({ path: recording(100), speed: 1000 });
    const started = Date.now();
    source.start(intake);
    await until(() => intake.snapshot().state === 'ended', 5_000, 'the end');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(events.map((e) => e.ts)).toEqual(Array.from({ length: 100 }, (_, i) => T0 + i * 1000));
    expect(intake.snapshot().errorsByReason).toEqual({ bad_json: 1 });
  });

  it('plays at 1× in real time, pauses, resumes, and seeks', async () => {
    const { events, intake } = collector();
    source = new ReplaySource({ path: recording(100), speed: 1 });
    source.start(intake);
    await until(() => events.length >= 1, 2_000, 'the first event');
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toHaveLength(1); // the next one is a second away

    source.pause();
    source.seek(T0 + 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toHaveLength(1);
    expect(intake.snapshot().state).toBe('paused');
    expect(source.status().replay).toMatchObject({ position: T0 + 10_000, paused: true });

    source.resume();
    await until(() => events.length >= 2, 2_000, 'the event at the seek point');
    expect(events[1].ts).toBe(T0 + 10_000); // 1 s .. 9 s were skipped

    source.setSpeed(1000);
    await until(() => intake.snapshot().state === 'ended', 5_000, 'the end');
    expect(events.at(-1)!.ts).toBe(T0 + 99_000);
  });

  it('replays again after seeking back, as new events rather than duplicates', async () => {
    const { events, intake } = collector();
    source = new ReplaySource({ path: recording(20), speed: 1000 });
    source.start(intake);
    await until(() => intake.snapshot().state === 'ended');
    source.seek(T0 + 15_000);
    await until(() => events.length === 25, 5_000, 'the second pass');
    expect(events.slice(20).map((e) => e.id)).toEqual(['m16~r1', 'm17~r1', 'm18~r1', 'm19~r1', 'm20~r1']);
    expect(intake.snapshot().duplicates).toBe(0);
  });

  it('reports a missing file as an error, without throwing', () => {
    const { intake } = collector();
    source = new ReplaySource({ path: join(tempDir(), 'nope.ndjson'), speed: 1 });
    source.start(intake);
    expect(intake.snapshot()).toMatchObject({ state: 'error', detail: expect.stringMatching(/ENOENT/) });
  });
});
