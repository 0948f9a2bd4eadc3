// The generic JSON WebSocket source: connects to a relay that sends one LiveEvent or an array per
// frame (strict UTF-8 is checked by the decoder, so a bad frame is counted, not fatal).
import type { Intake } from './intake';
import { ReconnectingSource, type Backoff, type Link } from './reconnect';
import { openWebSocket } from './websocket';

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
    return openWebSocket(intake, link, { ...this.options, skipUTF8Validation: true }, (data) => intake.frame(data));
  }
}
