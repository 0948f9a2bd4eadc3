// What a person allowed and the right to be forgotten: consent per purpose (granted / denied /
// revoked, with its date), the suppression list every action honours, and erasure — the person and
// everything that identifies them deleted (with the coupon decisions about them, the webhook
// deliveries of those coupons and any kept raw frame naming them), their recorded events kept for the
// room's figures but anonymised.
import type { ConsentPurpose, ConsentStatus } from '../contract';
import type { Db } from '../storage/db';
import { anonymiseUser } from '../storage/event-log';
import { dropRawFramesNaming } from '../storage/raw-frames';

export function setConsent(db: Db, personId: number, purpose: ConsentPurpose, status: ConsentStatus, now: number): void {
  db.prepare(
    `INSERT INTO consent (person_id, purpose, status, ts) VALUES (?, ?, ?, ?)
     ON CONFLICT (person_id, purpose) DO UPDATE SET status = excluded.status, ts = excluded.ts`,
  ).run(personId, purpose, status, now);
}

export function setSuppressed(db: Db, personId: number, suppressed: boolean, reason: string, now: number): void {
  if (suppressed) {
    db.prepare('INSERT OR REPLACE INTO suppressions (person_id, reason, ts) VALUES (?, ?, ?)').run(personId, reason, now);
  } else {
    db.prepare('DELETE FROM suppressions WHERE person_id = ?').run(personId);
  }
}

export interface Erasure {
  /** Recorded events whose user was removed. */
  events: number;
}

/**
 * Deletes the person with their identifiers, tags, order lines and consent; removes the user from
 * their recorded events (the events stay, so the sessions' totals do not change) and every merge-log
 * entry that names them or one of their identifiers, leaving no copy in free pages or the write-ahead
 * log. Returns null when there is no such person.
 */
export function erasePerson(db: Db, personId: number): Erasure | null {
  const erasure = db.transaction(() => {
    const ids = db.prepare<[number], { type: string; value: string }>('SELECT type, value FROM identities WHERE person_id = ?').all(personId);
    const exists = db.prepare('SELECT 1 FROM persons WHERE id = ?').get(personId);
    if (!exists) return null;
    const uids = ids.filter((id) => id.type.endsWith('_uid')).map((id) => ({ platform: id.type.slice(0, -4), uid: id.value }));
    const events = uids.reduce((n, u) => n + anonymiseUser(db, u.platform, u.uid), 0);
    for (const id of ids) dropRawFramesNaming(db, id.value);
    db.prepare('DELETE FROM merge_log WHERE from_person = ? OR to_person = ?').run(personId, personId);
    const forget = db.prepare("DELETE FROM merge_log WHERE instr(detail, ?) > 0");
    for (const id of ids) forget.run(JSON.stringify(id.value));
    db.prepare('DELETE FROM trigger_decisions WHERE person_id = ?').run(personId);
    // A delivery's body is the outbox's envelope around the decision (webhook.ts): its person is at data.personId.
    db.prepare("DELETE FROM webhook_outbox WHERE json_extract(body, '$.data.personId') = ?").run(personId);
    db.prepare('DELETE FROM trigger_holds WHERE person_id = ?').run(personId);
    db.prepare('DELETE FROM persons WHERE id = ?').run(personId);
    return { events };
  })();
  // The old pages still sit in the write-ahead log until it is checkpointed and emptied.
  if (erasure) db.pragma('wal_checkpoint(TRUNCATE)');
  return erasure;
}
