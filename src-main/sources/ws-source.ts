// The generic JSON WebSocket source: connects to a relay that sends one LiveEvent or an array per
// frame. Pings to keep the line warm, and pauses the socket while the pipeline is congested;
// reconnection and the silence watchdog come from ReconnectingSource.
import WebSocket from 'ws';
import { HARD_FRAME_BYTES } from './decode';
import type { Intake } from './intake';
import { ReconnectingSource, type Backoff, type Link } from './reconnect';

export interface WsSourceOptions {
  url: string;
  /** No frame (or pong) for this long → stalled and replaced. 0 disables. */
  silenceSec: number;
  /** Ping interval; 0 disables. */
  heartbeatSec: number;
  backoff?: Backoff;
}

export class WsSource extends ReconnectingSource {
  constructor(private readonly options: WsSourceOptions) {
    super(options.url, options.silenceSec, options.backoff);
  }

  protected connect(intake: Intake, link: Link): () => void {
    const socket = new WebSocket(this.options.url, { maxPayload: HARD_FRAME_BYTES, skipUTF8Validation: true, handshakeTimeout: 10_000 });
    let heartbeat: NodeJS.Timeout | undefined;
    socket.on('open', () => {
      link.connected();
      if (this.options.heartbeatSec > 0) heartbeat = setInterval(() => socket.ping(), this.options.heartbeatSec * 1000);
    });
    socket.on('message', (data: Buffer) => {
      link.data();
      intake.frame(data);
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
}
