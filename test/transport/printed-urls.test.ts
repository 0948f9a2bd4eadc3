// What browser mode prints when it starts with a token (`npm run web -- --host … --token …`, built by
// `npx electron-vite build`): where to open it, never the token itself; the overlay's URL with its
// derived read-only token, which is how the operator gets it. And no console line anywhere in the
// engine interpolates a token, secret, cookie, password or a URL that could carry one.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';

const root = join(import.meta.dirname, '..', '..');
const TOKEN = 'tok-4bd8f0a1c2e3d4f5a6b7c8d9';

/** Starts `out/main/web.js`, hands `check` what it printed up to its data line, then stops it. */
async function whenStarted(args: string[], env: Record<string, string>, check: (printed: string) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, [join(root, 'out', 'main', 'web.js'), '--port', '0', '--data-dir', join(tempDir(), 'd'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  try {
    const printed = await new Promise<string>((resolve, reject) => {
      let out = '';
      const take = (chunk: Buffer): void => {
        out += chunk.toString();
        if (/\n\s*data: .*\n/.test(out)) resolve(out);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    await check(printed);
  } finally {
    child.kill('SIGTERM');
  }
}

describe('what browser mode prints', () => {
  it.each([
    ['--token', ['--host', '127.0.0.1', '--token', TOKEN], {}],
    ['LIVEDECK_TOKEN', ['--host', '127.0.0.1'], { LIVEDECK_TOKEN: TOKEN }],
  ])('never prints the token (given by %s), only where to open it and the read-only overlay URL', async (_how, args, env) => {
    await whenStarted(args, env, async (printed) => {
      expect(printed).not.toContain(TOKEN);
      expect(printed).toMatch(/running: http:\/\/127\.0\.0\.1:\d+\/\?token=<your --token>/);
      const overlay = /\(read-only token\): (http:\/\/\S+)/.exec(printed)![1];
      expect(new URL(overlay).searchParams.get('token')).toMatch(/^[\w-]{24}$/);
      // The printed overlay URL opens the overlay; the dashboard wants the real token.
      expect((await fetch(overlay)).status).toBe(200);
      expect((await fetch(new URL('/', overlay))).status).toBe(401);
      expect((await fetch(new URL(`/?token=${TOKEN}`, overlay))).status).toBe(200);
    });
  }, 20_000);
});

describe('console output of the engine and its hosts', () => {
  it('never interpolates a token, secret, cookie, password or a URL that may carry one', () => {
    // URLs that are printed on purpose, and why they are safe to.
    const printable = new Set([
      'mode.server.shownUrl', // the dashboard's URL with the token replaced by a placeholder
      'mode.server.anchorUrl', // the overlay's URL: its derived token can only read, and printing it is how the operator gets it
      'server.wsUrl', // the demo server's own URLs: no token
      'server.socketIoUrl',
      "options.token ? ' (read-only token)' : ''", // says whether there is a token, not what it is
    ]);
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const offenders: string[] = [];
    let calls = 0;
    for (const file of files(join(root, 'src-main'))) {
      for (const [line, text] of readFileSync(file, 'utf8').split('\n').entries()) {
        if (!/console\.\w+\(|process\.(stdout|stderr)\.write\(/.test(text)) continue;
        calls++;
        for (const [, expression] of text.matchAll(/\$\{([^}]*)\}/g)) {
          if (/token|secret|cookie|passw|authori|url/i.test(expression) && !printable.has(expression.trim())) {
            offenders.push(`${relative(root, file)}:${line + 1} ${expression}`);
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});
