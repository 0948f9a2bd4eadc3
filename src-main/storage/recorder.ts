// Records a session: its row in `sessions` and every event, encoded into a compressed chunk as it
// comes and written in one transaction per flush (every few hundred milliseconds; see event-log.ts),
// so recording costs one commit per batch, not per event, and a kill loses at most the unflushed batch.
import { randomUUID } from 'node:crypto';
import type { SessionInfo } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { Db } from './db';
import { EventWriter } from './event-log';

export const FLUSH_INTERVAL_MS = 250;

export class Recorder {
  private timer: NodeJS.Timeout | undefined;
  private readonly writer: EventWriter;
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
    this.writer = new EventWriter(db, this.session.id);
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  add(e: LiveEvent): void {
    this.writer.add(e);
  }

  /** Writes what was added since the last flush. */
  flush(): void {
    this.writer.flush();
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
