// Recording survives a hard kill: a child process records the demo room at a high rate and is killed
// with SIGKILL; the database passes integrity_check, at most the last second of events is lost, and
// the session reopens marked interrupted with its events intact.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { DB_FILE } from '../../src-main/storage/db';
import { countEvents, readEvents } from '../../src-main/storage/event-log';
import { tempDir } from '../helpers/temp-dir';

const RATE = 5_000;
const root = join(import.meta.dirname, '..', '..');

describe('recording under a hard kill', () => {
  it('loses at most a second of events, keeps the database intact, and marks the session interrupted', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'helpers', 'recording-child.ts'), dataDir, String(RATE)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last: { events: number; session: string } | undefined;
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) last = JSON.parse(line);
        // Kill mid-stream, once a few seconds of a high-rate room have been recorded.
        if (last && last.events > RATE * 3) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    await new Promise((r) => child.once('exit', r));

    const db = new Database(join(dataDir, DB_FILE));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const recorded = [...readEvents(db, last!.session)].length;
    expect(countEvents(db, last!.session)).toBe(recorded);
    // The child had processed `last.events` when it last reported (within 100 ms of the kill).
    expect(recorded).toBeGreaterThanOrEqual(last!.events - RATE);
    expect(db.prepare('SELECT status FROM sessions WHERE id = ?').pluck().get(last!.session)).toBe('live');
    db.close();

    // The next start finds the session cut off and says so; its events stay.
    const engine = new Engine({ dataDir, version: 't', demo: { rate: 10 } });
    const reopened = new Database(join(dataDir, DB_FILE), { readonly: true });
    expect(reopened.prepare('SELECT status FROM sessions WHERE id = ?').pluck().get(last!.session)).toBe('interrupted');
    expect([...readEvents(reopened, last!.session)]).toHaveLength(recorded);
    reopened.close();
    await engine.stop();
  }, 60_000);
});
