// Erasure reaches what a person's coupons left behind: their decisions and the webhook deliveries of
// those coupons go with them; other people's stay.
import { describe, expect, it } from 'vitest';
import { erasePerson } from '../../src-main/profiles/consent';
import { applyRecord } from '../../src-main/profiles/records';
import { openDb } from '../../src-main/storage/db';
import { WebhookOutbox } from '../../src-main/triggers/webhook';
import { tempDir } from '../helpers/temp-dir';

describe('erasure', () => {
  it('deletes the coupon decisions about the person and the webhook deliveries that carried them', () => {
    const db = openDb(tempDir());
    const now = Date.UTC(2026, 10, 20);
    for (const crm of ['c1', 'c2']) applyRecord(db, { fields: { crm_id: crm, douyin_uid: `dy-${crm}`, name: crm } }, now);
    const idOf = (crm: string) => db.prepare("SELECT person_id FROM identities WHERE type = 'crm_id' AND value = ?").pluck().get(crm) as number;
    // Decisions and deliveries as the trigger service makes them: the outbox wraps each decision in its envelope.
    const decision = db.prepare(
      `INSERT INTO trigger_decisions (key, session_id, rule_id, rule_version, person_id, ts, outcome, channel, coupon_id, face_value_fen, quantity, attribution_until)
       VALUES (?, 's1', 'cart_nudge', 2, ?, ?, 'fired', 'webhook', 'cart_nudge_10', 1000, 1, ?)`,
    );
    const outbox = new WebhookOutbox(db, { url: 'https://shop.example/hook', secret: 'a-webhook-secret-of-some-length' });
    for (const crm of ['c1', 'c2']) {
      decision.run(`k-${crm}`, idOf(crm), now, now);
      outbox.enqueue({ key: `k-${crm}`, body: { key: `k-${crm}`, personId: idOf(crm), coupon: { id: 'cart_nudge_10' } } });
    }
    outbox.enqueue({ key: 'k-room', body: { key: 'k-room', coupon: { id: 'room_10' } } });

    expect(erasePerson(db, idOf('c1'))).not.toBeNull();
    expect(db.prepare('SELECT key FROM webhook_outbox ORDER BY key').pluck().all()).toEqual(['k-c2', 'k-room']);
    expect(db.prepare('SELECT key FROM trigger_decisions ORDER BY key').pluck().all()).toEqual(['k-c2']);
  });
});
