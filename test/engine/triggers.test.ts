import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot, WirePush } from '../../src-main/contract';
import { Engine } from '../../src-main/engine/engine';
import { verifySignature } from '../../src-main/triggers/webhook';
import { tempDir } from '../helpers/temp-dir';

let engine: Engine | undefined;
let server: Server | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

const SECRET = 'webhook-secret-0123456789';

/** A rule that fires for anyone entering: quick to see in a test. */
const entered = (id: string, mode: 'auto' | 'suggest', channel: 'copy' | 'webhook') => ({
  id,
  version: 1,
  name: `进场 ${id}`,
  scope: 'person',
  trigger: { kind: 'entered' },
  action: { mode, channel, template: 'newcomer_trial_5', expireMinutes: 5 },
  guards: { perSession: 3, perDay: 10, perWeek: 10 },
  holdoutShare: 0,
});

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('coupon triggers in the engine', () => {
  it('suggests to ops, lists coupons to copy, and posts signed coupons to the webhook exactly once each', async () => {
    const received = new Map<string, number>();
    let bad = 0;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (!verifySignature(SECRET, body, req.headers)) bad++;
        const key = (JSON.parse(body) as { idempotency_key: string }).idempotency_key;
        received.set(key, (received.get(key) ?? 0) + 1);
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/coupons`;

    engine = new Engine({ dataDir: tempDir(), version: 't', demo: { seed: 4, rate: 300 }, snapshotEveryMs: 100 });
    await engine.handlers.saveTriggerRule({ json: entered('hello_copy', 'auto', 'copy') });
    await engine.handlers.saveTriggerRule({ json: entered('hello_suggest', 'suggest', 'copy') });
    await engine.handlers.saveTriggerRule({ json: entered('hello_webhook', 'auto', 'webhook') });
    expect(() => engine!.handlers.saveTriggerRule({ json: { ...entered('bad', 'auto', 'copy'), trigger: { kind: 'nope' } } })).toThrow('invalid rule');
    const configured = await engine.handlers.configureWebhook({ url, secret: SECRET });
    expect(configured.webhook).toMatchObject({ url, hasSecret: true });
    expect(JSON.stringify(configured)).not.toContain(SECRET);
    const snapshots: Snapshot[] = [];
    engine.onPush((p: WirePush) => p.stream === 'snapshot' && snapshots.push(p.payload as Snapshot));
    engine.start();

    const live = (await until(async () => snapshots.at(-1)?.triggers, (t) => !!t && t.toCopy.length > 0 && t.pending.length > 0))!;
    expect(live.toCopy[0]).toMatchObject({ ruleId: 'hello_copy', outcome: 'fired', channel: 'copy', coupon: { id: 'newcomer_trial_5' } });
    const suggestion = live.pending[0];
    expect(suggestion).toMatchObject({ ruleId: 'hello_suggest', outcome: 'suggested' });
    expect(await engine.handlers.approveSuggestion({ key: suggestion.key })).toBe(true);
    expect(await engine.handlers.approveSuggestion({ key: suggestion.key })).toBe(false); // not pending any more

    await until(async () => received.size, (n) => n >= 3);
    const view = await until(
      async () => engine!.handlers.getTriggers({}),
      (v) => v.decisions.some((d) => d.key === suggestion.key && d.outcome === 'approved'),
    );
    const posted = view.decisions.filter((d) => d.ruleId === 'hello_webhook' && d.outcome === 'fired').map((d) => d.key);
    expect(posted.length).toBeGreaterThan(0);
    await until(async () => posted.every((k) => received.has(k)), (all) => all);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    expect(bad).toBe(0);
    expect(view.uplift.map((u) => u.ruleId)).toEqual(expect.arrayContaining(['hello_copy', 'hello_webhook']));
  });
});
