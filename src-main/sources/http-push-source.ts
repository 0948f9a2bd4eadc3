// The HTTP push receiver: relays and order systems POST events to a local port, as one JSON event, a
// JSON array, or NDJSON (one event per line), optionally gzipped. Answers with what became of them;
// says 503 with Retry-After while the pipeline is congested, so a well-behaved relay waits instead of
// losing data. HttpReceiver is the server part, shared with platform relays that push their own format.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzip } from 'node:zlib';
import { safeEqual } from '../shared/safe-equal';
import { sampleOf } from './decode';
import type { Intake, TakeResult } from './intake';
import type { Source } from './source';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface HttpPushOptions {
  port: number;
  host?: string;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
}

/** What a receiver answers for one body: 200 with the result, or an error status and message. */
export type Answer = { status: 200; result: TakeResult } | { status: 400; error: string };

/**
 * A local HTTP server that takes POSTed bodies at /events (or /): token, size limit, gzip, 503 while
 * congested and the reply are handled here; what a body means is the subclass's `take`.
 */
export abstract class HttpReceiver implements Source {
  private server: Server | undefined;

  constructor(private readonly options: HttpPushOptions) {}

  /** Turns one request body into events for the intake. */
  protected abstract take(intake: Intake, body: Buffer, contentType: string): Answer;

  start(intake: Intake): void {
    const host = this.options.host ?? '127.0.0.1';
    const server = createServer((req, res) => this.handle(intake, req, res));
    this.server = server;
    intake.setState('connecting', `listening on ${host}:${this.options.port}`);
    server.on('error', (err) => intake.setState('error', err.message));
    server.listen(this.options.port, host, () => {
      const { port } = server.address() as AddressInfo;
      intake.setState('connected', `POST http://${host}:${port}/events`);
    });
  }

  stop(): void {
    this.server?.closeAllConnections();
    this.server?.close();
    this.server = undefined;
  }

  /** The bound port (after start), for tests and the Sources page. */
  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  private handle(intake: Intake, req: IncomingMessage, res: ServerResponse): void {
    const reply = (status: number, body: object, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || (path !== '/events' && path !== '/')) return reply(404, { error: 'POST events to /events' });
    if (this.options.token && !safeEqual(req.headers.authorization?.replace(/^Bearer /, '') ?? '', this.options.token)) return reply(401, { error: 'unauthorized' });
    if (intake.congested) return reply(503, { error: 'busy, retry' }, { 'Retry-After': '1' });

    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        intake.error({ reason: 'too_large', kind: '?', message: `body of ${size} bytes`, sample: '' });
        return reply(413, { error: `body over ${MAX_BODY_BYTES} bytes` });
      }
      const body = Buffer.concat(chunks);
      intake.raw(body);
      const answer = (plain: Buffer): void => {
        const a = this.take(intake, plain, req.headers['content-type'] ?? '');
        reply(a.status, a.status === 200 ? a.result : { error: a.error });
      };
      if (req.headers['content-encoding'] !== 'gzip') return answer(body);
      gunzip(body, { maxOutputLength: MAX_BODY_BYTES }, (err, plain) => {
        if (!err) return answer(plain);
        intake.error({ reason: 'bad_frame', kind: '?', message: `gzip: ${err.message}`, sample: sampleOf(body) });
        reply(400, { error: `gzip: ${err.message}` });
      });
    });
  }
}

/** LiveEvents pushed as JSON, a JSON array, or NDJSON. */
export class HttpPushSource extends HttpReceiver {
  protected take(intake: Intake, body: Buffer, contentType: string): Answer {
    return { status: 200, result: /ndjson|jsonl/.test(contentType) ? takeLines(intake, body) : { ...intake.frame(body) } };
  }
}

function takeLines(intake: Intake, body: Buffer): TakeResult {
  const total: TakeResult = { accepted: 0, duplicates: 0, dropped: 0, rejected: 0 };
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    const line = body.subarray(start, end);
    start = end + 1;
    if (line.toString('latin1').trim() === '') continue;
    const r = intake.frame(line);
    total.accepted += r.accepted;
    total.duplicates += r.duplicates;
    total.dropped += r.dropped;
    total.rejected += r.rejected;
  }
  return total;
}
