// End to end: an ops person adds an HTTP push source on the Sources page, a relay pushes good and bad
// events to it, and the page shows the source connected, its counts and samples of the bad input.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, startApp, type App } from '../helpers/app';
import { chromiumPath } from '../helpers/chromium';
import { relayEvent } from '../helpers/collect';

describe.skipIf(!chromiumPath)('Sources page in Chromium', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('adds a source, shows its health and the bad input it received', async () => {
    const { page, errors } = await app.open('/#/sources');
    await expect.poll(() => page.getByTestId('source-demo').getByTestId('source-state').textContent()).toBe('已连接');

    await page.getByTestId('add-source').click();
    await page.getByTestId('source-type').selectOption('http_push');
    await page.getByTestId('source-name').fill('订单系统推送');
    await page.getByLabel('端口').fill('0'); // any free port, so the test never collides
    await page.getByTestId('source-save').click();
    const card = page.locator('li', { hasText: '订单系统推送' });
    await expect.poll(() => card.getByTestId('source-state').textContent()).toBe('已连接');

    const push = (await app.mode.engine.handlers.listSources({})).find((s) => s.config.name === '订单系统推送')!;
    const detail = push.health.detail!;
    const url = /POST (\S+)/.exec(detail)![1];
    await fetch(url, { method: 'POST', body: JSON.stringify([relayEvent(1), relayEvent(2), { kind: 'chat', id: 'x' }, 'junk']) });
    await fetch(url, { method: 'POST', body: 'not json at all' });

    await expect.poll(() => card.getByTestId('source-errors').textContent()).toBe('3');
    await card.locator('button.link').click();
    const samples = card.getByTestId('source-samples');
    await expect.poll(() => samples.textContent()).toContain('not json at all');
    await page.screenshot({ path: join(artifacts, 'sources.png'), fullPage: true });

    // A bad configuration is refused with the engine's reason, and nothing is saved.
    await page.getByTestId('add-source').click();
    await page.getByTestId('source-name').fill('坏地址');
    await page.getByTestId('source-url').fill('http://not-a-websocket');
    await page.getByTestId('source-save').click();
    await expect.poll(() => page.getByTestId('source-error').textContent()).toMatch(/ws: or wss:/);
    expect((await app.mode.engine.handlers.listSources({})).map((s) => s.config.name)).not.toContain('坏地址');
    expect(errors).toEqual([]);
  }, 40_000);
});
