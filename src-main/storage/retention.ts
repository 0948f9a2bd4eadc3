// The retention setting applied: recorded sessions older than the limit are deleted with their
// events, and so are provisional persons (viewers never linked to a CRM record) not seen live since,
// and webhook deliveries made before it (sent or dead: one still pending is kept until it goes).
// CRM customers stay: their lifetime is the CRM's (tombstones) or an explicit erasure.
import type { Db } from './db';

const DAY_MS = 86_400_000;

export interface RetentionResult {
  sessions: number;
  persons: number;
  deliveries: number;
}

export function applyRetention(db: Db, days: number, now: number): RetentionResult {
  if (days <= 0) return { sessions: 0, persons: 0, deliveries: 0 };
  const cutoff = now - days * DAY_MS;
  return db.transaction(() => ({
    sessions: db.prepare("DELETE FROM sessions WHERE status != 'live' AND started_at < ?").run(cutoff).changes,
    persons: db
      .prepare(
        `DELETE FROM persons WHERE coalesce(seen_at, created_at) < ?
           AND NOT EXISTS (SELECT 1 FROM identities WHERE person_id = persons.id AND type = 'crm_id')`,
      )
      .run(cutoff).changes,
    deliveries: db.prepare("DELETE FROM webhook_outbox WHERE status != 'pending' AND created_at < ?").run(cutoff).changes,
  }))();
}
