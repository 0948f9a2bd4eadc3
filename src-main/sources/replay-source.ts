// The replay source: plays an NDJSON file of LiveEvents (one per line) on a virtual clock at 1×–1000×,
// with pause, resume and seek. Events keep their original timestamps, so the metrics compute what
// they computed live. The file is streamed, never loaded whole; seeking back re-reads from the start.
import { createReadStream, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import type { SourceHealth } from '../contract';
import type { Intake } from './intake';
import type { Source } from './source';
import { messageOf } from '../shared/values';

export interface ReplayOptions {
  path: string;
  speed: number;
}

/** How far ahead of the virtual clock the reader may run before it waits. */
const MAX_WAIT_MS = 200;

export class ReplaySource implements Source {
  private speed: number;
  private paused = false;
  /** Virtual time = anchorTs + (now − anchorWall) × speed, while playing. */
  private anchorTs = 0;
  private anchorWall = 0;
  private range = { start: 0, end: 0 };
  private reader: Interface | undefined;
  private lines: AsyncIterator<string> | undefined;
  /** The line read ahead of the clock, waiting for its time. */
  private pending: { ts: number; line: string } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private intake: Intake | undefined;
  private position = 0;
  /** After a seek, lines before this time are skipped; lines merely out of order are still played. */
  private skipBefore = 0;
  /** Incremented by each backward seek, so replayed events are new to the de-dup. */
  private pass = 0;
  private running = false;

  constructor(private readonly options: ReplayOptions) {
    this.speed = clampSpeed(options.speed);
  }

  start(intake: Intake): void {
    this.intake = intake;
    try {
      this.range = scanRange(this.options.path);
    } catch (err) {
      intake.setState('error', messageOf(err));
      return;
    }
    this.anchorTs = this.range.start;
    this.anchorWall = Date.now();
    this.open();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.reader?.close();
    this.reader = undefined;
    this.intake = undefined;
  }

  status(): Pick<SourceHealth, 'replay'> {
    return { replay: { position: this.position, start: this.range.start, end: this.range.end, speed: this.speed, paused: this.paused } };
  }

  pause(): void {
    if (this.paused) return;
    this.anchorTs = this.now();
    this.paused = true;
    this.intake?.setState('paused');
  }

  resume(): void {
    if (!this.paused) return;
    this.anchorWall = Date.now();
    this.paused = false;
    this.intake?.setState('connected', this.options.path);
    this.schedule(0);
  }

  setSpeed(speed: number): void {
    this.anchorTs = this.now();
    this.anchorWall = Date.now();
    this.speed = clampSpeed(speed);
    this.schedule(0);
  }

  /** Jumps to a point of the recording: events before it are skipped, not played. */
  seek(ts: number): void {
    const target = Math.max(this.range.start, Math.min(this.range.end, ts));
    const back = target < this.position;
    this.anchorTs = target;
    this.anchorWall = Date.now();
    this.position = target;
    this.skipBefore = target;
    if (back) {
      this.pass++;
      this.reader?.close();
      this.open();
    } else {
      this.schedule(0);
    }
  }

  /** The virtual clock. */
  private now(): number {
    return this.paused ? this.anchorTs : this.anchorTs + (Date.now() - this.anchorWall) * this.speed;
  }

  private open(): void {
    this.reader = createInterface({ input: createReadStream(this.options.path), crlfDelay: Infinity });
    this.lines = this.reader[Symbol.asyncIterator]();
    this.pending = undefined;
    this.intake?.setState(this.paused ? 'paused' : 'connected', this.options.path);
    this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), ms);
  }

  /** Feeds every line whose time has come, then sleeps until the next one is due. */
  private async pump(): Promise<void> {
    if (this.running || !this.intake || !this.lines) return;
    this.running = true;
    try {
      const intake = this.intake;
      const lines = this.lines;
      while (!this.paused && this.lines === lines) {
        if (!this.pending) {
          const next = await lines.next();
          if (next.done) {
            intake.setState('ended', 'end of recording');
            this.position = this.range.end;
            return;
          }
          if (next.value.trim() === '') continue;
          this.pending = { ts: timestampOf(next.value), line: next.value };
        }
        const { ts, line } = this.pending;
        const due = Number.isFinite(ts) ? ts : this.position;
        if (due < this.skipBefore) {
          this.pending = undefined;
          continue;
        }
        const now = this.now();
        if (due > now) {
          this.schedule(Math.min(MAX_WAIT_MS, (due - now) / this.speed));
          return;
        }
        this.pending = undefined;
        this.position = Math.max(this.position, due);
        intake.frame(this.pass === 0 ? line : withPass(line, this.pass));
        if (intake.congested) {
          intake.whenDrained(() => this.schedule(0));
          return;
        }
      }
    } finally {
      this.running = false;
    }
  }
}

function clampSpeed(speed: number): number {
  return Math.max(1, Math.min(1000, Number.isFinite(speed) ? speed : 1));
}

/** The event time of one NDJSON line without parsing it twice (NaN when it has none). */
function timestampOf(line: string): number {
  const match = /"ts"\s*:\s*(\d+)/.exec(line);
  return match ? Number(match[1]) : Number.NaN;
}

/** A replayed line after a backward seek: its id gets the pass number, so de-dup lets it through again. */
function withPass(line: string, pass: number): string {
  return line.replace(/"id"\s*:\s*"((?:[^"\\]|\\.)*)"/, (_m, id: string) => `"id":"${id}~r${pass}"`);
}

/** First and last event times of an NDJSON file: the first lines, and the last 64 KiB. */
export function scanRange(path: string): { start: number; end: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (from: number, length: number): string => {
      const buffer = Buffer.alloc(length);
      const n = readSync(fd, buffer, 0, length, from);
      return buffer.subarray(0, n).toString('utf8');
    };
    const head = read(0, Math.min(size, 64 * 1024)).split('\n');
    const tail = read(Math.max(0, size - 64 * 1024), Math.min(size, 64 * 1024)).split('\n').reverse();
    const first = head.map(timestampOf).find(Number.isFinite);
    const last = tail.map(timestampOf).find(Number.isFinite);
    if (first === undefined || last === undefined) throw new Error('no events with a "ts" in this file');
    return { start: first, end: Math.max(first, last) };
  } finally {
    closeSync(fd);
  }
}
