// The misbehaving relay the soak test runs against, on 127.0.0.1 (through test/helpers/ws-relay.ts):
// it floods, sends garbage between valid events, drops the connection (with no close frame, or with
// a frame too large for the client to accept), and stalls (silent, and deaf to pings). Like real
// relays it re-sends on every new connection its replay window: the last events it wrote on the
// connection before, and any whose write failed. Its ledger defines "sent": a valid event is sent once
// a write of it completed (the socket's write callback fired without error); the errors of a garbage
// frame are owed once its write completed. State is kept in fixed arrays, so the relay, which shares
// the process with the engine, does not grow the heap the soak measures.
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebSocket } from 'ws';
import { HARD_FRAME_BYTES } from '../../src-main/sources/decode';
import { wsRelay } from '../helpers/ws-relay';
import { eventOf, garbage, mixedFrame, type Counts, type Garbage } from './traffic';

/** Valid events the ledger can hold. */
const MAX_EVENTS = 2_000_000;
/** Events of the previous connection re-sent on a new one. */
const REPLAY_WINDOW = 2_000;
/** Events per frame, in turn: arrays of many, single events, a few. */
const FRAME_SIZES = [100, 1, 50, 1, 20];
/** Past this much unsent data on the socket a flood waits, as a relay with bounded buffers would. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
const TICK_MS = 10;

export type Drop = 'terminate' | 'oversized';

export class ChaosRelay {
  url = '';
  readonly baseTs = Date.now();
  /** Valid events made so far, numbered 1..made. */
  made = 0;
  /** Copies of valid events whose write completed, re-sends included. */
  copies = 0;
  /** The errors, by reason, of garbage whose write completed. */
  readonly owed: Counts = {};
  connections = 0;
  /** 1 once a write of event n completed. */
  private readonly sent = new Uint8Array(MAX_EVENTS + 1);
  /** What the next connection re-sends (1 per event number). */
  private readonly backlog = new Uint8Array(MAX_EVENTS + 1);
  private readonly recent = new Int32Array(REPLAY_WINDOW);
  private recentCount = 0;
  private socket: WebSocket | undefined;
  private pending = 0;
  private frames = 0;
  private onFlushed: (() => void)[] = [];
  private onConnection: (() => void)[] = [];

  static async start(): Promise<ChaosRelay> {
    const relay = new ChaosRelay();
    relay.url = (await wsRelay((ws) => relay.accept(ws))).url;
    return relay;
  }

  /** Resolves when the next connection has arrived and been sent its replay window. */
  nextConnection(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the client did not reconnect within ${timeoutMs} ms`)), timeoutMs);
      this.onConnection.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Valid events at `perSec` for `ms`, in frames of mixed sizes, each array also repeating an earlier event. */
  async flood(ms: number, perSec: number): Promise<void> {
    let last = performance.now();
    let due = 0;
    await this.ticks(ms, (ws) => {
      const now = performance.now();
      // What is due since the last tick (timers run late under load), at most a tenth of a second's worth.
      due = Math.min(due + (perSec * (now - last)) / 1000, perSec / 10);
      last = now;
      if (ws.bufferedAmount > HIGH_WATER_BYTES) return;
      while (due >= 1) {
        const size = Math.min(Math.floor(due), FRAME_SIZES[this.frames % FRAME_SIZES.length]);
        const numbers = this.fresh(size);
        if (size > 1 && numbers[0] > 200) numbers.push(numbers[0] - 150);
        this.sendEvents(ws, numbers);
        due -= size;
      }
    });
  }

  /** `count` events written at once, whatever the client's pace (a relay flushing its own backlog). */
  burst(count: number): void {
    const ws = this.open();
    for (let left = count; left > 0; left -= 100) this.sendEvents(ws, this.fresh(Math.min(100, left)));
  }

  /** For `ms`: each tick one garbage frame of the catalogue in turn, valid events, and now and then a mixed frame. */
  async garbage(ms: number): Promise<void> {
    let tick = 0;
    await this.ticks(ms, (ws) => {
      this.sendGarbage(ws, garbage[tick % garbage.length]);
      this.sendEvents(ws, this.fresh(20));
      if (tick % 4 === 0) {
        const [a, b] = this.fresh(2);
        this.sendGarbage(ws, mixedFrame(a, b, this.baseTs), [a, b]);
      }
      tick++;
    });
  }

  /** Drops the connection once what was written so far is out, and waits for the client to come back. */
  async drop(how: Drop): Promise<void> {
    const ws = this.open();
    const back = this.nextConnection();
    await this.flushed();
    // No close frame: the TCP connection just ends.
    if (how === 'terminate') ws.terminate();
    // A frame past the client's hard limit: it must refuse it and reconnect, not buffer 16 MB.
    else ws.send(Buffer.alloc(HARD_FRAME_BYTES + 1), { binary: true }, () => {});
    await back;
  }

  /** Goes silent, reading nothing (so pings go unanswered), until the client gives up and reconnects; returns how long that took, ms. */
  async stall(): Promise<number> {
    const ws = this.open();
    const back = this.nextConnection();
    await this.flushed();
    const started = performance.now();
    ws.pause();
    await back;
    return performance.now() - started;
  }

  /**
   * Re-sends what is still owed (writes that failed), then one new event as the last word, and waits
   * until every write is out: once the client has that event, it has everything before it.
   */
  async settle(): Promise<void> {
    const ws = this.open();
    this.replay(ws);
    this.sendEvents(ws, this.fresh(1));
    await this.flushed();
  }

  /** Event numbers made but never written successfully. */
  unsent(): number[] {
    const missing: number[] = [];
    for (let n = 1; n <= this.made; n++) if (!this.sent[n]) missing.push(n);
    return missing;
  }

  private accept(ws: WebSocket): void {
    this.connections++;
    ws.on('error', () => {}); // a client gone mid-write: the write's callback says so
    ws.on('close', () => this.lose(ws));
    // A new connection while the old one stalls: the client gave up on it.
    if (this.socket) {
      const stalled = this.socket;
      this.lose(stalled);
      stalled.terminate();
    }
    this.socket = ws;
    this.replay(ws);
    for (const resolve of this.onConnection.splice(0)) resolve();
  }

  /** The connection is gone: its last events go into the backlog for the next one. */
  private lose(ws: WebSocket): void {
    if (ws !== this.socket) return;
    this.socket = undefined;
    const kept = Math.min(this.recentCount, REPLAY_WINDOW);
    for (let i = 0; i < kept; i++) this.backlog[this.recent[i]] = 1;
    this.recentCount = 0;
  }

  private replay(ws: WebSocket): void {
    let numbers: number[] = [];
    for (let n = 1; n <= this.made; n++) {
      if (!this.backlog[n]) continue;
      this.backlog[n] = 0;
      numbers.push(n);
      if (numbers.length === 100) {
        this.sendEvents(ws, numbers);
        numbers = [];
      }
    }
    if (numbers.length > 0) this.sendEvents(ws, numbers);
  }

  private fresh(count: number): number[] {
    if (this.made + count > MAX_EVENTS) throw new Error('the soak relay ran out of ledger');
    return Array.from({ length: count }, () => ++this.made);
  }

  private sendEvents(ws: WebSocket, numbers: number[]): void {
    const events = numbers.map((n) => eventOf(n, this.baseTs));
    this.write(ws, JSON.stringify(events.length === 1 ? events[0] : events), false, numbers, {});
  }

  private sendGarbage(ws: WebSocket, frame: Garbage, numbers: number[] = []): void {
    this.write(ws, frame.data, frame.binary, numbers, frame.errors);
  }

  private write(ws: WebSocket, data: string | Buffer, binary: boolean, numbers: number[], errors: Counts): void {
    this.frames++;
    for (const n of numbers) this.recent[this.recentCount++ % REPLAY_WINDOW] = n;
    this.pending++;
    ws.send(data, { binary }, (err) => {
      this.pending--;
      if (err) {
        for (const n of numbers) if (!this.sent[n]) this.backlog[n] = 1;
      } else {
        for (const n of numbers) this.sent[n] = 1;
        this.copies += numbers.length;
        for (const [reason, count] of Object.entries(errors) as [keyof Counts, number][]) this.owed[reason] = (this.owed[reason] ?? 0) + count;
      }
      if (this.pending === 0) for (const resolve of this.onFlushed.splice(0)) resolve();
    });
  }

  /** Resolves when every write so far is out (its callback fired). */
  flushed(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.onFlushed.push(resolve));
  }

  private open(): WebSocket {
    if (!this.socket) throw new Error('the soak relay has no client connected: the client dropped the connection itself');
    return this.socket;
  }

  /** Calls `tick` every TICK_MS for `ms` with the open connection (skipping ticks while there is none). */
  private async ticks(ms: number, tick: (ws: WebSocket) => void): Promise<void> {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      if (this.socket) tick(this.socket);
      await sleep(TICK_MS);
    }
  }
}
