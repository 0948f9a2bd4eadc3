// TikTok through TikTok-Chat-Reader (a socket.io relay around TikTok-Live-Connector): on every
// connection it asks the relay for one creator's LIVE (`setUniqueId`), and counts as connected once
// the relay says it reached the room. The relay losing TikTok replaces the connection (backoff, so a
// creator not yet live is asked again calmly); the LIVE ending shows the source as ended. Events are
// mapped by chat-reader.ts; the backlog a relay replays on connect is de-duplicated by msgId.
import { io } from 'socket.io-client';
import { sampleOf } from '../../decode';
import type { Intake } from '../../intake';
import { ReconnectingSource, type Backoff, type Link } from '../../reconnect';
import { ChatReaderEvents } from './chat-reader';
import { isRecord } from '../../../shared/values';

export const CHAT_READER_DEFAULT_URL = 'http://127.0.0.1:8081';

/** How long the relay may take to reach the room after `setUniqueId` before the connection is replaced. */
const ANSWER_MS = 30_000;

export interface ChatReaderSourceOptions {
  /** The creator whose LIVE to follow: their @handle, with or without the @. */
  uniqueId: string;
  /** The relay; default http://127.0.0.1:8081 (TikTok-Chat-Reader's own default). */
  url?: string;
  /** Passed to `setUniqueId`; default `{ enableExtendedGiftInfo: true }`, without which gifts carry no price. */
  connectorOptions?: Record<string, unknown>;
  /** No event (the relay's 5 s `statistic` included) for this long → stalled and replaced; default 30, 0 disables. */
  silenceSec?: number;
  backoff?: Backoff;
}

export class ChatReaderSource extends ReconnectingSource {
  private readonly events = new ChatReaderEvents();
  private ended = false;

  constructor(private readonly options: ChatReaderSourceOptions) {
    super(options.url ?? CHAT_READER_DEFAULT_URL, options.silenceSec ?? 30, options.backoff);
  }

  protected connect(intake: Intake, link: Link): () => void {
    const { uniqueId, url = CHAT_READER_DEFAULT_URL, connectorOptions = { enableExtendedGiftInfo: true } } = this.options;
    const socket = io(url, { reconnection: false, transports: ['websocket'], timeout: 10_000, forceNew: true });
    let answer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.emit('setUniqueId', uniqueId, connectorOptions);
      answer = setTimeout(() => link.lost(`no answer from the relay about @${uniqueId}`), ANSWER_MS);
    });
    socket.onAny((name: string, payload: unknown) => {
      link.data();
      intake.rawValue([name, payload]);
      switch (name) {
        case 'tiktokConnected':
          clearTimeout(answer);
          this.ended = false;
          link.connected();
          intake.setState('connected', `@${uniqueId.replace(/^@/, '')} · room ${isRecord(payload) ? sampleOf(payload.roomId) : '?'}`);
          return;
        case 'tiktokDisconnected':
          clearTimeout(answer);
          if (this.ended) intake.setState('ended', sampleOf(payload));
          else link.lost(`TikTok: ${sampleOf(payload)}`);
          return;
        case 'streamEnd':
          this.ended = true;
          intake.value(this.events.liveEnd(Date.now()));
          intake.setState('ended', 'LIVE has ended');
          return;
        default:
          this.take(intake, name, payload);
      }
    });
    socket.on('connect_error', (err) => link.lost(err.message));
    socket.on('disconnect', (reason) => link.lost(reason));
    return () => {
      clearTimeout(answer);
      socket.removeAllListeners();
      socket.offAny();
      socket.disconnect();
    };
  }

  private take(intake: Intake, name: string, payload: unknown): void {
    const mapped = this.events.map(name, payload, Date.now());
    if (!mapped) return;
    if ('error' in mapped) intake.error(mapped.error);
    else intake.value(mapped.event);
  }
}
