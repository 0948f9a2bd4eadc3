// The recorded events of every session, and the one way to write and read them. Events are stored in
// chunks (event_chunks: one per writer flush, compressed by event-codec.ts), each with the keys of
// its users beside it (event_chunk_users), and the session's running totals on its sessions row, all
// written in one transaction. Reading decodes chunk by chunk and keeps no statement open between
// chunks, so a reader may write to the database while it replays.
import type { LiveEvent } from '../events/live-event';
import type { Db } from './db';
import { ChunkEncoder, decodeChunk, encodeChunk, hasUserKey, userKey, type EncodedChunk } from './event-codec';

/** A flush bigger than this (a backlog) is split, so that no chunk is slow to decode. */
export const MAX_CHUNK_EVENTS = 4096;

/** What a chunk adds to its session's headline totals (the columns Sessions.list reads). */
interface Totals {
  events: number;
  comments: number;
  paidOrders: number;
  gmvFen: number;
  /** The newest event time. */
  lastTs: number;
}

/** A finished chunk waiting for its transaction. */
interface Chunk extends Totals, EncodedChunk {
  minTs: number;
}

/**
 * Appends a session's events in recorded order: `add` encodes each event into the open chunk as it
 * comes (a chunk is finished once it holds MAX_CHUNK_EVENTS), `flush` writes every chunk in one
 * transaction.
 */
export class EventWriter {
  private nextSeq: number;
  private readonly encoder = new ChunkEncoder();
  private totals = emptyTotals();
  private minTs = Infinity;
  private finished: Chunk[] = [];
  private readonly insertChunk;
  private readonly insertUsers;
  private readonly addTotals;
  private readonly writeChunks;

  constructor(
    db: Db,
    private readonly sessionId: string,
  ) {
    this.nextSeq = countEvents(db, sessionId) + 1;
    this.insertChunk = db.prepare<[string, number, number, number, number, Buffer]>(
      'INSERT INTO event_chunks (session_id, first_seq, count, min_ts, max_ts, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertUsers = db.prepare<[number | bigint, Buffer]>('INSERT INTO event_chunk_users (chunk_id, users) VALUES (?, ?)');
    this.addTotals = db.prepare<[Totals & { id: string }]>(
      `UPDATE sessions SET events = events + @events, comments = comments + @comments, paid_orders = paid_orders + @paidOrders,
         gmv_fen = gmv_fen + @gmvFen, last_ts = max(coalesce(last_ts, @lastTs), @lastTs) WHERE id = @id`,
    );
    this.writeChunks = db.transaction((chunks: readonly Chunk[]) => {
      for (const chunk of chunks) this.writeChunk(chunk);
    });
  }

  /** Adds the event to the open chunk; nothing is written before the next flush. */
  add(e: LiveEvent): void {
    const totals = this.totals;
    totals.events++;
    if (e.ts < this.minTs) this.minTs = e.ts;
    if (e.ts > totals.lastTs) totals.lastTs = e.ts;
    if (e.kind === 'chat') totals.comments++;
    else if (e.kind === 'order_paid') {
      totals.paidOrders++;
      totals.gmvFen += e.amountFen;
    }
    this.encoder.add(e);
    if (this.encoder.count === MAX_CHUNK_EVENTS) this.finishChunk();
  }

  /** Writes what was added since the last flush: one chunk (or several, past MAX_CHUNK_EVENTS) in one transaction. */
  flush(): void {
    if (this.encoder.count > 0) this.finishChunk();
    if (this.finished.length === 0) return;
    const chunks = this.finished;
    this.finished = [];
    this.writeChunks(chunks);
  }

  /** Adds the events and flushes. */
  append(events: readonly LiveEvent[]): void {
    for (const e of events) this.add(e);
    this.flush();
  }

  private finishChunk(): void {
    this.finished.push({ ...this.totals, minTs: this.minTs, ...this.encoder.finish() });
    this.totals = emptyTotals();
    this.minTs = Infinity;
  }

  private writeChunk({ minTs, data, users, ...totals }: Chunk): void {
    const chunk = this.insertChunk.run(this.sessionId, this.nextSeq, totals.events, minTs, totals.lastTs, data);
    this.insertUsers.run(chunk.lastInsertRowid, users);
    this.addTotals.run({ ...totals, id: this.sessionId });
    this.nextSeq += totals.events;
  }
}

function emptyTotals(): Totals {
  return { events: 0, comments: 0, paidOrders: 0, gmvFen: 0, lastTs: -Infinity };
}

export interface TimeRange {
  /** Events at or after this time (epoch ms). */
  fromTs?: number;
  /** Events before this time (epoch ms). */
  toTs?: number;
}

/**
 * The session's events in recorded order, by event time `ts` within the range when one is given,
 * decoded one chunk at a time: a replay of a long session holds one chunk in memory, not the session.
 */
export function* readEvents(db: Db, sessionId: string, range: TimeRange = {}): Generator<LiveEvent> {
  const from = range.fromTs ?? Number.MIN_SAFE_INTEGER;
  const to = range.toTs ?? Number.MAX_SAFE_INTEGER;
  const chunkIds = db
    .prepare<[string, number, number], number>(
      'SELECT id FROM event_chunks WHERE session_id = ? AND max_ts >= ? AND min_ts < ? ORDER BY first_seq',
    )
    .pluck()
    .all(sessionId, from, to);
  const selectData = db.prepare<[number], Buffer>('SELECT data FROM event_chunks WHERE id = ?').pluck();
  for (const id of chunkIds) {
    const data = selectData.get(id);
    if (!data) continue; // deleted since (retention)
    for (const e of decodeChunk(data)) if (e.ts >= from && e.ts < to) yield e;
  }
}

/** The event time the session's recording spans (first to last event), undefined before its first event. */
export function eventSpan(db: Db, sessionId: string): { fromTs: number; toTs: number } | undefined {
  const row = db
    .prepare<[string], { fromTs: number | null; toTs: number | null }>('SELECT min(min_ts) AS fromTs, max(max_ts) AS toTs FROM event_chunks WHERE session_id = ?')
    .get(sessionId);
  return row?.fromTs != null && row.toTs != null ? { fromTs: row.fromTs, toTs: row.toTs } : undefined;
}

/** How many events the session recorded (0 for an unknown session), from its running total. */
export function countEvents(db: Db, sessionId: string): number {
  return db.prepare<[string], number>('SELECT events FROM sessions WHERE id = ?').pluck().get(sessionId) ?? 0;
}

/** The session's events by one platform user, newest first, at most `limit`. */
export function userEvents(db: Db, sessionId: string, platform: string, userId: string, limit: number): LiveEvent[] {
  const key = userKey(platform, userId);
  const candidates: number[] = [];
  const scan = db.prepare<[string], { id: number; users: Buffer }>(
    `SELECT c.id, u.users FROM event_chunks c JOIN event_chunk_users u ON u.chunk_id = c.id
     WHERE c.session_id = ? ORDER BY c.first_seq DESC`,
  );
  for (const row of scan.iterate(sessionId)) if (hasUserKey(row.users, key)) candidates.push(row.id);
  const selectData = db.prepare<[number], Buffer>('SELECT data FROM event_chunks WHERE id = ?').pluck();
  const found: LiveEvent[] = [];
  for (const id of candidates) {
    const events = decodeChunk(selectData.get(id)!);
    for (let i = events.length - 1; i >= 0 && found.length < limit; i--) {
      if (events[i].platform === platform && events[i].user?.id === userId) found.push(events[i]);
    }
    if (found.length >= limit) break;
  }
  return found;
}

/**
 * Removes one platform user from every recorded event of theirs, in every session (the events stay,
 * so totals do not change): each chunk holding them is rewritten without them. Scans the user keys of
 * every chunk. Returns how many events lost their user.
 */
export function anonymiseUser(db: Db, platform: string, userId: string): number {
  const key = userKey(platform, userId);
  const scan = db.prepare<[], { chunk_id: number; users: Buffer }>('SELECT chunk_id, users FROM event_chunk_users');
  const selectData = db.prepare<[number], Buffer>('SELECT data FROM event_chunks WHERE id = ?').pluck();
  const updateData = db.prepare<[Buffer, number]>('UPDATE event_chunks SET data = ? WHERE id = ?');
  const updateUsers = db.prepare<[Buffer, number]>('UPDATE event_chunk_users SET users = ? WHERE chunk_id = ?');
  return db.transaction(() => {
    const candidates: number[] = [];
    for (const row of scan.iterate()) if (hasUserKey(row.users, key)) candidates.push(row.chunk_id);
    let anonymised = 0;
    for (const id of candidates) {
      let changed = 0;
      const events = decodeChunk(selectData.get(id)!).map((e) => {
        if (e.platform !== platform || e.user?.id !== userId) return e;
        changed++;
        const { user: _removed, ...rest } = e;
        return rest as LiveEvent;
      });
      if (changed === 0) continue; // another user with the same key
      const { data, users } = encodeChunk(events);
      updateData.run(data, id);
      updateUsers.run(users, id);
      anonymised += changed;
    }
    return anonymised;
  })();
}
