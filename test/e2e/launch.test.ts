// `npm start` on a machine without the Electron binary (offline installs, CI): one clear line, then
// browser mode on a printed URL, within 15 seconds.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';

const root = join(import.meta.dirname, '..', '..');

function electronInstalled(): boolean {
  try {
    return existsSync(createRequire(import.meta.url)('electron') as string);
  } catch {
    return false;
  }
}

describe.skipIf(electronInstalled())('npm start without the Electron binary', () => {
  it('says so in one line and serves browser mode on the printed URL', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(root, 'out', 'main', 'launch.js'), '--port', '0', '--data-dir', join(tempDir(), 'd')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /running: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
          if (match) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stdout}`)));
      });
      expect(Date.now() - started).toBeLessThan(15_000);
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^Electron binary is not installed .*browser mode instead\.$/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('LiveDeck');
    } finally {
      child.kill('SIGTERM');
    }
  }, 20_000);
});
