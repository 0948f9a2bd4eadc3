// End to end: browser mode opened in a real Chromium. The demo room must be visibly live, in Chinese,
// and the anchor view must render.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, startApp, type App } from '../helpers/app';
import { chromiumPath } from '../helpers/chromium';

describe.skipIf(!chromiumPath)('browser mode in Chromium', () => {
  let app: App;
  const open: App['open'] = (path, viewport) => app.open(path, viewport);

  beforeAll(async () => {
    app = await startApp(['--demo-rate', '60']);
  });

  afterAll(async () => {
    await app?.close();
  });

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
    await expect.poll(() => page.getByTestId('platforms').locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => page.getByTestId('products').locator('tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('funnel').locator('li').count()).toBe(6);

    // The feed filter: one platform, then a keyword.
    await page.getByTestId('feed-platform').selectOption('kuaishou');
    await expect.poll(async () => new Set(await page.getByTestId('feed').locator('.platform').allTextContents()), { timeout: 10_000 }).toEqual(new Set(['快手']));
    await page.getByTestId('feed-platform').selectOption('');
    await page.getByTestId('feed-keyword').fill('码');
    await expect
      .poll(async () => {
        const texts = await page.getByTestId('feed').locator('.text').allTextContents();
        return texts.length > 0 && texts.every((t) => t.includes('码'));
      }, { timeout: 15_000 })
      .toBe(true);
    await page.getByTestId('feed-keyword').fill('');

    // One kind: gifts only.
    await page.getByTestId('feed-kind').selectOption('gift');
    await expect
      .poll(async () => {
        const texts = await page.getByTestId('feed').locator('.text').allTextContents();
        return texts.length > 0 && texts.every((t) => t.startsWith('送出'));
      }, { timeout: 15_000 })
      .toBe(true);
    await page.getByTestId('feed-kind').selectOption('');

    // Highlight rules: a keyword of ops' choosing makes its rows stand out.
    await page.locator('.rules summary').click();
    await page.getByTestId('highlight-keywords').fill('码，链接');
    await page.getByTestId('highlight-keywords').press('Enter');
    await page.locator('.rules summary').click();
    await expect
      .poll(async () => {
        const texts = await page.getByTestId('feed').locator('li.highlight .text').allTextContents();
        return texts.length > 0 && texts.every((t) => t.includes('码') || t.includes('链接'));
      }, { timeout: 15_000 })
      .toBe(true);

    // Only the rows in view are in the page, however many the feed holds.
    const rowsHeld = async () => Number(/height:\s*(\d+)px/.exec((await page.getByTestId('feed').getAttribute('style')) ?? '')?.[1] ?? 0) / 28;
    await expect.poll(rowsHeld, { timeout: 20_000 }).toBeGreaterThan(60);
    expect(await page.getByTestId('feed').locator('li').count()).toBeLessThan(45);
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
    // The questions the demo room keeps asking show up as talking points.
    await expect.poll(() => page.getByTestId('anchor-points').locator('li:not(.quiet)').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(artifacts, 'anchor.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  it('asks for the anchor share only, at /anchor and at #/anchor alike', async () => {
    for (const path of ['/anchor', '/#/anchor']) {
      const { page } = await open(path, { width: 540, height: 760 });
      const [socket] = await Promise.all([page.waitForEvent('websocket'), page.reload()]);
      expect(new URL(socket.url()).searchParams.get('view')).toBe('anchor');
      await page.close();
    }
    const { page } = await open('/');
    const [socket] = await Promise.all([page.waitForEvent('websocket'), page.reload()]);
    expect(new URL(socket.url()).searchParams.get('view')).toBeNull();
    await page.close();
  }, 30_000);

  it('shows a point pushed by ops on the anchor view within a second, and takes it down', async () => {
    const { page: anchor } = await open('/anchor', { width: 540, height: 760 });
    const { page: ops } = await open('/');
    await expect.poll(() => anchor.getByTestId('anchor-online').textContent(), { timeout: 10_000 }).toMatch(/\d/);
    await ops.getByTestId('push-input').fill('3号链接 库存只剩 50 件，马上开抢');
    const sent = Date.now();
    await ops.getByTestId('push-send').click();
    await anchor.getByTestId('anchor-pushed').waitFor({ timeout: 1_000 });
    expect(Date.now() - sent).toBeLessThan(1_000);
    expect(await anchor.getByTestId('anchor-pushed').textContent()).toBe('3号链接 库存只剩 50 件，马上开抢');
    await anchor.screenshot({ path: join(artifacts, 'anchor-pushed.png') });
    await ops.getByTestId('push-input').press('Escape');
    await anchor.getByTestId('anchor-pushed').waitFor({ state: 'detached', timeout: 1_000 });
    await anchor.close();
    await ops.close();
  }, 30_000);

  it('answers talking points and focuses the push box from the keyboard', async () => {
    const { page } = await open('/');
    const first = page.getByTestId('points').locator('li .question').first();
    await expect.poll(() => first.count(), { timeout: 15_000 }).toBe(1);
    const question = await first.textContent();
    await page.locator('body').press('1');
    await expect.poll(() => page.getByTestId('points').locator('li .question').allTextContents()).not.toContain(question);
    await page.locator('body').press('p');
    expect(await page.evaluate('document.activeElement?.getAttribute("data-testid")')).toBe('push-input');
    await page.close();
  }, 30_000);

  it('suggests answers from the answer library, which ops edit on their page', async () => {
    const { page, errors } = await open('/');
    await expect.poll(() => page.getByTestId('point-suggestion').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const anchor = await open('/anchor');
    await expect.poll(() => anchor.page.getByTestId('anchor-suggestion').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await anchor.page.close();

    await page.getByTestId('nav-answers').click();
    await expect.poll(() => page.getByTestId('answers-product').count()).toBe(8);
    const general = page.getByTestId('answers-general');
    await general.fill(`${await general.inputValue()}\n能开发票吗 | 可以，下单后联系客服开电子发票`);
    await page.getByTestId('answers-save').click();
    await expect.poll(() => page.getByTestId('answers-status').textContent()).toBe('已保存');
    await page.reload();
    await expect.poll(() => page.getByTestId('answers-general').inputValue()).toContain('能开发票吗 | 可以');
    await page.screenshot({ path: join(artifacts, 'answers.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('lists recorded sessions on the review page', async () => {
    const { page, errors } = await open('/#/review');
    await expect.poll(() => page.getByTestId('sessions').locator('tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('sessions').locator('tbody tr').first().textContent()).toContain('直播中');
    await page.getByTestId('retention').selectOption('90');
    await expect.poll(async () => (await app.mode.engine.handlers.getSettings({})).retentionDays).toBe(90);
    await page.screenshot({ path: join(artifacts, 'review.png') });

    // The session's report, read back from the recording, and its minute table as CSV.
    await page.getByTestId('open-report').first().click();
    const report = page.getByTestId('session-report');
    await expect.poll(() => report.locator('canvas').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await report.getByTestId('products').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await report.locator('button.explain').count()).toBe(0); // a report cannot change the live room
    const download = page.waitForEvent('download');
    await page.getByTestId('export-minutes_csv').click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('minute,online,entries,comments,gmv_yuan');
    await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  it('puts coupon suggestions in front of ops, approved with one key', async () => {
    await app.mode.engine.handlers.saveTriggerRule({
      json: {
        id: 'e2e_hello',
        version: 1,
        name: '进场欢迎券',
        scope: 'person',
        trigger: { kind: 'entered' },
        action: { mode: 'suggest', channel: 'copy', template: 'newcomer_trial_5', expireMinutes: 5 },
        guards: { perSession: 3, perDay: 10, perWeek: 10 },
        holdoutShare: 0,
      },
    });
    const { page, errors } = await open('/');
    const approve = page.getByTestId('approve-suggestion');
    await expect.poll(() => approve.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const first = (await page.getByTestId('coupon-suggestions').locator('.what').first().textContent())!;
    expect(first).toContain('进场欢迎券');
    await page.locator('body').press('a');
    await expect
      .poll(async () => (await app.mode.engine.handlers.getTriggers({})).decisions.some((d) => d.ruleId === 'e2e_hello' && d.outcome === 'approved'), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => page.getByText('待发券').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'dashboard-coupons.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 40_000);

  it('keeps every panel live with the demo room at 2,000 events/s', async () => {
    const busy = await startApp(['--demo-rate', '2000']);
    try {
      const { page, errors } = await busy.open('/', { width: 1920, height: 1080 });
      await expect.poll(async () => Number((await page.getByTestId('kpi-uv-value').textContent())?.replace(/\D/g, '') || 0), { timeout: 15_000 }).toBeGreaterThan(500);
      expect(await page.locator('canvas').count()).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('products').locator('tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(2);
      expect(await page.getByTestId('platforms').locator('tbody tr').count()).toBe(3);
      expect(await page.getByTestId('funnel').locator('li').count()).toBe(6);
      await page.getByTestId('feed-platform').selectOption('wechat');
      await expect.poll(async () => new Set(await page.getByTestId('feed').locator('.platform').allTextContents()), { timeout: 10_000 }).toEqual(new Set(['视频号']));
      await page.getByTestId('split-segments').click();
      await expect.poll(() => page.getByTestId('segments').locator('tbody tr').count()).toBe(10);
      await page.screenshot({ path: join(artifacts, 'dashboard-2000-per-s.png') });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await busy.close();
    }
  }, 60_000);
});
