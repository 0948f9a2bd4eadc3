// The renderer's one door to the engine. It picks the transport it finds, the desktop preload or the
// browser-mode WebSocket, and offers the same typed calls either way: the UI never knows which.
import type { ArgsOf, DesktopApi, Method, ResultOf, StreamName, Streams, WirePush, WireReply } from '@contract';
import { isAnchorPage } from './route.svelte';

export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface EngineClient {
  readonly kind: 'desktop' | 'browser';
  invoke<M extends Method>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  on<S extends StreamName>(stream: S, listener: (payload: Streams[S]) => void): () => void;
  /** Told true whenever the link to the engine (re)opens, false when it drops. */
  onConnection(listener: (connected: boolean) => void): () => void;
}

type PushListener = (push: WirePush) => void;

function unwrap<T>(reply: WireReply): T {
  if (!reply.ok) throw new EngineError(reply.error.code, reply.error.message);
  return reply.result as T;
}

function streamFilter<S extends StreamName>(stream: S, listener: (payload: Streams[S]) => void): PushListener {
  return (push) => {
    if (push.stream === stream) listener(push.payload as Streams[S]);
  };
}

function desktopClient(api: DesktopApi): EngineClient {
  return {
    kind: 'desktop',
    invoke: async (method, args) => unwrap(await (api.request[method] as (a: unknown) => Promise<WireReply>)(args)),
    on: (stream, listener) => api.onPush(streamFilter(stream, listener)),
    onConnection: (listener) => {
      listener(true);
      return () => {};
    },
  };
}

function browserClient(): EngineClient {
  const query = new URLSearchParams();
  const token = new URLSearchParams(location.search).get('token');
  if (token) query.set('token', token);
  // The anchor overlay only reads, and asks to be sent only what it shows (no viewer's personal data).
  if (isAnchorPage()) query.set('view', 'anchor');
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws${query.size ? `?${query}` : ''}`;
  const pending = new Map<number, (reply: WireReply) => void>();
  const pushListeners = new Set<PushListener>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let socket: WebSocket | undefined;
  let open: Promise<WebSocket>;
  let nextId = 1;
  let retry = 0;

  const connect = (): void => {
    open = new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        retry = 0;
        socket = ws;
        resolve(ws);
        for (const l of connectionListeners) l(true);
      };
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as WireReply | WirePush;
        if ('stream' in message) for (const l of pushListeners) l(message);
        else if (message.id !== null) {
          pending.get(message.id)?.(message);
          pending.delete(message.id);
        }
      };
      ws.onclose = () => {
        if (socket === ws) for (const l of connectionListeners) l(false);
        socket = undefined;
        for (const [id, settle] of pending) settle({ id, ok: false, error: { code: 'internal', message: 'connection lost' } });
        pending.clear();
        setTimeout(connect, Math.min(5000, 250 * 2 ** retry++));
      };
    });
  };
  connect();

  return {
    kind: 'browser',
    invoke: async (method, args) => {
      const ws = await open;
      const id = nextId++;
      const reply = await new Promise<WireReply>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, args }));
      });
      return unwrap(reply);
    },
    on: (stream, listener) => {
      const l = streamFilter(stream, listener);
      pushListeners.add(l);
      return () => pushListeners.delete(l);
    },
    onConnection: (listener) => {
      connectionListeners.add(listener);
      if (socket) listener(true);
      return () => connectionListeners.delete(listener);
    },
  };
}

declare global {
  interface Window {
    livedeck?: DesktopApi;
  }
}

export const engine: EngineClient = window.livedeck ? desktopClient(window.livedeck) : browserClient();
