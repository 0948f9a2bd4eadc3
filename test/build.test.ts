// What `electron-vite build` leaves in out/ (npm test builds first), and the packaging configuration
// that `npm run dist` hands to electron-builder (which cannot run here: it downloads Electron).
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const out = join(root, 'out');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('build output', () => {
  it('has main, engine, browser-mode and launcher entries, the preload and the renderer', () => {
    for (const f of ['main/index.js', 'main/engine.js', 'main/web.js', 'main/launch.js', 'preload/index.cjs', 'renderer/index.html']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(pkg.main).toBe('out/main/index.js');
  });

  it('ships a renderer without all of ECharts (only the registered charts)', () => {
    const scripts = files(join(out, 'renderer')).filter((f) => f.endsWith('.js'));
    const bytes = scripts.reduce((sum, f) => sum + statSync(f).size, 0);
    // Full ECharts alone is about 1 MB minified; the tree-shaken core plus line charts and Svelte is far less.
    expect(bytes).toBeLessThan(750 * 1024);
    const code = scripts.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(code).toContain('series.line');
    expect(code).not.toContain('series.treemap'); // present in the full build
  });

  it('keeps the preload free of Node: it is bundled whole for the sandbox', () => {
    const preload = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});

describe('engine independence', () => {
  it('no module outside the Electron shell and preload imports electron', () => {
    const offenders = files(join(root, 'src-main'))
      .filter((f) => !/src-main[\\/](electron|preload)[\\/]/.test(f))
      .filter((f) => /from ['"]electron['"]|require\(['"]electron['"]\)/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });
});

describe('packaging (electron-builder)', () => {
  const build = pkg.build;

  it('targets Windows (NSIS) first, then macOS (dmg) and Linux (AppImage)', () => {
    expect(build.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(build.productName).toBe('LiveDeck');
    expect(build.win.target[0].target).toBe('nsis');
    expect(build.mac.target).toContain('dmg');
    expect(build.linux.target).toContain('AppImage');
    expect(pkg.scripts.dist).toMatch(/electron-vite build && electron-builder/);
  });

  it('packs the built app, unpacks the native SQLite module from asar and rebuilds it for Electron', () => {
    expect(build.files).toContain('out/**/*');
    expect(build.asarUnpack.some((p: string) => p.startsWith('node_modules/better-sqlite3'))).toBe(true);
    expect(build.npmRebuild).not.toBe(false);
    expect(pkg.dependencies['better-sqlite3']).toBeDefined();
    expect(pkg.devDependencies.electron).toBeDefined();
    expect(pkg.dependencies.electron).toBeUndefined();
  });
});
