// `npm start`: the desktop app when the Electron binary is installed; otherwise (an offline install,
// a build machine) one clear line saying so, then browser mode on a local URL.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { electronSqliteBinding } from './electron-sqlite';
import { runBrowserMode } from './run-browser-mode';
import { messageOf } from '../shared/values';

const root = join(import.meta.dirname, '..', '..');
const argv = process.argv.slice(2);

function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const electron = electronBinary();
  if (!electron) {
    console.log('Electron binary is not installed (offline install?): starting LiveDeck in browser mode instead.');
    await runBrowserMode(argv, join(root, 'out', 'renderer'));
    return;
  }
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
  const binding = await electronSqliteBinding(root, version);
  const child = spawn(electron, [root, ...argv], { stdio: 'inherit', env: { ...process.env, LIVEDECK_SQLITE_BINDING: binding } });
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((err: unknown) => {
  console.error(`LiveDeck could not start: ${messageOf(err)}`);
  process.exit(1);
});
