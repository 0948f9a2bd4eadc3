// better-sqlite3 for Electron's ABI, built once into a cache folder beside Node's own build, so the
// desktop app (LIVEDECK_SQLITE_BINDING) and the Node tests each load the binary made for them.
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export async function electronSqliteBinding(root: string, electronVersion: string): Promise<string> {
  const dir = join(root, 'node_modules', '.cache', 'livedeck', `electron-${electronVersion}`);
  const moduleDir = join(dir, 'node_modules', 'better-sqlite3');
  const binding = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  const source = join(root, 'node_modules', 'better-sqlite3');
  cpSync(source, moduleDir, { recursive: true, filter: (src) => !(basename(src) === 'build' && dirname(src) === source) });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'livedeck-native', private: true, dependencies: { 'better-sqlite3': '*' } }));
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: dir, electronVersion, onlyModules: ['better-sqlite3'], force: true });
  return binding;
}
