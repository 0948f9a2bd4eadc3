// WeChat Channels (视频号) through a polling relay: a wxlivespy-style tool polls the anchor console
// and POSTs each poll's JSON here (optionally gzipped), on a local port like the HTTP push receiver:
// same paths, token, size limit, and 503 with Retry-After while the pipeline is congested. The poll
// becomes events through channels.ts; the answer says what became of them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzip } from 'node:zlib';
import { safeEqual } from '../../../shared/safe-equal';
import { MAX_BODY_BYTES, type HttpPushOptions } from '../../http-push-source';
import type { Intake, TakeResult } from '../../intake';
import type { Source } from '../../source';
import { ChannelsMessages } from './channels';

/** port (0 picks a free one), host (default 127.0.0.1), token (then `Authorization: Bearer <token>` is required). */
export type ChannelsPushOptions = HttpPushOptions;

export class ChannelsPushSource implements Source {
  private server: Server | undefined;
  private readonly messages = new ChannelsMessages();

  constructor(private readonly options: ChannelsPushOptions) {}

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
    if (req.method !== 'POST' || (path !== '/events' && path !== '/')) return reply(404, { error: 'POST polls to /events' });
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
      if (size > MAX_BODY_BYTES) return this.refuse(intake, reply, 413, 'too_large', `body of ${size} bytes`, '');
      const body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] !== 'gzip') return this.take(intake, reply, body);
      gunzip(body, { maxOutputLength: MAX_BODY_BYTES }, (err, plain) => {
        if (err) this.refuse(intake, reply, 400, 'bad_frame', `gzip: ${err.message}`, body.subarray(0, 300).toString('latin1'));
        else this.take(intake, reply, plain);
      });
    });
  }

  private take(intake: Intake, reply: (status: number, body: object) => void, body: Buffer): void {
    let poll: unknown;
    try {
      poll = JSON.parse(body.toString('utf8'));
    } catch (err) {
      return this.refuse(intake, reply, 400, 'bad_frame', `not JSON: ${err instanceof Error ? err.message : ''}`, body.subarray(0, 300).toString('utf8'));
    }
    const { events, errors } = this.messages.map(poll, Date.now());
    for (const error of errors) intake.error(error);
    const result: TakeResult = { ...intake.value(events) };
    result.rejected += errors.length;
    reply(200, result);
  }

  private refuse(intake: Intake, reply: (status: number, body: object) => void, status: number, reason: 'too_large' | 'bad_frame', message: string, sample: string): void {
    intake.error({ reason, kind: '?', message, sample });
    reply(status, { error: message });
  }
}
