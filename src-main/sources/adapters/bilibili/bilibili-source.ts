// The Bilibili live room source: gets credentials (BilibiliAuth), connects to one of the room's hosts
// at `wss://host:port/sub` (the next host on each retry), authenticates with an op 7 packet, and once
// the op 8 reply accepts, sends the op 2 heartbeat every 30 s. A refused token (-101) is fetched anew
// before the next attempt. What arrives goes through BilibiliStream; reconnection, backoff and the
// silence watchdog (35 s, the platform's receive timeout) come from ReconnectingSource. The health
// detail shows the host, the room's popularity (人气) and whether the session is a guest's.
import WebSocket from 'ws';
import { HARD_FRAME_BYTES, sampleOf } from '../../decode';
import type { Intake } from '../../intake';
import { ReconnectingSource, type Backoff, type Link } from '../../reconnect';
import type { BilibiliAuth, BilibiliCredentials } from './auth';
import { encodePacket, Op } from './frame';
import { BilibiliMessages } from './messages';
import { BilibiliStream } from './stream';
import { messageOf } from '../../../shared/values';

/** The op 8 reply must come this soon after connecting. */
const AUTH_REPLY_MS = 10_000;
const TOKEN_REFUSED = -101;

export interface BilibiliSourceOptions {
  /** The room's real (long) id; a short id (e.g. 6) must be resolved to it first. */
  roomId: number;
  auth: BilibiliAuth;
  /** No data for this long → stalled and replaced (default 35); 0 disables. */
  silenceSec?: number;
  /** Heartbeat interval (default 30). */
  heartbeatSec?: number;
  /** 'ws' for a local server or relay without TLS (tests); default 'wss'. */
  scheme?: 'wss' | 'ws';
  backoff?: Backoff;
}

export class BilibiliSource extends ReconnectingSource {
  private readonly messages: BilibiliMessages;
  /** The credentials in use (or being fetched), kept until a token is refused or fetching fails. */
  private credentials: Promise<BilibiliCredentials> | undefined;
  private attempts = 0;

  constructor(private readonly options: BilibiliSourceOptions) {
    super(`bilibili room ${options.roomId}`, options.silenceSec ?? 35, options.backoff);
    this.messages = new BilibiliMessages(String(options.roomId));
  }

  /** Cmds received that became no event (unknown to this adapter, or nothing to map), by count. */
  ignoredCmds(): Record<string, number> {
    return Object.fromEntries(this.messages.ignored);
  }

  protected connect(intake: Intake, link: Link): () => void {
    let connection: Connection | undefined;
    let closed = false;
    const attempt = this.attempts++;
    this.credentials ??= this.options.auth.credentials();
    this.credentials
      .then((credentials) => {
        if (!closed) connection = this.dial(credentials, attempt, intake, link);
      })
      .catch((err: unknown) => {
        this.credentials = undefined;
        link.lost(`no connection: ${messageOf(err)}`);
      });
    return () => {
      closed = true;
      connection?.close();
    };
  }

  private dial(credentials: BilibiliCredentials, attempt: number, intake: Intake, link: Link): Connection {
    const { roomId, heartbeatSec = 30 } = this.options;
    const tokenRefused = (): void => {
      this.credentials = undefined;
    };
    return new Connection({ url: this.urlFor(credentials, attempt), credentials, roomId, heartbeatSec, messages: this.messages, intake, link, tokenRefused });
  }

  /** Each attempt goes to the next host, so one that is down is not retried forever. */
  private urlFor({ hosts }: BilibiliCredentials, attempt: number): string {
    if (hosts.length === 0) throw new Error('the credentials name no hosts');
    const { host, wss_port } = hosts[attempt % hosts.length];
    return `${this.options.scheme ?? 'wss'}://${host}:${wss_port}/sub`;
  }
}

/** What one connection works with. */
interface ConnectionContext {
  url: string;
  credentials: BilibiliCredentials;
  roomId: number;
  heartbeatSec: number;
  messages: BilibiliMessages;
  intake: Intake;
  link: Link;
  /** Called on -101: the next attempt needs fresh credentials. */
  tokenRefused(): void;
}

/** One socket to one host: auth, heartbeats, and what arrives handed to a BilibiliStream. */
class Connection {
  private readonly socket: WebSocket;
  private readonly authTimer: NodeJS.Timeout;
  private heartbeat: NodeJS.Timeout | undefined;
  private popularity: number | undefined;
  private authenticated = false;

  constructor(private readonly context: ConnectionContext) {
    const { url, credentials, roomId, messages, intake, link } = context;
    const socket = new WebSocket(url, { maxPayload: HARD_FRAME_BYTES, handshakeTimeout: 10_000 });
    this.socket = socket;
    this.authTimer = setTimeout(() => link.lost(`no auth reply from ${url}`), AUTH_REPLY_MS);
    const stream = new BilibiliStream(intake, messages, { authReply: (code) => this.authReply(code), popularity: (value) => this.showPopularity(value) });
    socket.on('open', () => socket.send(encodePacket(Op.auth, authBody(credentials, roomId))));
    socket.on('message', (data: Buffer) => {
      intake.raw(data);
      this.receive(stream, data);
    });
    socket.on('error', (err) => link.lost(err.message));
    socket.on('close', (code) => link.lost(`closed (${code})`));
  }

  close(): void {
    clearTimeout(this.authTimer);
    clearInterval(this.heartbeat);
    this.socket.removeAllListeners();
    this.socket.on('error', () => {});
    this.socket.terminate();
  }

  private receive(stream: BilibiliStream, data: Buffer): void {
    const { messages, intake, link } = this.context;
    link.data();
    const guest = messages.guest;
    stream.frame(data);
    if (messages.guest !== guest) this.show();
    if (intake.congested) {
      this.socket.pause();
      intake.whenDrained(() => this.socket.resume());
    }
  }

  private authReply(code: unknown): void {
    const { url, link } = this.context;
    if (this.authenticated) return; // a repeated reply changes nothing
    clearTimeout(this.authTimer);
    if (code === TOKEN_REFUSED) {
      this.context.tokenRefused();
      return link.lost(`token refused by ${url} (-101): a fresh one will be fetched`);
    }
    if (code !== 0) return link.lost(`auth refused by ${url} (code ${sampleOf(code)})`);
    this.authenticated = true;
    this.context.messages.guest = false;
    link.connected();
    this.show();
    const beat = (): void => this.socket.send(encodePacket(Op.heartbeat, ''));
    beat();
    this.heartbeat = setInterval(beat, this.context.heartbeatSec * 1000);
  }

  private showPopularity(value: number): void {
    this.popularity = value;
    this.show();
  }

  private show(): void {
    const { url, messages, intake } = this.context;
    if (this.authenticated) intake.setState('connected', detail(url, this.popularity, messages.guest));
  }
}

function authBody(credentials: BilibiliCredentials, roomId: number): string {
  const { uid = 0, buvid = '', token } = credentials;
  return JSON.stringify({ uid, roomid: roomId, protover: 3, platform: 'web', type: 2, buvid, key: token });
}

function detail(url: string, popularity: number | undefined, guest: boolean): string {
  const parts = [url];
  if (popularity !== undefined) parts.push(`popularity ${popularity}`);
  if (guest) parts.push('guest session: names masked (log in with a cookie to see them)');
  return parts.join(' · ');
}
