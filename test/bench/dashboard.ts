// dashboard_fps: the ops dashboard in Chromium (browser mode) while the demo room plays 2,000
// events/s: the median frames per second over 20 s, and the main-thread tasks over 50 ms in that
// window (dashboard_long_tasks).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parseCliOptions } from '../../src-main/cli/options';
import { startBrowserMode } from '../../src-main/transport/browser-mode';
import { launchChromium } from '../helpers/chromium';
import type { Benchmark } from './run';

const SECONDS = 20;
const root = join(import.meta.dirname, '..', '..');

/** Runs in the page (as source text, so the TS toolchain's helpers stay out of it). */
const measure = `new Promise((done) => {
  const perSecond = [];
  let longTasks = 0;
  new PerformanceObserver((list) => (longTasks += list.getEntries().length)).observe({ type: 'longtask' });
  let frames = 0;
  let start = performance.now();
  const frame = (now) => {
    frames++;
    if (now - start >= 1000) {
      perSecond.push((frames * 1000) / (now - start));
      frames = 0;
      start = now;
    }
    if (perSecond.length < ${SECONDS}) requestAnimationFrame(frame);
    else done({ fps: perSecond.sort((a, b) => a - b)[${SECONDS} >> 1], longTasks });
  };
  requestAnimationFrame(frame);
})`;

/** The ops dashboard in Chromium at 1920×1080, browser mode playing the demo room at 2,000 events/s, once it shows numbers. */
export async function onDashboard<T>(use: (page: Page) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'livedeck-bench-'));
  const mode = await startBrowserMode({
    ...parseCliOptions(['--data-dir', dataDir, '--port', '0', '--demo-rate', '2000']),
    version: 'bench',
    staticDir: join(root, 'out', 'renderer'),
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(mode.server.url);
    await page.getByTestId('kpi-online-value').filter({ hasText: /\d/ }).waitFor();
    return await use(page);
  } finally {
    await browser.close();
    await mode.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const dashboardFps: Benchmark = {
  name: 'dashboard',
  runs: 1,
  run() {
    return onDashboard(async (page) => {
      await page.waitForTimeout(2_000);
      const { fps, longTasks } = (await page.evaluate(measure)) as { fps: number; longTasks: number };
      return { dashboard_fps: fps, dashboard_long_tasks: longTasks };
    });
  },
};
