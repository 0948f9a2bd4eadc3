// Browser mode: one HTTP server on 127.0.0.1 (by default) that serves the built renderer and carries
// the contract over a WebSocket at /ws. The same page is the ops dashboard at / and the anchor
// overlay at /anchor (an OBS browser source). Binding any other host requires a token, which every
// request must carry (query `token`, then a cookie; or an `Authorization: Bearer` header); the
// overlay's URL carries a derived view token that can only read, and a read-only client is sent the
// anchor's share of each snapshot (anchor-view.ts). On loopback the Host header must name loopback
// too (no DNS rebinding) and a WebSocket upgrade must come from the server's own origin. The HTTP side
// serves files only (GET/HEAD, no bodies); the socket's per-connection limits are connection-limits.ts.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch, type Handlers, type Snapshot, type StreamName, type WirePush, type WireReply } from '../contract';
import { safeEqual } from '../shared/safe-equal';
import { anchorSnapshot } from './anchor-view';
import { defaultLimits, leadingId, noRefusals, TokenBucket, type ConnectionLimits, type LimitCounts } from './connection-limits';

export interface WebServerOptions {
  handlers: Handlers;
  /** Subscribes to the engine's pushed streams; returns the unsubscribe. */
  onPush: (listener: (push: WirePush) => void) => () => void;
  staticDir: string;
  host: string;
  port: number;
  /** Required when `host` is not a loopback address. */
  token?: string;
  /** Per-connection limits of the contract socket (defaults: `defaultLimits`). */
  limits?: Partial<ConnectionLimits>;
}

/** What a connection may do: everything, or (the anchor overlay) only read. */
type Access = 'full' | 'view';

export interface WebServer {
  /** The dashboard's URL, with the token when there is one: for the program, never for a log. */
  url: string;
  /** The dashboard's URL for people to read: a token in it is replaced by a placeholder. */
  shownUrl: string;
  /** The anchor overlay for OBS; with a token, it carries a read-only one. */
  anchorUrl: string;
  /** Requests refused by the per-connection limits since the server started, and connections open now. */
  stats(): LimitCounts & { connections: number };
  close(): Promise<void>;
}

/** A client this far behind on pushes is skipped until it drains (snapshots are replaced, not queued). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const COOKIE = 'livedeck_token';
/** A page asks for read-only access for itself with `/ws?view=anchor` (the anchor route does). */
const VIEW_PARAM = 'view';
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
/** On every answer: no framing (clickjacking), no referrer (the URL may carry the token), no sniffing. */
const securityHeaders = {
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { host, token } = options;
  if (!isLoopback(host) && !token) throw new Error(`binding ${host} needs a token (--token or LIVEDECK_TOKEN)`);
  const limits = { ...defaultLimits, ...options.limits };
  const refused = noRefusals();

  // The anchor overlay gets its own token, derived from the real one, that can only read.
  const viewToken = token && createHmac('sha256', token).update('livedeck anchor view').digest('base64url').slice(0, 24);
  const offeredToken = (req: IncomingMessage, url: URL): string | undefined =>
    url.searchParams.get('token') ?? req.headers.authorization?.replace(/^Bearer /, '') ?? parseCookies(req.headers.cookie)[COOKIE];
  // Bound to loopback, a Host naming anything else is a web page whose name was rebound onto 127.0.0.1.
  const hostAllowed = (req: IncomingMessage): boolean => !isLoopback(host) || isLoopback(hostnameOf(req.headers.host));
  const access = (req: IncomingMessage, url: URL): Access | undefined => {
    if (!token || !viewToken) return 'full';
    const offered = offeredToken(req, url);
    if (offered === undefined) return undefined;
    if (safeEqual(offered, token)) return 'full';
    return safeEqual(offered, viewToken) ? 'view' : undefined;
  };

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!hostAllowed(req)) return send(res, 403, 'this LiveDeck answers only at a loopback address (127.0.0.1, localhost)');
    if (!access(req, url)) return send(res, 401, 'unauthorized: this LiveDeck needs ?token=…');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'this server only serves files', true);
    }
    if (hasBody(req)) return send(res, 413, 'requests to this server carry no body', true);
    const fromQuery = url.searchParams.get('token');
    if (token && fromQuery) res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(fromQuery)}; HttpOnly; SameSite=Strict; Path=/`);
    serveStatic(options.staticDir, url.pathname, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes, skipUTF8Validation: true });
  const viewers = new WeakSet<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    const sameOrigin = origin === undefined || origin === `http://${req.headers.host}`;
    const level = access(req, url);
    if (url.pathname !== '/ws' || !hostAllowed(req) || !sameOrigin || !level) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    const viewOnly = level === 'view' || url.searchParams.get(VIEW_PARAM) === 'anchor';
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (viewOnly) viewers.add(ws);
      serveContract(ws, options.handlers, viewOnly, limits, refused);
    });
  });

  const unsubscribe = options.onPush((push) => {
    const frame = JSON.stringify(push);
    let viewFrame: string | undefined;
    for (const client of wss.clients) {
      if (client.readyState !== client.OPEN || client.bufferedAmount >= MAX_BUFFERED_BYTES) continue;
      if (!viewers.has(client)) client.send(frame);
      else if (viewStreams.has(push.stream)) client.send((viewFrame ??= JSON.stringify(viewPush(push))));
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
    shownUrl: `${base}/${token ? '?token=<your --token>' : ''}`,
    anchorUrl: `${base}/anchor${viewToken ? `?token=${viewToken}` : ''}`,
    stats: () => ({ ...refused, connections: wss.clients.size }),
    close: async () => {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The streams a read-only client is sent (snapshots cut down to the anchor's share): no replays, no imports. */
const viewStreams: ReadonlySet<StreamName> = new Set<StreamName>(['snapshot', 'settings']);

/** A push as a read-only client receives it. */
function viewPush(push: WirePush): WirePush {
  return push.stream === 'snapshot' ? { stream: 'snapshot', payload: anchorSnapshot(push.payload as Snapshot) } : push;
}

/**
 * Answers each frame with a reply; a bad, oversized or rate-limited frame gets a typed error and the
 * connection stays up. Read-only clients may only read, and read the anchor's share of a snapshot.
 */
function serveContract(ws: WebSocket, handlers: Handlers, viewOnly: boolean, limits: ConnectionLimits, refused: LimitCounts): void {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const bucket = new TokenBucket(limits.burst, limits.perSecond);
  const refuse = (frame: Buffer, code: 'rate_limited' | 'too_large', message: string): void => {
    refused[code === 'rate_limited' ? 'rateLimited' : 'tooLarge']++;
    reply(ws, { id: leadingId(frame), ok: false, error: { code, message } });
  };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!bucket.take()) return refuse(data, 'rate_limited', `more than ${limits.perSecond} requests a second: wait and try again`);
    if (data.length > limits.maxRequestBytes) return refuse(data, 'too_large', `a request may be at most ${limits.maxRequestBytes} bytes`);
    let message: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      message = JSON.parse(decoder.decode(data));
    } catch {
      reply(ws, { id: null, ok: false, error: { code: 'bad_json', message: 'frames must be JSON text in UTF-8' } });
      return;
    }
    void dispatch(handlers, message, viewOnly).then((r) => {
      const cut = viewOnly && r.ok && (message as { method?: unknown }).method === 'getSnapshot';
      reply(ws, cut ? { ...r, result: anchorSnapshot(r.result as Snapshot) } : r);
    });
  });
  // ws reports a frame it will not read (over maxFrameBytes, or malformed) here, then closes the connection.
  ws.on('error', (err: Error & { code?: string }) => {
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') refused.closedOversize++;
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
    ...securityHeaders,
    'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': relative === 'index.html' ? 'no-store' : 'max-age=3600',
  });
  createReadStream(file).pipe(res);
}

/** A plain-text answer; `close` ends the connection too (a body the client may still send is not read). */
function send(res: ServerResponse, status: number, text: string, close = false): void {
  res.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8', ...(close && { Connection: 'close' }) });
  res.end(text);
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** The host name of a Host header (`127.0.0.1:4317`, `[::1]:4317`, `localhost`), lower-cased. */
function hostnameOf(header: string | undefined): string {
  if (!header) return '';
  const name = header.startsWith('[') ? header.slice(1, header.indexOf(']')) : header.split(':')[0];
  return name.toLowerCase();
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
