// End to end: the review page (复盘) in Chromium — a past session replayed through the dashboard.
import { join } from 'node:path';
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
});
