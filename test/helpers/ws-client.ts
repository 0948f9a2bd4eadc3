// A test client for the browser-mode contract over a real WebSocket: send raw frames, await replies
// in order, collect pushes.
import WebSocket from 'ws';
import type { WirePush, WireReply } from '../../src-main/contract';

export class WsClient {
  readonly pushes: WirePush[] = [];
  private readonly replies: WireReply[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as WireReply | WirePush;
      if ('stream' in message) this.pushes.push(message);
      else this.replies.push(message);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(new WsClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(frame: string | Buffer, binary = false): void {
    this.ws.send(frame, { binary });
  }

  /** Sends a request and resolves with the next reply. */
  async call(id: number, method: string, args?: unknown): Promise<WireReply> {
    this.send(JSON.stringify({ id, method, args }));
    return this.nextReply();
  }

  async nextReply(): Promise<WireReply> {
    while (this.replies.length === 0) await new Promise<void>((wake) => this.waiters.push(wake));
    return this.replies.shift()!;
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 50);
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}
