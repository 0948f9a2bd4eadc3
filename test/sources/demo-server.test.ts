// The demo server over real sockets: a `ws` client on /events and a `socket.io-client` both receive
// the same live room, as valid LiveEvents.
import { createServer } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { main, startDemoServer, type DemoServer } from '../../src-main/cli/demo-server';
import { checkEvent } from '../../src-main/events/check';
import type { LiveEvent } from '../../src-main/events/live-event';

let server: DemoServer | undefined;
const clients: (WebSocket | Socket)[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A WebSocket client on /events that keeps every frame and every event in them. */
function listenWs(url: string): { frames: unknown[]; events: unknown[]; socket: WebSocket } {
  const socket = new WebSocket(url);
  clients.push(socket);
  const frames: unknown[] = [];
  const events: unknown[] = [];
  socket.on('message', (data) => {
    const frame: unknown = JSON.parse(String(data));
    frames.push(frame);
    events.push(...(Array.isArray(frame) ? frame : [frame]));
  });
  return { frames, events, socket };
}

/** A socket.io client that keeps every message as [name, payload]. */
function listenSocketIo(url: string): { messages: [string, unknown][]; socket: Socket } {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(socket);
  const messages: [string, unknown][] = [];
  socket.onAny((name: string, payload: unknown) => messages.push([name, payload]));
  return { messages, socket };
}

function validEvents(values: unknown[]): LiveEvent[] {
  const checks = values.map((v) => checkEvent(v));
  expect(checks.filter((c) => !c.ok)).toEqual([]);
  return checks.flatMap((c) => (c.ok ? [c.event] : []));
}

describe('demo server', () => {
  it('streams one live room to WebSocket and socket.io clients: valid events, unique ids, the same events on both', async () => {
    server = await startDemoServer({ port: 0, seed: 5, rate: 400 });
    expect(server.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/events$/);
    expect(server.socketIoUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ws = listenWs(server.wsUrl);
    const sio = listenSocketIo(server.socketIoUrl);
    await until(() => ws.events.length >= 400 && sio.messages.length >= 400);

    const wsEvents = validEvents(ws.events);
    expect(new Set(wsEvents.map((e) => e.id)).size).toBe(wsEvents.length);
    expect(ws.frames.some((f) => Array.isArray(f))).toBe(true); // batched at 400 events/s

    const sioEvents = validEvents(sio.messages.map(([, payload]) => payload));
    expect(sio.messages.every(([name, payload]) => name === (payload as LiveEvent).kind)).toBe(true);
    expect(new Set(sioEvents.map((e) => e.id)).size).toBe(sioEvents.length);

    const byId = new Map(wsEvents.map((e) => [e.id, e]));
    const shared = sioEvents.filter((e) => byId.has(e.id));
    expect(shared.length).toBeGreaterThan(200);
    for (const e of shared) expect(e).toEqual(byId.get(e.id));
    expect(wsEvents.some((e) => e.kind === 'chat')).toBe(true);
  });

  it('sends one event per frame when the room is quiet', async () => {
    server = await startDemoServer({ port: 0, seed: 6, rate: 10 });
    const ws = listenWs(server.wsUrl);
    await until(() => ws.frames.filter((f) => !Array.isArray(f)).length >= 3);
    validEvents(ws.events);
  });

  it('serves a page at /, refuses other WebSocket paths, and stops cleanly on close', async () => {
    server = await startDemoServer({ port: 0, seed: 7, rate: 100 });
    const http = server.socketIoUrl;
    const page = await fetch(`${http}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/events');
    expect((await fetch(`${http}/nothing`)).status).toBe(404);
    const refused = new WebSocket(`${http.replace('http', 'ws')}/other`);
    await expect(new Promise((_resolve, reject) => refused.once('error', reject))).rejects.toThrow(/404/);

    const ws = listenWs(server.wsUrl);
    const sio = listenSocketIo(server.socketIoUrl);
    await until(() => ws.events.length > 0 && sio.messages.length > 0);
    const wsClosed = new Promise((resolve) => ws.socket.once('close', resolve));
    const sioGone = new Promise((resolve) => sio.socket.once('disconnect', resolve));
    await server.close();
    server = undefined;
    await Promise.all([wsClosed, sioGone]);
    // The port is free again.
    const port = Number(new URL(http).port);
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => probe.close(resolve));
  });

  it('runs from the command line with --port --seed --rate, printing both URLs, and rejects bad flags', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    server = await main(['--port', '0', '--seed', '3', '--rate', '50']);
    const printed = log.mock.calls.flat().join('\n');
    expect(printed).toContain(server.wsUrl);
    expect(printed).toContain(server.socketIoUrl);
    const ws = listenWs(server.wsUrl);
    await until(() => ws.events.length > 0);
    await expect(main(['--rate', '0'])).rejects.toThrow(/--rate/);
    await expect(main(['--port', 'x'])).rejects.toThrow(/--port/);
    await expect(main(['--speed', '3'])).rejects.toThrow();
  });
});
