// End to end: the review page (复盘) in Chromium — a past session replayed through the dashboard, its
// report exported (session file, XLSX, PNG, the print layout as PDF) and imported back, and sessions
// compared.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, startApp, type App } from '../helpers/app';
import { chromiumPath } from '../helpers/chromium';

describe.skipIf(!chromiumPath)('review in Chromium', () => {
  let app: App;
  let pastId: string;

  beforeAll(async () => {
    app = await startApp(['--demo-rate', '400']);
    const { handlers } = app.mode.engine;
    await new Promise((r) => setTimeout(r, 4000));
    await handlers.annotate({ text: '福袋开始' });
    await new Promise((r) => setTimeout(r, 2000));
    pastId = (await handlers.getInfo({})).session.id;
    await handlers.startSession({ title: '下一场' });
  }, 30_000);

  /** Clicks what starts a download and answers the downloaded bytes. */
  async function downloaded(page: Page, testid: string): Promise<{ name: string; bytes: Buffer }> {
    const download = page.waitForEvent('download');
    await page.getByTestId(testid).click();
    const file = await download;
    return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
  }

  /** A computed style of the element (the page's, in Chromium). */
  type Styles = { getComputedStyle(element: unknown): Record<string, string> };
  const style = (locator: Locator, property: string) => locator.evaluate((el, p) => (globalThis as unknown as Styles).getComputedStyle(el)[p], property);

  afterAll(async () => {
    await app?.close();
  });

  it('replays a past session through the dashboard: play, speed, scrub, jump to a marker', async () => {
    const { page, errors } = await app.open('/#/review');
    const past = page.getByTestId('sessions').locator('tbody tr').nth(1);
    await past.getByTestId('open-replay').click();
    await expect.poll(() => page.url()).toContain(`#/replay/${pastId}`);
    const position = page.getByTestId('replay-position');
    await expect.poll(() => position.textContent(), { timeout: 10_000 }).toContain('0:00:0');
    // Read only: no annotate, push or answer buttons.
    expect(await page.getByTestId('annotate').count()).toBe(0);
    expect(await page.getByTestId('push-input').count()).toBe(0);
    expect(await page.getByTestId('points').locator('button').count()).toBe(0);

    await page.getByTestId('replay-speed').selectOption('100');
    await expect.poll(() => page.getByTestId('replay-play').textContent(), { timeout: 10_000 }).toContain('播放'); // ended: paused at the end
    const live = await app.mode.engine.handlers.getSessionReport({ id: pastId });
    const uv = page.getByTestId('kpi-uv-value');
    await expect.poll(async () => Number((await uv.textContent())?.replace(/,/g, ''))).toBe(live!.kpis.uv);
    expect(await page.getByTestId('feed').locator('li').count()).toBeGreaterThan(3);

    // Back to the start by the keyboard, then to the note's marker.
    await page.getByTestId('replay-timeline').focus();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => Number((await uv.textContent())?.replace(/,/g, '')), { timeout: 10_000 }).toBeLessThan(live!.kpis.uv);
    const note = page.locator('[data-testid="replay-marker"].note');
    await expect.poll(() => note.count()).toBe(1);
    await note.click();
    await expect.poll(() => page.locator('.trend canvas').count()).toBeGreaterThan(0);
    const state = await app.mode.engine.handlers.steerReplay({});
    const noteTs = live!.markers.find((m) => m.kind === 'note')!.ts;
    expect(state!.position).toBe(noteTs);
    await page.screenshot({ path: join(artifacts, 'replay.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('exports the report (session file, XLSX, PNG, PDF), imports the session file back, and compares sessions', async () => {
    const { page, errors } = await app.open('/#/review');
    const rows = page.getByTestId('sessions').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    await rows.nth(1).getByTestId('open-report').click();
    const report = page.getByTestId('session-report');
    await expect.poll(() => report.locator('canvas').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => report.getByTestId('report-triggers').locator('tbody tr').count()).toBeGreaterThan(0);

    const workbook = await downloaded(page, 'export-xlsx');
    expect(workbook.name).toMatch(/\.xlsx$/);
    const sheets = unzipSync(workbook.bytes);
    expect(strFromU8(sheets['xl/workbook.xml'])).toContain('<sheet name="事件"');
    const events = (await app.mode.engine.handlers.listSessions({})).find((s) => s.id === pastId)!.events;
    expect(strFromU8(sheets['xl/worksheets/sheet3.xml']).match(/<row>/g)!.length).toBe(events + 1);

    const png = await downloaded(page, 'chart-png');
    expect(png.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(png.bytes.length).toBeGreaterThan(5_000);

    // The print layout is the report alone; Chromium saves it as a PDF.
    await page.emulateMedia({ media: 'print' });
    expect(await style(page.getByTestId('sessions'), 'visibility')).toBe('hidden');
    expect(await style(report, 'visibility')).toBe('visible');
    expect(await style(report.locator('.exports'), 'display')).toBe('none');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    await page.emulateMedia({ media: 'screen' });

    // The session file, taken away and brought back.
    const file = await downloaded(page, 'export-session_file');
    expect(file.name).toMatch(/\.livedeck$/);
    await app.mode.engine.handlers.deleteSession({ id: pastId });
    await page.reload();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('import-session').setInputFiles({ name: file.name, mimeType: 'application/vnd.sqlite3', buffer: file.bytes });
    await expect.poll(() => page.getByTestId('import-session-status').textContent(), { timeout: 15_000 }).toContain('已导入');
    await expect.poll(() => rows.count()).toBe(2);
    const back = (await app.mode.engine.handlers.listSessions({})).find((s) => s.id === pastId)!;
    expect(back.events).toBe(events);

    // Two sessions side by side.
    await rows.nth(0).getByTestId('compare-tick').check();
    await rows.nth(1).getByTestId('compare-tick').check();
    await page.getByTestId('compare').click();
    const compare = page.getByTestId('session-compare');
    await expect.poll(() => compare.getByTestId('compare-kpis').locator('thead th').count()).toBe(3);
    await expect.poll(() => compare.locator('canvas').count()).toBeGreaterThan(0);
    await page.getByTestId('compare-metric').selectOption('comments');
    await page.screenshot({ path: join(artifacts, 'compare.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
