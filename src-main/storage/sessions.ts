// Recorded sessions as the review page lists them: each with its span, status and headline totals,
// summed from its recorded events.
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
      SELECT s.id, s.title, s.started_at, s.ended_at, s.status,
             count(e.seq) AS events,
             coalesce(sum(e.kind = 'chat'), 0) AS comments,
             coalesce(sum(e.kind = 'order_paid'), 0) AS paid_orders,
             coalesce(sum(CASE WHEN e.kind = 'order_paid' THEN e.amount_fen END), 0) AS gmv_fen,
             max(e.ts) AS last_ts
      FROM sessions s LEFT JOIN events e ON e.session_id = s.id
      GROUP BY s.id
      ORDER BY s.started_at DESC
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
