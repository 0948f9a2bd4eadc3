// Raw frames as they came off the wire, kept for the sources that ask (a debugging aid for adapter
// authors): per session and source the newest MAX_FRAMES, each cut at MAX_RAW_FRAME_BYTES, buffered and
// written with the recorder's cadence. They hold what the platform sent, personal data included, so
// they go with their session (deleted, retention) and an erasure drops every frame naming the person.
import type { Db } from './db';

export const MAX_FRAMES = 20_000;
const MAX_RAW_FRAME_BYTES = 64 * 1024;
/** Frames waiting for a flush, all sources together: a bound should flushes stop. */
const PENDING_MAX = 4 * MAX_FRAMES;

interface Pending {
  sourceId: string;
  ts: number;
  data: Buffer;
}

export class RawFrames {
  private pending: Pending[] = [];
  private readonly insert;
  private readonly trim;

  /** `sessionId`: the live session the frames belong to (the engine moves it on to the next). */
  constructor(
    private readonly db: Db,
    public sessionId: string,
  ) {
    this.insert = db.prepare<[string, string, number, Buffer]>('INSERT INTO raw_frames (session_id, source_id, ts, data) VALUES (?, ?, ?, ?)');
    this.trim = db.prepare<[string, string, string, string, number]>(
      `DELETE FROM raw_frames WHERE session_id = ? AND source_id = ? AND id <= (
         SELECT id FROM raw_frames WHERE session_id = ? AND source_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    );
  }

  add(sourceId: string, data: string | Buffer | ArrayBuffer | Buffer[]): void {
    const whole = typeof data === 'string' ? Buffer.from(data, 'utf8') : Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    // A copy of the kept part only: a view would hold the whole frame (up to megabytes) until the flush.
    this.pending.push({ sourceId, ts: Date.now(), data: Buffer.from(whole.subarray(0, MAX_RAW_FRAME_BYTES)) });
    if (this.pending.length > PENDING_MAX) this.pending.shift();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      const sources = new Set<string>();
      for (const f of batch) {
        this.insert.run(this.sessionId, f.sourceId, f.ts, f.data);
        sources.add(f.sourceId);
      }
      for (const source of sources) this.trim.run(this.sessionId, source, this.sessionId, source, MAX_FRAMES);
    })();
  }
}

/** A session's kept frames, oldest first. */
export function* readRawFrames(db: Db, sessionId: string): Generator<{ sourceId: string; ts: number; data: Buffer }> {
  const rows = db.prepare<[string], { source_id: string; ts: number; data: Buffer }>('SELECT source_id, ts, data FROM raw_frames WHERE session_id = ? ORDER BY id');
  for (const row of rows.iterate(sessionId)) yield { sourceId: row.source_id, ts: row.ts, data: row.data };
}

/** Drops every kept frame that names `value` (a platform user id being erased); returns how many. */
export function dropRawFramesNaming(db: Db, value: string): number {
  return db.prepare('DELETE FROM raw_frames WHERE instr(data, ?) > 0').run(Buffer.from(value, 'utf8')).changes;
}
