// The generic socket.io source: connects to a relay (a company middle platform, a capture tool) and
// maps its event names to LiveEvent kinds. Payloads are LiveEvent-shaped without `kind` (and may
// leave out platform and room, filled from the source's settings). socket.io's own reconnection is
// off: this source reconnects like every other, through ReconnectingSource.
import { io, type Socket } from 'socket.io-client';
import type { EventKind } from '../events/live-event';
import type { Intake } from './intake';
import { ReconnectingSource, type Backoff, type Link } from './reconnect';

export interface SocketIoSourceOptions {
  url: string;
  /** socket.io event name → LiveEvent kind; other events are ignored. */
  events: Record<string, EventKind>;
  silenceSec: number;
  backoff?: Backoff;
  /** Runs on every (re)connection, e.g. to tell a relay which room to follow. */
  onConnect?: (socket: Socket) => void;
}

export class SocketIoSource extends ReconnectingSource {
  constructor(private readonly options: SocketIoSourceOptions) {
    super(options.url, options.silenceSec, options.backoff);
  }

  protected connect(intake: Intake, link: Link): () => void {
    const socket = io(this.options.url, { reconnection: false, transports: ['websocket'], timeout: 10_000, forceNew: true });
    const { events, onConnect } = this.options;
    socket.on('connect', () => {
      link.connected();
      onConnect?.(socket);
    });
    socket.onAny((name: string, payload: unknown) => {
      link.data();
      intake.rawValue([name, payload]);
      if (!Object.hasOwn(events, name)) return;
      const kind = events[name];
      const withKind = (item: unknown): unknown => (typeof item === 'object' && item !== null && !Array.isArray(item) ? { ...item, kind } : item);
      intake.value(Array.isArray(payload) ? payload.map(withKind) : withKind(payload));
    });
    socket.on('connect_error', (err) => link.lost(err.message));
    socket.on('disconnect', (reason) => link.lost(reason));
    return () => {
      socket.removeAllListeners();
      socket.offAny();
      socket.disconnect();
    };
  }
}
