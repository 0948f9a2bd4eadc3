// Recorded sessions as the review page lists them: each with its span, status and headline totals,
// the running totals the recorder keeps on the session's row as it writes its events (event-log.ts).
import type { SessionSummary } from '../contract';
import type { Db } from './db';

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
}

export class Sessions {
  private readonly select;

  constructor(db: Db) {
    this.select = db.prepare<[number], Row>(`
      SELECT id, title, started_at, ended_at, status, events, comments, paid_orders, gmv_fen, last_ts
      FROM sessions
      ORDER BY started_at DESC
      LIMIT ?`);
  }

  list(limit = 200): SessionSummary[] {
    return this.select.all(limit).map((r) => ({
      id: r.id,
      title: r.title,
      startedAt: r.started_at,
      endedAt: r.ended_at ?? r.last_ts ?? undefined,
      status: r.status,
      events: r.events,
      comments: r.comments,
      paidOrders: r.paid_orders,
      gmvFen: r.gmv_fen,
    }));
  }
}
