// Douyin or TikTok through a relay that forwards the room's raw Webcast push frames (binary
// protobuf) over a WebSocket, e.g. a capture tool beside the logged-in browser. Frames are decoded by
// WebcastDecoder; the acks the platform asks for go back through the relay. Reconnection, the
// silence watchdog and pings as for every socket source.
import { MAX_FRAME_BYTES, sampleOf } from '../../decode';
import type { Intake } from '../../intake';
import { ReconnectingSource, type Backoff, type Link } from '../../reconnect';
import { openWebSocket } from '../../websocket';
import { WebcastDecoder, type WebcastPlatform } from './webcast-decoder';

export interface WebcastSourceOptions {
  /** The relay's WebSocket (ws:// or wss://). */
  url: string;
  /** Whose frames these are. */
  platform: WebcastPlatform;
  /** No frame (or pong) for this long → stalled and replaced; default 30, 0 disables. */
  silenceSec?: number;
  /** Ping interval; default 15, 0 disables. */
  heartbeatSec?: number;
  backoff?: Backoff;
}

export class WebcastSource extends ReconnectingSource {
  private readonly decoder: WebcastDecoder;
  private readonly heartbeatSec: number;

  constructor(private readonly options: WebcastSourceOptions) {
    super(options.url, options.silenceSec ?? 30, options.backoff);
    this.decoder = new WebcastDecoder(options.platform);
    this.heartbeatSec = options.heartbeatSec ?? 15;
  }

  protected connect(intake: Intake, link: Link): () => void {
    // Text frames are refused and counted by `take`, valid UTF-8 or not, rather than closing the connection (1007).
    return openWebSocket(intake, link, { url: this.options.url, heartbeatSec: this.heartbeatSec, skipUTF8Validation: true }, (data, isBinary, socket) => {
      const ack = this.take(intake, data, isBinary);
      if (ack) socket.send(ack);
    });
  }

  private take(intake: Intake, data: Buffer, isBinary: boolean): Uint8Array | undefined {
    if (!isBinary) {
      intake.error({ reason: 'bad_frame', kind: '?', message: 'a text frame: Webcast frames are binary', sample: sampleOf(data, 'utf8') });
      return undefined;
    }
    if (data.length > MAX_FRAME_BYTES) {
      intake.error({ reason: 'too_large', kind: '?', message: `frame of ${data.length} bytes`, sample: '' });
      return undefined;
    }
    return this.decoder.take(intake, data, Date.now());
  }
}
