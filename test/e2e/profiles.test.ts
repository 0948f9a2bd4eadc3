// End to end: who the viewers are, in a real Chromium. Badges in the feed open the profile drawer;
// the Profiles page shows the demo CRM's sync and imports a GBK file through the column mapping.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, startApp, type App } from '../helpers/app';
import { chromiumPath } from '../helpers/chromium';
import { tempDir } from '../helpers/temp-dir';

/** "客户ID,姓名,手机,抖音号,标签" and two customers, in GBK as Excel saves it here; one row has junk ids. */
const gbkCsv = Buffer.concat([
  Buffer.from('bfcdbba749442cd0d5c3fb2ccad6bbfa2cb6b6d2f4bac52cb1eac7a90d0a', 'hex'),
  Buffer.from('e2e_1,'),
  Buffer.from('d5c5c8fd', 'hex'),
  Buffer.from(',+86 138-0013-8000,dy_e2e_1,'),
  Buffer.from('564950a1a2b8b4b9ba', 'hex'),
  Buffer.from('\r\ne2e_2,'),
  Buffer.from('c0eecbc4', 'hex'),
  Buffer.from(',13900001111,dy_e2e_2,\r\nnull,,0,-1,\r\n'),
]);

describe.skipIf(!chromiumPath)('profiles in Chromium', () => {
  let app: App;

  beforeAll(async () => {
    app = await startApp(['--demo-rate', '80']);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('badges commenters in the feed and opens their profile', async () => {
    const { page, errors } = await app.open('/');
    const vip = page.getByTestId('feed').locator('li', { has: page.locator('.badge.vip') }).locator('button.user');
    await expect.poll(() => vip.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByRole('log').hover(); // the feed holds still under the pointer
    await vip.first().click();
    const drawer = page.getByTestId('person-drawer');
    await expect.poll(() => drawer.textContent(), { timeout: 5000 }).toContain('客户ID');
    expect(await drawer.textContent()).toContain('VIP');
    expect(await drawer.textContent()).toContain('(hashed)');
    await expect.poll(async () => Number(await page.getByTestId('person-orders').textContent())).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'profile-drawer.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 40_000);

  it('splits the room by audience segment', async () => {
    const { page, errors } = await app.open('/');
    await page.getByTestId('split-segments').click();
    const table = page.getByTestId('segments');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(10);
    expect(await table.textContent()).toContain('过往买家');
    const buyersUv = table.locator('tbody tr').first().locator('td').nth(1);
    await expect.poll(async () => Number.parseInt((await buyersUv.textContent()) ?? '0', 10), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'dashboard-segments.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 40_000);

  it('shows the demo CRM sync and imports a GBK export through the column mapping', async () => {
    const { page, errors } = await app.open('/#/profiles');
    const runs = page.getByTestId('sync-runs');
    await expect.poll(() => runs.locator('tbody tr').first().textContent(), { timeout: 20_000 }).toContain('成功');
    await expect.poll(() => page.getByTestId('profile-counts').textContent()).toContain('3,000');

    const file = join(tempDir(), 'crm-export.csv');
    writeFileSync(file, gbkCsv);
    await page.getByTestId('import-file').setInputFiles(file);
    const preview = page.getByTestId('import-preview');
    await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toContain('张三');
    expect(await page.getByTestId('map-客户ID').inputValue()).toBe('crm_id');
    expect(await page.getByTestId('map-手机').inputValue()).toBe('phone');
    expect(await page.getByTestId('map-抖音号').inputValue()).toBe('douyin_uid');
    await page.getByTestId('import-run').click();
    const report = page.getByTestId('import-report');
    await expect.poll(() => report.textContent(), { timeout: 10_000 }).toContain('新增 2');
    expect(await report.textContent()).toContain('拒收 1');
    expect(await page.getByTestId('import-panel').textContent()).toContain('junk ids only');
    await expect.poll(() => page.getByTestId('import-runs').textContent()).toContain('crm-export.csv');

    // A segment of their own: a bad tree is explained, a good one is listed and cuts the dashboard.
    await page.getByTestId('segment-id').fill('moms');
    await page.getByTestId('segment-name').fill('宝妈买家');
    await page.getByTestId('segment-tree').fill('{"all": [{"tag": "宝妈"}, {"trait": "orders", "op": ">=", "value": "1"}]}');
    await page.getByTestId('segment-save').click();
    await expect.poll(() => page.getByTestId('segment-error').textContent()).toContain('invalid condition tree');
    await page.getByTestId('segment-tree').fill('{"all": [{"tag": "宝妈"}, {"trait": "orders", "op": ">=", "value": 1}]}');
    await page.getByTestId('segment-save').click();
    await expect.poll(() => page.getByTestId('segments-panel').textContent()).toContain('宝妈买家');
    expect(await page.getByTestId('segment-error').count()).toBe(0);
    await page.screenshot({ path: join(artifacts, 'profiles.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
