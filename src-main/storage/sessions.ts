// Recorded sessions as the review page lists them: each with its span, status and headline totals
// (the running totals the recorder keeps on the session's row as it writes its events, event-log.ts,
// and the platforms, peak online and viewers the live session writes as it runs), ops' notes and
// timed annotations, and deleting one that is over.
import type { SessionSummary } from '../contract';
import type { Db } from './db';
import { parseJson } from '../shared/values';

/** A timed note on a session's trend. */
export interface SessionNote {
  ts: number;
  text: string;
  kind: 'note' | 'point';
}

interface Row {
  id: string;
  title: string;
  started_at: number;
  ended_at: number | null;
  status: SessionSummary['status'];
  events: number;
  comments: number;
  paid_orders: number;
  gmv_fen: number;
  last_ts: number | null;
  platforms: string;
  peak_online: number;
  uv: number;
  notes: string;
}

export class Sessions {
  private readonly select;
  private readonly selectOne;

  constructor(private readonly db: Db) {
    const columns = 'id, title, started_at, ended_at, status, events, comments, paid_orders, gmv_fen, last_ts, platforms, peak_online, uv, notes';
    this.select = db.prepare<[number], Row>(`SELECT ${columns} FROM sessions ORDER BY started_at DESC LIMIT ?`);
    this.selectOne = db.prepare<[string], Row>(`SELECT ${columns} FROM sessions WHERE id = ?`);
  }

  list(limit = 200): SessionSummary[] {
    return this.select.all(limit).map(summaryOf);
  }

  get(id: string): SessionSummary | undefined {
    const row = this.selectOne.get(id);
    return row && summaryOf(row);
  }

  /** Where the live session stands: written every few seconds, so a crash loses little. */
  summarize(id: string, summary: { platforms: string[]; peakOnline: number; uv: number }): void {
    this.db
      .prepare('UPDATE sessions SET platforms = ?, peak_online = ?, uv = ? WHERE id = ?')
      .run(JSON.stringify(summary.platforms), summary.peakOnline, summary.uv, id);
  }

  /** A moment of a session at `ts`: ops' annotation, or a talking point answered live. */
  annotate(id: string, ts: number, text: string, kind: SessionNote['kind'] = 'note'): void {
    this.db.prepare('INSERT INTO session_notes (session_id, ts, text, kind) VALUES (?, ?, ?, ?)').run(id, ts, text, kind);
  }

  /** A session's annotations and answered points, oldest first. */
  annotations(id: string): SessionNote[] {
    return this.db.prepare<[string], SessionNote>('SELECT ts, text, kind FROM session_notes WHERE session_id = ? ORDER BY ts').all(id);
  }

  setNotes(id: string, notes: string): boolean {
    return this.db.prepare('UPDATE sessions SET notes = ? WHERE id = ?').run(notes, id).changes === 1;
  }

  /** Deletes a recorded session with its events; the live one cannot be. */
  remove(id: string): boolean {
    return this.db.prepare("DELETE FROM sessions WHERE id = ? AND status != 'live'").run(id).changes === 1;
  }
}

function summaryOf(r: Row): SessionSummary {
  return {
    id: r.id,
    title: r.title,
    startedAt: r.started_at,
    endedAt: r.ended_at ?? r.last_ts ?? undefined,
    status: r.status,
    events: r.events,
    comments: r.comments,
    paidOrders: r.paid_orders,
    gmvFen: r.gmv_fen,
    platforms: parseJson(r.platforms) as string[],
    peakOnline: r.peak_online,
    uv: r.uv,
    notes: r.notes,
  };
}
