// The engine behind a message port: runs it in an Electron utility process, off the UI thread, with a
// request/reply envelope and pushed streams; restarts it with backoff if it dies.
import { utilityProcess, type UtilityProcess } from 'electron';
import type { WirePush, WireReply } from '../contract';

const REQUEST_TIMEOUT_MS = 10_000;

export class EngineProcess {
  private child!: UtilityProcess;
  private nextId = 1;
  private restarts = 0;
  private stopped = false;
  private readonly pending = new Map<number, (reply: WireReply) => void>();
  private readonly listeners = new Set<(push: WirePush) => void>();

  constructor(
    private readonly entry: string,
    private readonly args: string[],
    /** Extra environment for the engine (its secret key). */
    private readonly env: Record<string, string> = {},
  ) {
    this.spawn();
  }

  request(method: unknown, args: unknown): Promise<WireReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, { id, ok: false, error: { code: 'internal', message: 'engine did not answer' } }), REQUEST_TIMEOUT_MS);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.child.postMessage({ id, method, args });
    });
  }

  onPush(listener: (push: WirePush) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    this.child.kill();
  }

  private spawn(): void {
    const child = utilityProcess.fork(this.entry, this.args, { serviceName: 'LiveDeck engine', stdio: 'inherit', env: { ...process.env, ...this.env } });
    child.on('message', (message: WireReply | WirePush) => {
      if ('stream' in message) {
        this.restarts = 0;
        for (const listener of this.listeners) listener(message);
      } else if (message.id !== null) {
        this.settle(message.id, message);
      }
    });
    child.on('exit', () => {
      for (const id of [...this.pending.keys()]) this.settle(id, { id, ok: false, error: { code: 'internal', message: 'engine restarted' } });
      if (!this.stopped) setTimeout(() => this.spawn(), Math.min(30_000, 500 * 2 ** this.restarts++));
    });
    this.child = child;
  }

  private settle(id: number, reply: WireReply): void {
    this.pending.get(id)?.(reply);
    this.pending.delete(id);
  }
}
