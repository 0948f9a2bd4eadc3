import { describe, expect, it } from 'vitest';
import { applyRetention } from '../../src-main/storage/retention';
import { openDb } from '../../src-main/storage/db';
import { EventWriter } from '../../src-main/storage/event-log';
import { ev } from '../helpers/events';
import { tempDir } from '../helpers/temp-dir';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23);

describe('retention', () => {
  it('deletes old sessions with their events, old unlinked viewers and old webhook deliveries, never CRM customers or the live session', () => {
    const db = openDb(tempDir());
    const session = db.prepare("INSERT INTO sessions (id, title, started_at, status) VALUES (?, 't', ?, ?)");
    session.run('old', NOW - 40 * DAY, 'ended');
    session.run('recent', NOW - 10 * DAY, 'ended');
    session.run('live', NOW - 50 * DAY, 'live');
    for (const id of ['old', 'recent', 'live']) new EventWriter(db, id).append([1, 2, 3].map((ts) => ev(ts, { kind: 'chat', text: 'hi' }, 'dy_1')));
    const person = db.prepare('INSERT INTO persons (id, created_at, updated_at, seen_at) VALUES (?, ?, ?, ?)');
    person.run(1, NOW - 90 * DAY, NOW - 90 * DAY, NOW - 40 * DAY); // provisional, not seen for 40 days
    person.run(2, NOW - 90 * DAY, NOW - 90 * DAY, NOW - 5 * DAY); // provisional, seen last week
    person.run(3, NOW - 90 * DAY, NOW - 90 * DAY, null); // CRM customer, never seen live
    db.prepare("INSERT INTO identities (type, value, person_id) VALUES ('douyin_uid', 'dy_1', 1), ('douyin_uid', 'dy_2', 2), ('crm_id', 'c3', 3)").run();

    const delivery = db.prepare("INSERT INTO webhook_outbox (key, url, body, created_at, next_at, status) VALUES (?, 'https://shop.example/hook', '{}', ?, 0, ?)");
    delivery.run('old-sent', NOW - 40 * DAY, 'sent');
    delivery.run('old-dead', NOW - 40 * DAY, 'dead');
    delivery.run('old-pending', NOW - 40 * DAY, 'pending');
    delivery.run('recent-sent', NOW - 10 * DAY, 'sent');

    expect(applyRetention(db, 0, NOW)).toEqual({ sessions: 0, persons: 0, deliveries: 0 });
    expect(applyRetention(db, 30, NOW)).toEqual({ sessions: 1, persons: 1, deliveries: 2 });
    expect(db.prepare('SELECT key FROM webhook_outbox ORDER BY key').pluck().all()).toEqual(['old-pending', 'recent-sent']);
    expect(db.prepare('SELECT id FROM sessions ORDER BY id').pluck().all()).toEqual(['live', 'recent']);
    expect(db.prepare("SELECT COUNT(*) FROM event_chunks WHERE session_id = 'old'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM event_chunk_users').pluck().get()).toBe(2); // one chunk each for 'recent' and 'live'
    expect(db.prepare('SELECT id FROM persons ORDER BY id').pluck().all()).toEqual([2, 3]);
    expect(db.prepare("SELECT COUNT(*) FROM identities WHERE value = 'dy_1'").pluck().get()).toBe(0);
  });
});
