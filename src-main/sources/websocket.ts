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
  socket.on('open', () => {
    link.connected();
    if (options.heartbeatSec > 0) heartbeat = setInterval(() => socket.ping(), options.heartbeatSec * 1000);
  });
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    link.data();
    intake.raw(data);
    onMessage(data, isBinary, socket);
    if (intake.congested) {
      socket.pause();
      intake.whenDrained(() => socket.resume());
    }
  });
  socket.on('pong', () => link.data());
  socket.on('error', (err) => link.lost(err.message));
  socket.on('close', (code) => link.lost(`closed (${code})`));
  return () => {
    clearInterval(heartbeat);
    socket.removeAllListeners();
    socket.on('error', () => {});
    socket.terminate();
  };
}
