// source_ingest: the JSON WebSocket source over loopback, one event per frame, measured from
// connecting to the last event leaving the ingress (decode + validate + de-dup), against the floor
// on the same frames: a bare `ws` client doing only JSON.parse. The sender runs in a worker thread
// so it does not share the measured event loop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { Ingress } from '../../src-main/pipeline/ingress';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';
import { Intake } from '../../src-main/sources/intake';
import { WsSource } from '../../src-main/sources/ws-source';
import type { Benchmark } from './run';

const EVENTS = 200_000;
const START = Date.UTC(2026, 10, 23, 12);

let frames: string[] | undefined;
function benchFrames(): string[] {
  if (!frames) {
    const room = new DemoRoom({ seed: 42, startTs: START, rate: 5_000 });
    const events = room.eventsUntil(START + (EVENTS / 5_000) * 1000 * 1.2).slice(0, EVENTS);
    frames = events.map((e) => JSON.stringify(e));
  }
  return frames;
}

const senderCode = `
const { parentPort, workerData } = require('node:worker_threads');
const { WebSocketServer } = require(workerData.ws);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('listening', () => parentPort.postMessage(wss.address().port));
wss.on('connection', (socket) => { for (const frame of workerData.frames) socket.send(frame); });
`;

async function withSender<T>(use: (url: string) => Promise<T>): Promise<T> {
  const worker = new Worker(senderCode, { eval: true, workerData: { frames: benchFrames(), ws: createRequire(import.meta.url).resolve('ws') } });
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
  runs: 5,
  async run() {
    const count = benchFrames().length;
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
