// The HTTP push receiver on a real local port: JSON, arrays, NDJSON with broken lines, limits, tokens,
// and 503 while the pipeline is congested.
import { afterEach, describe, expect, it } from 'vitest';
import { Ingress } from '../../src-main/pipeline/ingress';
import { HttpPushSource, MAX_BODY_BYTES } from '../../src-main/sources/http-push-source';
import { Intake } from '../../src-main/sources/intake';
import { collector, relayEvent, until } from '../helpers/collect';

let source: HttpPushSource | undefined;
afterEach(() => {
  source?.stop();
  source = undefined;
});

async function start(token?: string): Promise<{ url: string } & ReturnType<typeof collector>> {
  const c = collector(undefined, 'wechat');
  source = new HttpPushSource({ port: 0, token });
  source.start(c.intake);
  await until(() => source!.port !== undefined && c.intake.snapshot().state === 'connected', 5_000, 'listening');
  return { url: `http://127.0.0.1:${source.port}/events`, ...c };
}

const post = (url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('HTTP push source', () => {
  it('takes one event, an array, and NDJSON, and says what became of them', async () => {
    const { url, events, intake } = await start();
    expect(await (await post(url, JSON.stringify(relayEvent(1)))).json()).toEqual({ accepted: 1, duplicates: 0, dropped: 0, rejected: 0 });
    expect(await (await post(url, JSON.stringify([relayEvent(2), relayEvent(1), { kind: 'chat' }]))).json()).toEqual({
      accepted: 1,
      duplicates: 1,
      dropped: 0,
      rejected: 1,
    });
    const ndjson = [relayEvent(3), relayEvent(4)].map((e) => JSON.stringify(e)).join('\n') + '\n{"broken": \n\n' + JSON.stringify(relayEvent(5)) + '\r\n';
    expect(await (await post(url, ndjson, { 'content-type': 'application/x-ndjson' })).json()).toEqual({ accepted: 3, duplicates: 0, dropped: 0, rejected: 1 });
    await until(() => events.length === 5);
    expect(events.map((e) => e.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(intake.snapshot().errorsByReason).toEqual({ invalid: 1, bad_json: 1 });
  });

  it('fills in the platform a relay leaves out from the source settings', async () => {
    const { url, events } = await start();
    const { platform: _omitted, ...event } = relayEvent(9);
    await post(url, JSON.stringify(event));
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ platform: 'wechat', roomId: 'room' });
  });

  it('refuses bodies over the limit, wrong methods and paths, and missing tokens', async () => {
    const { url, intake } = await start('relay-secret');
    const auth = { authorization: 'Bearer relay-secret' };
    expect((await post(url, JSON.stringify(relayEvent(1)))).status).toBe(401);
    expect((await post(url, JSON.stringify(relayEvent(1)), { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post(url, JSON.stringify(relayEvent(1)), auth)).status).toBe(200);
    expect((await post(url, Buffer.alloc(MAX_BODY_BYTES + 10, 0x20), auth)).status).toBe(413);
    expect((await fetch(url, { headers: auth })).status).toBe(404);
    expect((await post(url.replace('/events', '/other'), '{}', auth)).status).toBe(404);
    expect(intake.snapshot().errorsByReason).toEqual({ too_large: 1 });
  });

  it('asks relays to retry while the pipeline is congested, then takes events again', async () => {
    // A pipeline that needs 20 ms per event, one event per slice: ten queued events keep it busy 200 ms.
    const slow = new Ingress(() => {
      const end = Date.now() + 20;
      while (Date.now() < end);
    }, { capacity: 10, slice: 1 });
    const intake = new Intake({ id: 'slow', platform: 'other', roomId: '' }, slow);
    source = new HttpPushSource({ port: 0 });
    source.start(intake);
    await until(() => intake.snapshot().state === 'connected');
    const url = `http://127.0.0.1:${source.port}/events`;
    const burst = JSON.stringify(Array.from({ length: 10 }, (_, i) => relayEvent(100 + i)));
    expect(((await (await post(url, burst)).json()) as { accepted: number }).accepted).toBe(10);
    const busy = await post(url, JSON.stringify(relayEvent(300)));
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    await until(() => !slow.congested);
    expect((await post(url, JSON.stringify(relayEvent(300)))).status).toBe(200);
  });
});
