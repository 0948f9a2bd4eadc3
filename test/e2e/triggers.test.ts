// End to end: the coupon triggers page in a real Chromium against the demo room. The default rules are
// listed with their Chinese explanations; switching one off saves it under a new version; a rule the
// engine refuses shows its error in place, and an edit saved without a new version gets one; the
// webhook goes to a small local receiver, its URL shown and its secret never.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, startApp, type App } from '../helpers/app';
import { chromiumPath } from '../helpers/chromium';

const SECRET = 'e2e-webhook-secret-0123456789';

describe.skipIf(!chromiumPath)('the triggers page in Chromium', () => {
  let app: App;
  let receiver: Server;
  const received: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      received.push(String(req.headers['idempotency-key']));
      req.resume().on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    app = await startApp(['--demo-rate', '80']);
  });

  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('lists the rules, saves them as new versions, explains refusals and configures the webhook', async () => {
    const { page, errors } = await app.open('/#/triggers');
    const rules = page.getByTestId('rules');
    await expect.poll(() => rules.locator('tbody tr').count(), { timeout: 10_000 }).toBe(6);
    expect(await page.getByTestId('nav-triggers').getAttribute('class')).toContain('active');
    const cart = page.getByTestId('rule-cart_unpaid_10m');
    expect(await cart.textContent()).toContain('加购未付 10 分钟 → 定向券');
    expect(await cart.locator('.explain').textContent()).toContain('推最后一把');
    expect(await cart.textContent()).toContain('加购后 10 分钟未付款');
    expect(await cart.getByTestId('rule-coupon').textContent()).toBe('千人千面：加购提醒券 满99减5 / 加购催付券 满99减20 / 加购催付券 满99减10');
    expect(await page.getByTestId('rule-interaction_drop').locator('.explain').textContent()).toContain('冷场');
    expect(await rules.locator('.explain').count()).toBe(6);

    // Switched off: saved as version 2, and still so after a reload.
    const clicks = page.getByTestId('rule-repeat_click');
    await clicks.getByTestId('rule-toggle').click();
    await expect.poll(() => clicks.getByTestId('rule-toggle').textContent()).toContain('已停用');
    expect(await clicks.getByTestId('rule-version').textContent()).toBe('v2');
    await page.reload();
    await expect.poll(() => page.getByTestId('rule-repeat_click').getByTestId('rule-version').textContent(), { timeout: 10_000 }).toBe('v2');
    expect(await page.getByTestId('rule-repeat_click').getByTestId('rule-toggle').getAttribute('aria-checked')).toBe('false');

    // A rule the engine refuses: its error in place, nothing saved.
    await page.getByTestId('rule-cart_unpaid_10m').getByTestId('rule-edit').click();
    const text = page.getByTestId('rule-editor-text');
    const rule = JSON.parse(await text.inputValue()) as { name: string; trigger: { minutes: number }; version: number };
    expect(rule.version).toBe(2);
    await text.fill(JSON.stringify({ ...rule, trigger: { ...rule.trigger, minutes: 0 } }, null, 2));
    await page.getByTestId('rule-editor-save').click();
    await expect.poll(() => page.getByTestId('rule-editor-error').textContent()).toContain('invalid rule');
    expect(await page.getByTestId('rule-cart_unpaid_10m').getByTestId('rule-version').textContent()).toBe('v2');
    // Changed without raising the version: saved as version 3.
    await text.fill(JSON.stringify({ ...rule, name: '加购未付 10 分钟 → 催付券' }, null, 2));
    await page.getByTestId('rule-editor-save').click();
    await expect.poll(() => page.getByTestId('rule-cart_unpaid_10m').getByTestId('rule-version').textContent()).toBe('v3');
    expect(await page.getByTestId('rule-cart_unpaid_10m').textContent()).toContain('加购未付 10 分钟 → 催付券');
    expect(await page.getByTestId('rule-editor').count()).toBe(0);

    // A new rule starts from the cart rule under an id of its own.
    await page.getByTestId('new-rule').click();
    expect(JSON.parse(await page.getByTestId('rule-editor-text').inputValue())).toMatchObject({ id: 'cart_unpaid_2', version: 1, trigger: { kind: 'cart_unpaid' } });
    await page.getByRole('button', { name: '取消' }).click();

    // The webhook: the URL shown, the secret never.
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/coupons`;
    const secret = page.getByTestId('webhook-secret');
    expect(await secret.getAttribute('placeholder')).toBe('签名密钥（至少 16 个字符）');
    await page.getByTestId('webhook-url').fill(url);
    await secret.fill(SECRET);
    await page.getByTestId('webhook-save').click();
    await expect.poll(() => page.getByTestId('webhook-status').textContent()).toContain(url);
    expect(await page.getByTestId('webhook-url').inputValue()).toBe(url);
    expect(await secret.inputValue()).toBe('');
    expect(await secret.getAttribute('placeholder')).toBe('密钥已保存（留空则不变）');
    expect(await page.content()).not.toContain(SECRET);

    // The audit fills as the demo room goes; the filter keeps one outcome.
    const audit = page.getByTestId('audit');
    await expect.poll(() => audit.locator('tbody tr .tag').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByTestId('outcome-filter').selectOption('suppressed');
    const tags = await audit.locator('tbody tr .tag').allTextContents();
    expect(tags.every((tag) => tag === '被拦截')).toBe(true);
    await page.getByTestId('outcome-filter').selectOption('');

    await page.screenshot({ path: join(artifacts, 'triggers.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
