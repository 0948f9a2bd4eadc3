// source_ingest: the JSON WebSocket source over loopback, one event per frame, measured from
// connecting to the last event leaving the ingress (decode + validate + de-dup), against the floor
// on the same frames: a bare `ws` client doing only JSON.parse. The sender runs in a worker thread
// and writes the frames pre-encoded in one go, so only the receiving side is measured.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { Ingress } from '../../src-main/pipeline/ingress';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';
import { Intake } from '../../src-main/sources/intake';
import { WsSource } from '../../src-main/sources/ws-source';
import type { Benchmark } from './run';

const EVENTS = 300_000;
const START = Date.UTC(2026, 10, 23, 12);

let wire: { count: number; bytes: Buffer } | undefined;

/** The bench events, each as one unmasked WebSocket text frame (server to client), all concatenated. */
function benchWire(): { count: number; bytes: Buffer } {
  if (!wire) {
    const room = new DemoRoom({ seed: 42, startTs: START, rate: 5_000 });
    const events = room.eventsUntil(START + (EVENTS / 5_000) * 1000 * 1.2).slice(0, EVENTS);
    const frames = events.map((e) => {
      const payload = Buffer.from(JSON.stringify(e));
      const n = payload.length;
      const header = n < 126 ? Buffer.from([0x81, n]) : Buffer.from([0x81, 126, n >> 8, n & 0xff]);
      return Buffer.concat([header, payload]);
    });
    wire = { count: frames.length, bytes: Buffer.concat(frames) };
  }
  return wire;
}

const senderCode = `
const { parentPort, workerData } = require('node:worker_threads');
const { WebSocketServer } = require(workerData.ws);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('listening', () => parentPort.postMessage(wss.address().port));
wss.on('connection', (socket) => socket._socket.write(workerData.bytes));
`;

async function withSender<T>(use: (url: string) => Promise<T>): Promise<T> {
  const worker = new Worker(senderCode, { eval: true, workerData: { bytes: benchWire().bytes, ws: createRequire(import.meta.url).resolve('ws') } });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return await use(`ws://127.0.0.1:${port}`);
  } finally {
    await worker.terminate();
  }
}

function floor(url: string, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = new WebSocket(url);
    let n = 0;
    socket.on('message', (data: Buffer) => {
      JSON.parse(data.toString());
      if (++n === count) {
        resolve(performance.now() - started);
        socket.terminate();
      }
    });
    socket.on('error', reject);
  });
}

function full(url: string, count: number): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    let n = 0;
    const ingress = new Ingress(() => {
      if (++n === count) {
        resolve(performance.now() - started);
        source.stop();
      }
    });
    const source = new WsSource({ url, silenceSec: 30, heartbeatSec: 0 });
    source.start(new Intake({ id: 'bench', platform: 'other', roomId: '' }, ingress));
  });
}

export const sourceIngest: Benchmark = {
  name: 'source_ingest',
  runs: 7,
  async run() {
    const { count } = benchWire();
    const floorMs = await withSender((url) => floor(url, count));
    const fullMs = await withSender((url) => full(url, count));
    const perSec = (ms: number): number => (count * 1000) / ms;
    return {
      source_ingest_events_per_s: perSec(fullMs),
      source_ingest_floor_events_per_s: perSec(floorMs),
      source_ingest_floor_ratio: floorMs / fullMs,
    };
  },
};
