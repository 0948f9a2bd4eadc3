// The JSON WebSocket source against a misbehaving relay on 127.0.0.1: it drops the connection, stalls
// silently, sends garbage, floods, and re-sends a backlog after each reconnect.
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceState } from '../../src-main/contract';
import { MAX_FRAME_BYTES } from '../../src-main/sources/decode';
import { Backoff } from '../../src-main/sources/reconnect';
import { WsSource } from '../../src-main/sources/ws-source';
import { wsRelay } from '../helpers/ws-relay';
import { collector, relayEvent, until } from '../helpers/collect';

let source: WsSource | undefined;
afterEach(() => {
  source?.stop();
  source = undefined;
});


const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const frames = (ns: number[]): string[] => ns.map((n) => JSON.stringify(relayEvent(n)));

describe('JSON WebSocket source', () => {
  it('survives drops, stalls, garbage, floods and backlogs without losing or doubling an event', async () => {
    const { url } = await wsRelay((ws, connection) => {
      if (connection === 1) {
        for (const f of frames(range(1, 100))) ws.send(f);
        ws.send('this is not json');
        ws.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x7d]), { binary: true }); // invalid UTF-8
        ws.send(JSON.stringify({ ...relayEvent(0), kind: 'teleport' })); // unknown kind
        ws.send(JSON.stringify({ ...relayEvent(0), text: 42 })); // schema violation
        ws.send(JSON.stringify([relayEvent(101), 'junk', { ...relayEvent(102), ts: 'yesterday' }, relayEvent(103)]));
        ws.send(`[${'"x",'.repeat(MAX_FRAME_BYTES / 4)}"x"]`); // over the frame limit
        setTimeout(() => ws.terminate(), 50); // drop without a close frame
      } else if (connection === 2) {
        for (const f of frames(range(51, 150))) ws.send(f); // backlog 51..103 again, then new
        // …then stall: the socket stays open and says nothing.
      } else if (connection === 3) {
        for (const f of frames(range(120, 150))) ws.send(f); // backlog again
        for (let start = 151; start <= 20_150; start += 100) ws.send(JSON.stringify(range(start, start + 99).map((n) => relayEvent(n)))); // flood
      }
    });
    const { events, ingress, intake } = collector({ capacity: 2_000, slice: 100 });
    const states: SourceState[] = [];
    const setState = intake.setState.bind(intake);
    intake.setState = (state, detail) => {
      states.push(state);
      setState(state, detail);
    };
    source = new WsSource({ url, silenceSec: 0.4, heartbeatSec: 0, backoff: new Backoff({ initialMs: 10, maxMs: 40 }) });
    source.start(intake);

    await until(() => events.length >= 20_150, 20_000, 'all events');
    await new Promise((r) => setTimeout(r, 100));

    const ids = events.map((e) => Number(e.id.slice(1)));
    expect(ids.length).toBe(20_150);
    expect(new Set(ids).size).toBe(20_150);
    expect(Math.min(...ids)).toBe(1);
    expect(Math.max(...ids)).toBe(20_150);

    const health = intake.snapshot();
    expect(health.accepted).toBe(20_150);
    expect(health.duplicates).toBe(52 + 31); // 51..101 and 103 on connection 2 (102 was invalid before), 120..150 on 3
    expect(health.dropped).toBe(0);
    expect(ingress.dropped).toBe(0);
    expect(health.errorsByReason).toEqual({ bad_json: 1, invalid_utf8: 1, unknown_kind: 1, invalid: 2, not_an_event: 1, too_large: 1 });
    expect(health.errors).toBe(7);
    expect(health.received).toBe(health.accepted + health.duplicates + health.errors);
    expect(health.samples).toHaveLength(5);
    expect(health.samples.at(-1)!.reason).toBe('too_large');
    expect(states).toContain('stalled');
    expect(health.reconnects).toBeGreaterThanOrEqual(2);
    expect(health.state).toBe('connected');
  }, 30_000);

  it('keeps retrying with backoff while the relay is down, and connects when it comes up', async () => {
    const { events, intake } = collector();
    source = new WsSource({ url: 'ws://127.0.0.1:9', silenceSec: 0, heartbeatSec: 0, backoff: new Backoff({ initialMs: 10, maxMs: 20 }) });
    source.start(intake);
    await until(() => intake.snapshot().reconnects >= 1, 5_000, 'a retry');
    expect(intake.snapshot().state).not.toBe('connected');
    source.stop();

    const { url } = await wsRelay((ws) => ws.send(JSON.stringify(relayEvent(1))));
    source = new WsSource({ url, silenceSec: 0, heartbeatSec: 0 });
    source.start(intake);
    await until(() => events.length === 1, 5_000, 'the event');
    expect(intake.snapshot().state).toBe('connected');
  });

  it('pings to keep a quiet but healthy line from being declared stalled', async () => {
    const { url } = await wsRelay(() => {});
    const { intake } = collector();
    const states: SourceState[] = [];
    const setState = intake.setState.bind(intake);
    intake.setState = (state, detail) => {
      states.push(state);
      setState(state, detail);
    };
    source = new WsSource({ url, silenceSec: 0.3, heartbeatSec: 0.05 });
    source.start(intake);
    await new Promise((r) => setTimeout(r, 900));
    expect(states).toEqual(['connecting', 'connected']);
  });
});
