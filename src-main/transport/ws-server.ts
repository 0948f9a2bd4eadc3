// Browser mode: one HTTP server on 127.0.0.1 (by default) that serves the built renderer and carries
// the contract over a WebSocket at /ws. The same page is the ops dashboard at / and the anchor
// overlay at /anchor (an OBS browser source). Binding any other host requires a token, which every
// request must carry (query `token`, then a cookie; or an `Authorization: Bearer` header); the
// overlay's URL carries a derived view token that can only read.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch, type Handlers, type WirePush, type WireReply } from '../contract';
import { safeEqual } from '../shared/safe-equal';

export interface WebServerOptions {
  handlers: Handlers;
  /** Subscribes to the engine's pushed streams; returns the unsubscribe. */
  onPush: (listener: (push: WirePush) => void) => () => void;
  staticDir: string;
  host: string;
  port: number;
  /** Required when `host` is not a loopback address. */
  token?: string;
}

/** What a connection may do: everything, or (the anchor overlay's token) only read. */
type Access = 'full' | 'view';

export interface WebServer {
  url: string;
  /** The anchor overlay for OBS; with a token, it carries a read-only one. */
  anchorUrl: string;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 1024 * 1024;
/** A client this far behind on pushes is skipped until it drains (snapshots are replaced, not queued). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const COOKIE = 'livedeck_token';
const pageRoutes = new Set(['/', '/index.html', '/anchor']);
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { host, token } = options;
  if (!isLoopback(host) && !token) throw new Error(`binding ${host} needs a token (--token or LIVEDECK_TOKEN)`);

  // The anchor overlay gets its own token, derived from the real one, that can only read.
  const viewToken = token && createHmac('sha256', token).update('livedeck anchor view').digest('base64url').slice(0, 24);
  const offeredToken = (req: IncomingMessage, url: URL): string | undefined =>
    url.searchParams.get('token') ?? req.headers.authorization?.replace(/^Bearer /, '') ?? parseCookies(req.headers.cookie)[COOKIE];
  const access = (req: IncomingMessage, url: URL): Access | undefined => {
    if (!token || !viewToken) return 'full';
    const offered = offeredToken(req, url);
    if (offered === undefined) return undefined;
    if (safeEqual(offered, token)) return 'full';
    return safeEqual(offered, viewToken) ? 'view' : undefined;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!access(req, url)) return send(res, 401, 'unauthorized: this LiveDeck needs ?token=…');
    const fromQuery = url.searchParams.get('token');
    if (token && fromQuery) res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(fromQuery)}; HttpOnly; SameSite=Strict; Path=/`);
    serveStatic(options.staticDir, url.pathname, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, skipUTF8Validation: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    const sameOrigin = origin === undefined || origin === `http://${req.headers.host}`;
    const level = access(req, url);
    if (url.pathname !== '/ws' || !sameOrigin || !level) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveContract(ws, options.handlers, level === 'view'));
  });

  const unsubscribe = options.onPush((push) => {
    const frame = JSON.stringify(push);
    for (const client of wss.clients) {
      if (client.readyState === client.OPEN && client.bufferedAmount < MAX_BUFFERED_BYTES) client.send(frame);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const base = `http://${shownHost}:${port}`;
  return {
    url: `${base}/${token ? `?token=${encodeURIComponent(token)}` : ''}`,
    anchorUrl: `${base}/anchor${viewToken ? `?token=${viewToken}` : ''}`,
    close: async () => {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers each frame with a reply; a bad frame gets a typed error and the connection stays up. */
function serveContract(ws: WebSocket, handlers: Handlers, viewOnly: boolean): void {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    let message: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      message = JSON.parse(decoder.decode(data));
    } catch {
      reply(ws, { id: null, ok: false, error: { code: 'bad_json', message: 'frames must be JSON text in UTF-8' } });
      return;
    }
    void dispatch(handlers, message, viewOnly).then((r) => reply(ws, r));
  });
}

function reply(ws: WebSocket, r: WireReply): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(r));
}

function serveStatic(root: string, pathname: string, res: ServerResponse): void {
  let relative: string;
  try {
    relative = pageRoutes.has(pathname) ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    return send(res, 400, 'bad path');
  }
  const file = normalize(join(root, relative));
  if (!file.startsWith(normalize(root) + sep) || !existsSync(file) || !statSync(file).isFile()) {
    return send(res, 404, 'not found');
  }
  res.writeHead(200, {
    'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': relative === 'index.html' ? 'no-store' : 'max-age=3600',
  });
  createReadStream(file).pipe(res);
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    try {
      if (k) out[k] = decodeURIComponent(v.join('='));
    } catch {
      // A malformed cookie is simply not a token.
    }
  }
  return out;
}
