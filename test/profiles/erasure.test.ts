// Erasure reaches what a person's coupons left behind: their decisions and the webhook deliveries of
// those coupons go with them; other people's stay.
import { describe, expect, it } from 'vitest';
import { erasePerson } from '../../src-main/profiles/consent';
import { applyRecord } from '../../src-main/profiles/records';
import { openDb } from '../../src-main/storage/db';
import { tempDir } from '../helpers/temp-dir';

describe('erasure', () => {
  it('deletes the coupon decisions about the person and the webhook deliveries that carried them', () => {
    const db = openDb(tempDir());
    const now = Date.UTC(2026, 10, 20);
    for (const crm of ['c1', 'c2']) applyRecord(db, { fields: { crm_id: crm, douyin_uid: `dy-${crm}`, name: crm } }, now);
    const idOf = (crm: string) => db.prepare("SELECT person_id FROM identities WHERE type = 'crm_id' AND value = ?").pluck().get(crm) as number;
    const delivery = db.prepare("INSERT INTO webhook_outbox (key, url, body, created_at, next_at, status) VALUES (?, 'https://shop.example/hook', ?, ?, 0, 'sent')");
    for (const crm of ['c1', 'c2']) delivery.run(`k-${crm}`, JSON.stringify({ key: `k-${crm}`, personId: idOf(crm), coupon: { id: 'cart_nudge_10' } }), now);
    delivery.run('k-room', JSON.stringify({ key: 'k-room', coupon: { id: 'room_10' } }), now);

    expect(erasePerson(db, idOf('c1'))).not.toBeNull();
    expect(db.prepare('SELECT key FROM webhook_outbox ORDER BY key').pluck().all()).toEqual(['k-c2', 'k-room']);
  });
});
