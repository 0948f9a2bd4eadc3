// Douyin through DouyinBarrageGrab, the local relay many streamers run on Windows: it decrypts the
// room's traffic and re-broadcasts each message as JSON on ws://127.0.0.1:8888. This source stays
// connected to it (backoff, silence watchdog, pings), maps its messages (barrage-grab.ts) into the
// intake, and shows the room as ended when the relay says the anchor went off air (下播).
import { MAX_FRAME_BYTES, sampleOf } from '../../decode';
import type { Intake } from '../../intake';
import { ReconnectingSource, type Backoff, type Link } from '../../reconnect';
import { openWebSocket } from '../../websocket';
import { BarrageGrabMessages } from './barrage-grab';

export const BARRAGE_GRAB_DEFAULT_URL = 'ws://127.0.0.1:8888';

export interface BarrageGrabSourceOptions {
  /** The relay's WebSocket; default ws://127.0.0.1:8888. */
  url?: string;
  /** Only this room (its WebRoomId, as in live.douyin.com/<id>, or RoomId); default every room the relay sees. */
  room?: string;
  /** No frame (or pong) for this long → stalled and replaced; default 30, 0 disables. */
  silenceSec?: number;
  /** Ping interval; default 15, 0 disables. */
  heartbeatSec?: number;
  backoff?: Backoff;
}

export class BarrageGrabSource extends ReconnectingSource {
  private readonly url: string;
  private readonly heartbeatSec: number;
  private readonly messages: BarrageGrabMessages;

  constructor(options: BarrageGrabSourceOptions = {}) {
    const url = options.url ?? BARRAGE_GRAB_DEFAULT_URL;
    super(url, options.silenceSec ?? 30, options.backoff);
    this.url = url;
    this.heartbeatSec = options.heartbeatSec ?? 15;
    this.messages = new BarrageGrabMessages(options.room);
  }

  protected connect(intake: Intake, link: Link): () => void {
    // Frames are read as UTF-8 here, leniently: one that is not is a bad frame, counted, not a closed connection (1007).
    return openWebSocket(intake, link, { url: this.url, heartbeatSec: this.heartbeatSec, skipUTF8Validation: true }, (data) => this.take(intake, data));
  }

  private take(intake: Intake, data: Buffer): void {
    if (data.length > MAX_FRAME_BYTES) {
      intake.error({ reason: 'too_large', kind: '?', message: `frame of ${data.length} bytes`, sample: sampleOf(data) });
      return;
    }
    const mapped = this.messages.map(data.toString('utf8'), Date.now());
    if (!mapped) return;
    if ('error' in mapped) return intake.error(mapped.error);
    intake.value(mapped.event);
    if (mapped.event.kind === 'live_end') intake.setState('ended', '主播已下播 (live ended)');
  }
}
