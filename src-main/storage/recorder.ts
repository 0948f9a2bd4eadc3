// Records a session: its row in `sessions` and every event, buffered and written in one transaction
// per flush (every few hundred milliseconds), so recording costs one fsync per batch, not per event.
import { randomUUID } from 'node:crypto';
import type { SessionInfo } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { Db } from './db';

export const FLUSH_INTERVAL_MS = 250;

export class Recorder {
  private buffer: LiveEvent[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly insertEvent;
  private readonly writeBatch;
  session: SessionInfo;

  constructor(
    private readonly db: Db,
    title: string,
    sources: string[],
  ) {
    // A session still marked live was cut off by a crash or a kill: say so.
    db.prepare("UPDATE sessions SET status = 'interrupted' WHERE status = 'live'").run();
    this.session = { id: randomUUID(), title, startedAt: Date.now(), sources };
    db.prepare("INSERT INTO sessions (id, title, started_at, status) VALUES (?, ?, ?, 'live')").run(
      this.session.id,
      title,
      this.session.startedAt,
    );
    this.insertEvent = db.prepare(
      'INSERT INTO events (session_id, seq, ts, kind, platform, user_id, amount_fen, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.writeBatch = db.transaction((events: LiveEvent[]) => {
      for (const e of events) {
        const amount = 'amountFen' in e ? e.amountFen : null;
        this.insertEvent.run(this.session.id, ++this.seq, e.ts, e.kind, e.platform, e.user?.id ?? null, amount, JSON.stringify(e));
      }
    });
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  add(e: LiveEvent): void {
    this.buffer.push(e);
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.writeBatch(batch);
  }

  rename(title: string): SessionInfo {
    this.db.prepare('UPDATE sessions SET title = ? WHERE id = ?').run(title, this.session.id);
    this.session = { ...this.session, title };
    return this.session;
  }

  /** Flushes what is buffered and marks the session ended. */
  close(): void {
    clearInterval(this.timer);
    this.flush();
    this.db.prepare("UPDATE sessions SET status = 'ended', ended_at = ? WHERE id = ?").run(Date.now(), this.session.id);
  }
}
