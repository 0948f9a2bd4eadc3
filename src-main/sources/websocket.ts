// One WebSocket connection for a ReconnectingSource: opens it, pings to keep it warm, reports open,
// data and loss to the link, and pauses reading while the pipeline is congested. Every source that
// reads a WebSocket (generic JSON, BarrageGrab, Webcast, …) connects through this.
import WebSocket from 'ws';
import { HARD_FRAME_BYTES } from './decode';
import type { Intake } from './intake';
import type { Link } from './reconnect';

export interface WebSocketOptions {
  url: string;
  /** Ping interval; 0 disables. */
  heartbeatSec: number;
  /** Leave UTF-8 checking of text frames to the source (which counts bad ones instead of dropping the line). */
  skipUTF8Validation?: boolean;
}

/** Opens the connection; `onMessage` gets each frame. Returns how to close it. */
export function openWebSocket(
  intake: Intake,
  link: Link,
  options: WebSocketOptions,
  onMessage: (data: Buffer, isBinary: boolean, socket: WebSocket) => void,
): () => void {
  const socket = new WebSocket(options.url, { maxPayload: HARD_FRAME_BYTES, skipUTF8Validation: options.skipUTF8Validation, handshakeTimeout: 10_000 });
  let heartbeat: NodeJS.Timeout | undefined;
  /** When the relay was last heard from (a frame or a pong). */
  let heard = 0;
  socket.on('open', () => {
    link.connected();
    heard = Date.now();
    const everyMs = options.heartbeatSec * 1000;
    // Pings only on a quiet line, never while reading is paused, and decided after this turn's input
    // is read (setImmediate): a write to a connection the relay has just closed resets it, and Node
    // then discards with the socket all the relay sent that is still unread, megabytes behind a flood.
    const ping = (): void => {
      if (!socket.isPaused && Date.now() - heard >= everyMs / 2) socket.ping();
    };
    if (everyMs > 0) heartbeat = setInterval(() => setImmediate(ping), everyMs);
  });
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    heard = Date.now();
    link.data();
    intake.raw(data);
    onMessage(data, isBinary, socket);
    if (intake.congested) {
      socket.pause();
      intake.whenDrained(() => socket.resume());
    }
  });
  socket.on('pong', () => {
    heard = Date.now();
    link.data();
  });
  socket.on('error', (err) => link.lost(err.message));
  socket.on('close', (code) => link.lost(`closed (${code})`));
  return () => {
    clearInterval(heartbeat);
    socket.removeAllListeners();
    socket.on('error', () => {});
    socket.terminate();
  };
}
