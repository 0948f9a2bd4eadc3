// End to end: browser mode started as `npm run web` starts it, opened in a real Chromium. The demo
// room must be visibly live, in Chinese, and the anchor view must render. Screenshots are saved in
// test/artifacts/ for people to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserMode } from '../../src-main/transport/browser-mode';
import { parseCliOptions } from '../../src-main/cli/options';
import { chromiumPath, launchChromium } from '../helpers/chromium';
import { tempDir } from '../helpers/temp-dir';

const root = join(import.meta.dirname, '..', '..');
const artifacts = join(root, 'test', 'artifacts');

describe.skipIf(!chromiumPath)('browser mode in Chromium', () => {
  let mode: BrowserMode;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const options = parseCliOptions(['--data-dir', join(tempDir(), 'data'), '--port', '0', '--demo-rate', '60']);
    mode = await startBrowserMode({ ...options, version: 'e2e', staticDir: join(root, 'out', 'renderer') });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await mode?.close();
  });

  async function open(path: string, viewport = { width: 1366, height: 768 }): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(new URL(path, mode.server.url).href);
    return { page, errors };
  }

  it('shows the demo room live on the dashboard, in Chinese, with numbers that change', async () => {
    const { page, errors } = await open('/');
    await expect.poll(() => page.locator('h1').textContent()).toContain('直播驾驶舱');
    const online = page.getByTestId('kpi-online-value');
    await expect.poll(() => online.textContent(), { timeout: 10_000 }).toMatch(/^\d/);
    const uv = page.getByTestId('kpi-uv-value');
    const firstUv = Number(await uv.textContent());
    await expect.poll(async () => Number(await uv.textContent()), { timeout: 10_000 }).toBeGreaterThan(firstUv);
    await expect.poll(() => page.getByTestId('feed').locator('li').count(), { timeout: 10_000 }).toBeGreaterThan(3);
    expect(await page.getByTestId('feed').textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.locator('canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'dashboard-1366x768.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(1200);
    await page.screenshot({ path: join(artifacts, 'dashboard-1920x1080.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 40_000);

  it('switches to English and remembers it', async () => {
    const { page } = await open('/');
    await expect.poll(() => page.getByTestId('language').textContent()).toBe('English');
    await page.getByTestId('language').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('LiveDeck');
    await page.reload();
    await expect.poll(() => page.getByTestId('kpi-online').locator('h2').textContent()).toBe('Online now');
    await page.getByTestId('language').click();
    await expect.poll(() => page.getByTestId('kpi-online').locator('h2').textContent()).toBe('实时在线人数');
    await page.close();
  }, 30_000);

  it('serves the anchor view at /anchor, big and live', async () => {
    const { page, errors } = await open('/anchor', { width: 540, height: 760 });
    const online = page.getByTestId('anchor-online');
    await expect.poll(() => online.textContent(), { timeout: 10_000 }).toMatch(/实时在线人数\s*\d/);
    const size = await online.locator('.value').evaluate((el) => parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(80);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(artifacts, 'anchor.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);
});
