// `npm run demo-server`: the demo room served the way a relay (a company middle platform, a capture
// tool) serves a live room, to try LiveDeck's WebSocket and socket.io sources with no platform at all.
// One HTTP server and one DemoRoom played in real time; every client gets the same live stream:
// - WebSocket at /events: JSON text frames, each one LiveEvent, or an array of them when a tick has many;
// - socket.io at /socket.io: one message per event, named by its kind, with the LiveEvent as payload.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer } from 'ws';
import type { LiveEvent } from '../events/live-event';
import { DemoRoom } from '../sources/demo/demo-room';
import { messageOf } from '../shared/values';

export interface DemoServerOptions {
  port: number;
  host?: string;
  seed: number;
  /** Events per second, all kinds together. */
  rate: number;
}

export interface DemoServer {
  wsUrl: string;
  socketIoUrl: string;
  close(): Promise<void>;
}

export const DEFAULT_DEMO_SERVER_PORT = 4318;
const DEFAULT_SEED = 20261123;
const DEFAULT_RATE = 200;
const MAX_RATE = 50_000;
const TICK_MS = 50;
const EVENTS_PATH = '/events';
/** A tick with up to this many events sends one frame per event; more go out as arrays. */
const SINGLE_FRAMES_UP_TO = 2;
/** Events per array frame, well under a receiver's 1 MiB frame limit. */
const MAX_BATCH = 500;
/** A WebSocket client this far behind is disconnected (it can reconnect) rather than fed forever. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export async function startDemoServer({ port, host = '127.0.0.1', seed, rate }: DemoServerOptions): Promise<DemoServer> {
  const http = createServer((req, res) => answerPage(req.url ?? '/', res));
  const io = new SocketIoServer(http, { serveClient: false, destroyUpgrade: false });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === EVENTS_PATH) {
      wss.handleUpgrade(req, socket, head, (ws) => ws.on('error', () => ws.terminate()));
    } else if (!pathname.startsWith('/socket.io/')) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    }
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, resolve);
  });

  const sendToWebSockets = (events: LiveEvent[]): void => {
    if (wss.clients.size === 0) return;
    for (const frame of framesOf(events)) {
      for (const client of wss.clients) {
        if (client.readyState !== client.OPEN) continue;
        if (client.bufferedAmount > MAX_BUFFERED_BYTES) client.close(1013, 'too slow, reconnect');
        else client.send(frame);
      }
    }
  };
  const sendToSocketIo = (events: LiveEvent[]): void => {
    if (io.engine.clientsCount === 0) return;
    for (const event of events) io.emit(event.kind, event);
  };

  const room = new DemoRoom({ seed, rate, startTs: Date.now() });
  const timer = setInterval(() => {
    const events = room.eventsUntil(Date.now());
    if (events.length === 0) return;
    sendToWebSockets(events);
    sendToSocketIo(events);
  }, TICK_MS);

  const { port: boundPort } = http.address() as AddressInfo;
  const origin = `${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  return {
    wsUrl: `ws://${origin}${EVENTS_PATH}`,
    socketIoUrl: `http://${origin}`,
    close: async () => {
      clearInterval(timer);
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = io.close(); // disconnects socket.io clients, then closes the HTTP server
      http.closeAllConnections();
      await closed;
    },
  };
}

/** One frame per event for a quiet tick, arrays of up to MAX_BATCH events otherwise. */
function framesOf(events: LiveEvent[]): string[] {
  if (events.length <= SINGLE_FRAMES_UP_TO) return events.map((e) => JSON.stringify(e));
  const frames: string[] = [];
  for (let i = 0; i < events.length; i += MAX_BATCH) frames.push(JSON.stringify(events.slice(i, i + MAX_BATCH)));
  return frames;
}

/** A plain-text page at / saying where the streams are. */
function answerPage(url: string, res: ServerResponse): void {
  if (url !== '/') {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  res
    .writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
    .end(`LiveDeck 演示直播间 (demo room)\nWebSocket: ${EVENTS_PATH} (JSON: one LiveEvent or an array per frame)\nsocket.io: default path, one message per event named by its kind\n`);
}

/** The command line: `--port N --seed N --rate N`; prints both URLs and stops on Ctrl+C. */
export async function main(argv: string[]): Promise<DemoServer> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: String(DEFAULT_DEMO_SERVER_PORT) },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      rate: { type: 'string', default: String(DEFAULT_RATE) },
    },
  });
  const server = await startDemoServer({
    port: numberFlag('port', values.port, 0, 65_535, true),
    seed: numberFlag('seed', values.seed, 0, 2 ** 32 - 1, true),
    rate: numberFlag('rate', values.rate, 1, MAX_RATE, false),
  });
  console.log(`LiveDeck demo server: seed ${values.seed}, ${values.rate} events/s`);
  console.log(`  WebSocket: ${server.wsUrl}`);
  console.log(`  socket.io: ${server.socketIoUrl}`);
  const shutdown = (): void => void server.close().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return {
    ...server,
    close: async () => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      await server.close();
    },
  };
}

function numberFlag(name: string, text: string, min: number, max: number, integer: boolean): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${text}"`);
  }
  return n;
}

if (process.argv[1]?.endsWith('demo-server.js')) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`demo server could not start: ${messageOf(err)}`);
    process.exit(1);
  });
}
