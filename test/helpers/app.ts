// Browser mode as `npm run web` starts it, plus a Chromium to look at it: what the end-to-end tests
// share. Screenshots go to test/artifacts/ for people to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseCliOptions } from '../../src-main/cli/options';
import { startBrowserMode, type BrowserMode } from '../../src-main/transport/browser-mode';
import { launchChromium } from './chromium';
import { tempDir } from './temp-dir';

const root = join(import.meta.dirname, '..', '..');
export const artifacts = join(root, 'test', 'artifacts');

export interface App {
  mode: BrowserMode;
  browser: Browser;
  /** Opens a page of the app and records its errors (console errors and uncaught exceptions). */
  open(path: string, viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function startApp(args: string[] = []): Promise<App> {
  mkdirSync(artifacts, { recursive: true });
  const options = parseCliOptions(['--data-dir', join(tempDir(), 'data'), '--port', '0', ...args]);
  const mode = await startBrowserMode({ ...options, version: 'e2e', staticDir: join(root, 'out', 'renderer') });
  const browser = await launchChromium();
  return {
    mode,
    browser,
    async open(path, viewport = { width: 1366, height: 768 }) {
      const page = await browser.newPage({ viewport });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(new URL(path, mode.server.url).href);
      return { page, errors };
    },
    async close() {
      await browser.close();
      await mode.close();
    },
  };
}
