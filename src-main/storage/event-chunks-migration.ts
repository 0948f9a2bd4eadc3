// Migration 7: recorded events move from a row each (`events`, with its JSON payload) to compressed
// chunks (`event_chunks`, with their users' keys in `event_chunk_users`; see event-log.ts), and each
// session gets the running totals the sessions list shows. Rows recorded by earlier versions are
// converted, then the old table is dropped. Self-contained (its own SQL, only the chunk codec shared)
// so that later schema changes do not change what it does.
import type { LiveEvent } from '../events/live-event';
import type { Db } from './db';
import { encodeChunk } from './event-codec';

const SCHEMA = `
  ALTER TABLE sessions ADD COLUMN events      INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sessions ADD COLUMN comments    INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sessions ADD COLUMN paid_orders INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sessions ADD COLUMN gmv_fen     INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sessions ADD COLUMN last_ts     INTEGER;
  CREATE TABLE event_chunks (
    id         INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    first_seq  INTEGER NOT NULL,
    count      INTEGER NOT NULL,
    min_ts     INTEGER NOT NULL,
    max_ts     INTEGER NOT NULL,
    data       BLOB NOT NULL,
    UNIQUE (session_id, first_seq)
  );
  CREATE TABLE event_chunk_users (
    chunk_id INTEGER PRIMARY KEY REFERENCES event_chunks(id) ON DELETE CASCADE,
    users    BLOB NOT NULL
  );
  UPDATE sessions SET (events, comments, paid_orders, gmv_fen, last_ts) = (
    SELECT count(*), coalesce(sum(kind = 'chat'), 0), coalesce(sum(kind = 'order_paid'), 0),
           coalesce(sum(CASE WHEN kind = 'order_paid' THEN amount_fen END), 0), max(ts)
    FROM events WHERE session_id = sessions.id);
`;

/** Old rows are moved this many at a time, each batch one chunk. */
const ROWS_PER_CHUNK = 1000;

export function chunkRecordedEvents(db: Db): void {
  db.exec(SCHEMA);
  const page = db.prepare<[string, number, number], { seq: number; payload: string }>(
    'SELECT seq, payload FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  const insertChunk = db.prepare<[string, number, number, number, number, Buffer]>(
    'INSERT INTO event_chunks (session_id, first_seq, count, min_ts, max_ts, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertUsers = db.prepare<[number | bigint, Buffer]>('INSERT INTO event_chunk_users (chunk_id, users) VALUES (?, ?)');
  for (const sessionId of db.prepare<[], string>('SELECT DISTINCT session_id FROM events').pluck().all()) {
    let moved = 0;
    let lastSeq = 0;
    for (let rows = page.all(sessionId, lastSeq, ROWS_PER_CHUNK); rows.length > 0; rows = page.all(sessionId, lastSeq, ROWS_PER_CHUNK)) {
      const events = rows.map((r) => JSON.parse(r.payload) as LiveEvent);
      const times = events.map((e) => e.ts);
      const { data, users } = encodeChunk(events);
      const chunk = insertChunk.run(sessionId, moved + 1, events.length, Math.min(...times), Math.max(...times), data);
      insertUsers.run(chunk.lastInsertRowid, users);
      moved += rows.length;
      lastSeq = rows[rows.length - 1].seq;
    }
  }
  db.exec('DROP TABLE events');
}
