// The URLs LiveDeck posts coupons to and pulls CRM records from: http(s) only, no credentials in them,
// refused with a message that says why without repeating the URL — by the check itself, by the
// webhook outbox and the CRM sync that use it, and at the contract (a typed `bad_args`, the saved
// setting left as it was).
import { describe, expect, it } from 'vitest';
import { checkSyncConfig } from '../../src-main/profiles/sync';
import { endpointUrlProblem } from '../../src-main/shared/endpoint-url';
import { checkEndpoint } from '../../src-main/triggers/webhook';
import { startTestServer } from '../helpers/web-server';
import { WsClient } from '../helpers/ws-client';

const SECRET = 'a-webhook-secret-of-32-characters';

const refused: [url: string, why: RegExp][] = [
  ['', /not a URL/],
  ['crm.example.com/api', /not a URL/],
  ['ftp://crm.example.com/', /http or https, not ftp:/],
  ['file:///etc/passwd', /http or https, not file:/],
  ['javascript:alert(1)', /http or https, not javascript:/],
  ['https://me:hunter2@crm.example.com/', /credentials \(a user name or password\)/],
  ['https://me@crm.example.com/', /credentials/],
  ['https://crm.example.com/api?access_token=hunter2', /credentials \(the "access_token" parameter\)/],
  ['https://crm.example.com/api?shop=1&API_KEY=hunter2', /credentials \(the "API_KEY" parameter\)/],
  ['https://hooks.example.com/x?token=hunter2', /the "token" parameter/],
  ['https://hooks.example.com/x?secret=hunter2', /the "secret" parameter/],
  ['https://hooks.example.com/x?password=hunter2', /the "password" parameter/],
];

const accepted = ['https://crm.example.com/api/customers', 'http://192.168.1.20:8080/sync?shop=12&region=east', 'https://hooks.example.com/coupon#ignored', 'http://127.0.0.1:9000/'];

describe('endpoint URLs', () => {
  it.each(refused)('refuses %j, saying why', (url, why) => {
    const problem = endpointUrlProblem(url, 'a CRM URL');
    expect(problem).toMatch(why);
    expect(problem).toMatch(/^a CRM URL /);
    expect(problem).not.toContain('hunter2');
  });

  it('accepts http(s) URLs with query parameters of their own', () => {
    for (const url of accepted) expect(endpointUrlProblem(url, 'a webhook URL'), url).toBeUndefined();
  });

  it('is the check of both the webhook outbox and the CRM sync', () => {
    for (const [url, why] of refused) {
      expect(() => checkEndpoint({ url, secret: SECRET }), url).toThrow(why);
      expect(() => checkSyncConfig({ name: 'crm', url, everyMinutes: 10 }), url).toThrow(why);
    }
    for (const url of accepted) {
      expect(() => checkEndpoint({ url, secret: SECRET })).not.toThrow();
      expect(() => checkSyncConfig({ name: 'crm', url, everyMinutes: 10 })).not.toThrow();
    }
  });
});

describe('setting them over the contract', () => {
  it('refuses a bad webhook URL with a typed error and keeps the saved webhook', async () => {
    const { ws } = await startTestServer();
    const ops = await WsClient.open(ws);
    expect(await ops.call(1, 'configureWebhook', { url: 'https://hooks.example.com/coupon', secret: SECRET })).toMatchObject({ ok: true, result: { webhook: { url: 'https://hooks.example.com/coupon', hasSecret: true } } });
    for (const [i, [url, why]] of refused.entries()) {
      const reply = await ops.call(i + 2, 'configureWebhook', { url, secret: SECRET });
      expect(reply, url).toMatchObject({ ok: false, error: { code: 'bad_args', message: expect.stringMatching(why) } });
      expect(JSON.stringify(reply)).not.toContain('hunter2');
    }
    expect(await ops.call(99, 'getTriggers', {})).toMatchObject({ ok: true, result: { webhook: { url: 'https://hooks.example.com/coupon', hasSecret: true } } });
    ops.close();
  });

  it('refuses a bad CRM URL with a typed error and keeps the saved sync setting', async () => {
    const { ws } = await startTestServer();
    const ops = await WsClient.open(ws);
    const before = await ops.call(1, 'getProfileStore', {});
    for (const [i, [url, why]] of refused.entries()) {
      const reply = await ops.call(i + 2, 'configureCrmSync', { kind: 'http', url, token: 'crm-token', everyMinutes: 30 });
      expect(reply, url).toMatchObject({ ok: false, error: { code: 'bad_args', message: expect.stringMatching(why) } });
      expect(JSON.stringify(reply)).not.toContain('hunter2');
    }
    const after = await ops.call(99, 'getProfileStore', {});
    expect(after.ok && (after.result as { sync: { setting: unknown } }).sync.setting).toEqual(before.ok && (before.result as { sync: { setting: unknown } }).sync.setting);
    ops.close();
  });
});
