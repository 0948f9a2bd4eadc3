// The socket.io source against a real socket.io relay on 127.0.0.1: event-name mapping, bad payloads,
// a dropped connection, a silent stall and a backlog re-sent on reconnect.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceState } from '../../src-main/contract';
import { Backoff } from '../../src-main/sources/reconnect';
import { SocketIoSource } from '../../src-main/sources/socketio-source';
import { collector, relayEvent, until } from '../helpers/collect';

let io: Server | undefined;
let source: SocketIoSource | undefined;
afterEach(async () => {
  source?.stop();
  await io?.close();
  io = source = undefined;
});

async function relay(script: (socket: Socket, connection: number) => void): Promise<string> {
  const http = createServer();
  io = new Server(http);
  let connections = 0;
  io.on('connection', (socket) => script(socket, ++connections));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** A relay payload: a LiveEvent without kind and platform, as a capture tool would send it. */
const payload = (n: number): Record<string, unknown> => {
  const { kind: _k, platform: _p, ...rest } = relayEvent(n);
  return rest;
};

describe('socket.io source', () => {
  it('maps event names to kinds and survives garbage, drops, stalls and backlogs', async () => {
    const url = await relay((socket, connection) => {
      if (connection === 1) {
        for (let n = 1; n <= 50; n++) socket.emit('danmu', payload(n));
        socket.emit('danmu', 'not an object');
        socket.emit('danmu', { ...payload(0), text: ['wrong', 'type'] });
        socket.emit('unmapped', payload(999)); // ignored, not an error
        socket.emit('likes', [{ ...payload(51), count: 3 }, { ...payload(52), count: 1 }]);
        setTimeout(() => socket.disconnect(true), 30);
      } else if (connection === 2) {
        for (let n = 40; n <= 80; n++) socket.emit('danmu', payload(n)); // backlog 40..52 again, then new
        // then a silent stall
      } else {
        for (let n = 70; n <= 100; n++) socket.emit('danmu', payload(n));
      }
    });
    const { events, intake } = collector(undefined, 'tiktok');
    const states: SourceState[] = [];
    const setState = intake.setState.bind(intake);
    intake.setState = (state, detail) => {
      states.push(state);
      setState(state, detail);
    };
    source = new SocketIoSource({ url, events: { danmu: 'chat', likes: 'like' }, silenceSec: 0.4, backoff: new Backoff({ initialMs: 10, maxMs: 40 }) });
    source.start(intake);
    await until(() => events.length >= 100, 10_000, 'all events');
    await new Promise((r) => setTimeout(r, 100));

    expect(events.map((e) => e.id).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `m${i + 1}`).sort());
    expect(events.every((e) => e.platform === 'tiktok')).toBe(true);
    expect(events.filter((e) => e.kind === 'like').map((e) => e.id)).toEqual(['m51', 'm52']);
    const health = intake.snapshot();
    expect(health.duplicates).toBe(13 + 11); // 40..52 on connection 2, 70..80 on connection 3
    expect(health.errorsByReason).toEqual({ not_an_event: 1, invalid: 1 });
    expect(states).toContain('stalled');
    expect(health.reconnects).toBeGreaterThanOrEqual(2);
  }, 20_000);

  it('runs a hook on every connection, e.g. to tell the relay which room to follow', async () => {
    const asked: string[] = [];
    const url = await relay((socket) => {
      socket.on('setUniqueId', (id: string) => {
        asked.push(id);
        socket.emit('danmu', payload(1));
      });
    });
    const { events, intake } = collector();
    source = new SocketIoSource({ url, events: { danmu: 'chat' }, silenceSec: 0, onConnect: (s) => s.emit('setUniqueId', 'room-42') });
    source.start(intake);
    await until(() => events.length === 1);
    expect(asked).toEqual(['room-42']);
  });
});
