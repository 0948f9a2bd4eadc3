// latency_p50_ms, latency_p99_ms: how long an event takes to show, in browser mode. A relay on
// 127.0.0.1 sends demo-room events at 2,000/s, one per frame, to the engine's JSON WebSocket source;
// a contract client on the engine's own WebSocket receives the snapshots. An event's latency is the
// time the client received the first snapshot reflecting it minus the time the engine's source
// received its frame (the `recvTs` the intake stamps, read back from the recording afterwards).
// The relay numbers its events `lat-1`, `lat-2`, … in sending order; the pipeline keeps that order,
// so a snapshot whose event counter has risen by n since the relay started reflects events 1..n
// (checked against the numbers of the feed items it carries). latency_wire_p99_ms is the same from
// the relay's send instead, an upper bound that includes the loopback and the engine's socket read.
// Relay and client run in a worker thread with their own event loop, as they would in their own
// processes; the engine and its server run on this thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseCliOptions } from '../../src-main/cli/options';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';
import { openDb } from '../../src-main/storage/db';
import { readEvents } from '../../src-main/storage/event-log';
import { startBrowserMode } from '../../src-main/transport/browser-mode';
import type { Benchmark } from './run';

const RATE = 2_000;
/** Events sent before measuring starts (the engine's code warms up), then the measured ones. */
const WARM_UP_SECONDS = 3;
const SECONDS = 25;
const EVENTS = (WARM_UP_SECONDS + SECONDS) * RATE;
const WARM_UP_EVENTS = WARM_UP_SECONDS * RATE;

/** What the worker saw: when it sent each event (index k − 1 for `lat-k`) and every snapshot. */
interface Seen {
  sentAt: number[];
  snapshots: { at: number; events: number; maxFeedSeq: number }[];
}

/** The demo room's events as the relay's frames, renumbered `lat-1` … in sending order. */
function frames(): string[] {
  const start = Date.now();
  const room = new DemoRoom({ seed: 11, startTs: start, rate: RATE });
  const events = room.eventsUntil(start + (EVENTS / RATE) * 1000 * 1.1).slice(0, EVENTS);
  if (events.length < EVENTS) throw new Error(`the demo room made ${events.length} of ${EVENTS} events`);
  return events.map((e, i) => JSON.stringify({ ...e, id: `lat-${i + 1}` }));
}

/** The relay and the contract client; wall-clock times with sub-millisecond precision. */
const workerCode = `
const { parentPort, workerData } = require('node:worker_threads');
const { WebSocketServer, WebSocket } = require(workerData.ws);
const { frames, rate, engineUrl } = workerData;
const wall = () => performance.timeOrigin + performance.now();
const seen = { sentAt: [], snapshots: [] };
let target = Infinity;
let relay;
const client = new WebSocket(engineUrl);
client.on('message', (data) => {
  const at = wall();
  const push = JSON.parse(String(data));
  if (push.stream !== 'snapshot' || seen.sentAt.length === 0) return;
  let maxFeedSeq = 0;
  for (const item of push.payload.feed) {
    const m = /:lat-(\\d+)$/.exec(item.id);
    if (m) maxFeedSeq = Math.max(maxFeedSeq, Number(m[1]));
  }
  seen.snapshots.push({ at, events: push.payload.health.events, maxFeedSeq });
  if (push.payload.health.events >= target) {
    target = Infinity;
    parentPort.postMessage(seen);
  }
});
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('connection', (ws) => (relay = ws));
client.on('open', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', ({ baseline }) => {
  target = baseline + frames.length;
  const started = performance.now();
  const tick = () => {
    const due = Math.min(frames.length, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    const at = wall();
    while (seen.sentAt.length < due) {
      relay.send(frames[seen.sentAt.length]);
      seen.sentAt.push(at);
    }
    if (seen.sentAt.length < frames.length) setTimeout(tick, 2);
  };
  tick();
});
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** Browser mode on `dataDir` fed by the worker's relay only, played to the end: what the worker saw, and where to find the recording. */
async function play(dataDir: string): Promise<{ seen: Seen; baseline: number; sessionId: string }> {
  const mode = await startBrowserMode({ ...parseCliOptions(['--data-dir', dataDir, '--port', '0']), version: 'bench', staticDir: dataDir });
  const worker = new Worker(workerCode, {
    eval: true,
    workerData: { frames: frames(), rate: RATE, engineUrl: mode.server.url.replace(/^http/, 'ws') + 'ws', ws: createRequire(import.meta.url).resolve('ws') },
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port: number }) => resolve(m.port));
      worker.once('error', reject);
    });
    const { handlers } = mode.engine;
    // Only the relay feeds the room: the demo source goes, a JSON WebSocket source comes.
    await handlers.removeSource({ id: 'demo' });
    await handlers.saveSource({ name: 'relay', type: 'ws', platform: 'other', roomId: '', giftCounts: 'increment', enabled: true, url: `ws://127.0.0.1:${port}`, silenceSec: 30, heartbeatSec: 0 });
    const state = async (): Promise<string> => (await handlers.listSources({}))[0].health.state;
    for (let i = 0; (await state()) !== 'connected' || (await handlers.getSnapshot({})).health.queued > 0; i++) {
      if (i > 100) throw new Error(`the relay source did not connect (${await state()})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const snapshot = await handlers.getSnapshot({});
    const baseline = snapshot.health.events;
    const seen = await new Promise<Seen>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage({ baseline });
    });
    return { seen, baseline, sessionId: snapshot.session.id };
  } finally {
    await worker.terminate();
    await mode.close();
  }
}

/** When the engine's source received each relay event (index k − 1 for `lat-k`), from the recording. */
function receivedAt(dataDir: string, sessionId: string): number[] {
  const db = openDb(dataDir);
  try {
    const recvTs: number[] = [];
    for (const e of readEvents(db, sessionId)) if (e.id.startsWith('lat-')) recvTs[Number(e.id.slice(4)) - 1] = e.recvTs;
    return recvTs;
  } finally {
    db.close();
  }
}

export const latency: Benchmark = {
  name: 'latency',
  runs: 1,
  async run() {
    const dataDir = mkdtempSync(join(tmpdir(), 'livedeck-bench-'));
    try {
      const { seen, baseline, sessionId } = await play(dataDir);
      const recvTs = receivedAt(dataDir, sessionId);
      const engine: number[] = [];
      const wire: number[] = [];
      let k = 0;
      for (const s of seen.snapshots) {
        const reflected = s.events - baseline;
        if (s.maxFeedSeq > reflected) throw new Error(`a snapshot reflecting ${reflected} events shows lat-${s.maxFeedSeq}: the counter does not say which events it reflects`);
        for (; k < reflected; k++) {
          if (recvTs[k] === undefined) throw new Error(`lat-${k + 1} was not recorded`);
          if (k < WARM_UP_EVENTS) continue;
          engine.push(s.at - recvTs[k]);
          wire.push(s.at - seen.sentAt[k]);
        }
      }
      if (k !== EVENTS) throw new Error(`the snapshots reflected ${k} of ${EVENTS} events`);
      engine.sort((a, b) => a - b);
      wire.sort((a, b) => a - b);
      return { latency_p50_ms: percentile(engine, 50), latency_p99_ms: percentile(engine, 99), latency_wire_p99_ms: percentile(wire, 99) };
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
