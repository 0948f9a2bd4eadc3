// A Bilibili live WebSocket server on 127.0.0.1 that speaks the goim protocol: it checks that the
// first packet is a well-formed op 7 auth, answers op 8 (code -101 for a refused token), answers
// every op 2 heartbeat with an op 3 popularity, and runs a script per connection to send messages.
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodePacket, HEADER_BYTES, Op, Ver } from '../../../../src-main/sources/adapters/bilibili/frame';

export interface AuthBody {
  uid: number;
  roomid: number;
  protover: number;
  platform: string;
  type: number;
  buvid: string;
  key: string;
}

export interface FakeRoomOptions {
  /** Runs once a connection has authenticated; `connection` counts from 1. */
  script?: (ws: WebSocket, connection: number) => void;
  /** Tokens answered with -101. */
  refusedTokens?: string[];
  /** false: heartbeats go unanswered (a stalled server). */
  answerHeartbeats?: boolean;
}

export class FakeRoom {
  /** Every auth packet received, in order. */
  readonly auths: AuthBody[] = [];
  heartbeats = 0;
  /** Anything the client sent that the protocol does not allow. */
  readonly violations: string[] = [];
  private connections = 0;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly options: FakeRoomOptions,
  ) {
    server.on('connection', (ws) => this.accept(ws));
  }

  static async start(options: FakeRoomOptions = {}): Promise<FakeRoom> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/sub' });
    await new Promise((resolve) => server.once('listening', resolve));
    return new FakeRoom(server, options);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    let authenticated = false;
    ws.on('message', (data: Buffer) => {
      const packet = this.read(data);
      if (!packet) return;
      if (!authenticated) {
        authenticated = this.authenticate(ws, packet.op, packet.body);
      } else if (packet.op === Op.heartbeat) {
        this.heartbeats++;
        if (this.options.answerHeartbeats === false) return;
        const popularity = Buffer.alloc(4);
        popularity.writeUInt32BE(100_000 + this.heartbeats);
        ws.send(encodePacket(Op.heartbeatReply, popularity, Ver.int));
      } else {
        this.violations.push(`unexpected op ${packet.op}`);
      }
    });
  }

  /** A client packet: exactly one per WebSocket message, with a 16-byte header. */
  private read(data: Buffer): { op: number; body: Buffer } | undefined {
    if (data.length < HEADER_BYTES || data.readUInt32BE(0) !== data.length || data.readUInt16BE(4) !== HEADER_BYTES) {
      this.violations.push(`malformed packet ${data.subarray(0, 32).toString('hex')}`);
      return undefined;
    }
    return { op: data.readUInt32BE(8), body: data.subarray(HEADER_BYTES) };
  }

  private authenticate(ws: WebSocket, op: number, body: Buffer): boolean {
    if (op !== Op.auth) {
      this.violations.push(`op ${op} before auth`);
      return false;
    }
    const auth = JSON.parse(body.toString()) as AuthBody;
    this.auths.push(auth);
    const refused = this.options.refusedTokens?.includes(auth.key) ?? false;
    ws.send(encodePacket(Op.authReply, JSON.stringify({ code: refused ? -101 : 0 }), Ver.int));
    if (refused) return false;
    this.options.script?.(ws, ++this.connections);
    return true;
  }
}
