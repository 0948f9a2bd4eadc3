// Upgrading a database written by schema v6 (one `events` row per event): migration 7 moves every
// recorded event into chunks, keeps each session's totals and drops the old table.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src-main/events/live-event';
import { DB_FILE, openDb } from '../../src-main/storage/db';
import { readEvents, userEvents } from '../../src-main/storage/event-log';
import { migrations } from '../../src-main/storage/migrations';
import { Recorder } from '../../src-main/storage/recorder';
import { Sessions } from '../../src-main/storage/sessions';
import { ev } from '../helpers/events';
import { tempDir } from '../helpers/temp-dir';

const T = 1_795_435_200_000;

/** A v6 database holding sessions recorded the old way, as that version's recorder wrote them. */
function v6Database(dir: string, recorded: Record<string, LiveEvent[]>): void {
  const db = new Database(join(dir, DB_FILE));
  for (const sql of migrations.slice(0, 6)) db.exec(sql as string);
  db.pragma('user_version = 6');
  const session = db.prepare('INSERT INTO sessions (id, title, started_at, ended_at, status) VALUES (?, ?, ?, ?, ?)');
  const event = db.prepare('INSERT INTO events (session_id, seq, ts, kind, platform, user_id, amount_fen, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const [id, events] of Object.entries(recorded)) {
      session.run(id, `场次 ${id}`, T, id === 'live' ? null : T + 3_600_000, id === 'live' ? 'live' : 'ended');
      events.forEach((e, i) => {
        event.run(id, i + 1, e.ts, e.kind, e.platform, e.user?.id ?? null, 'amountFen' in e ? e.amountFen : null, JSON.stringify(e));
      });
    }
  })();
  db.close();
}

describe('the upgrade from schema v6', () => {
  it('moves every recorded event into chunks, in order, with the totals, and drops the old table', () => {
    const dir = tempDir();
    const big = Array.from({ length: 2_500 }, (_, i) =>
      i % 100 === 0
        ? ev(T + i, { kind: 'order_paid', orderId: `o${i}`, productId: 'p1', amountFen: 990 }, `u${i % 7}`)
        : ev(T + i, { kind: 'chat', text: `第${i}条 😀` }, `u${i % 7}`, i % 3 === 0 ? 'kuaishou' : 'douyin'),
    );
    const { user: _erased, ...anonymised } = ev(T + 9, { kind: 'chat', text: 'erased before the upgrade' }, 'gone');
    const recorded: Record<string, LiveEvent[]> = { ended: big, live: [ev(T, { kind: 'enter' }, 'a'), anonymised as LiveEvent], empty: [] };
    v6Database(dir, recorded);

    const db = openDb(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'events'").get()).toBeUndefined();
    for (const [id, events] of Object.entries(recorded)) expect([...readEvents(db, id)]).toStrictEqual(events);
    expect(db.prepare("SELECT count(*) FROM event_chunks WHERE session_id = 'ended'").pluck().get()).toBe(3);
    expect(userEvents(db, 'ended', 'kuaishou', 'u3', 3)).toStrictEqual(big.filter((e) => e.platform === 'kuaishou' && e.user?.id === 'u3').reverse().slice(0, 3));

    const listed = new Sessions(db).list();
    expect(listed.find((s) => s.id === 'ended')).toMatchObject({ events: 2_500, comments: 2_475, paidOrders: 25, gmvFen: 25 * 990, endedAt: T + 3_600_000 });
    expect(listed.find((s) => s.id === 'live')).toMatchObject({ events: 2, comments: 1, paidOrders: 0, gmvFen: 0, endedAt: T + 9 });
    expect(listed.find((s) => s.id === 'empty')).toMatchObject({ events: 0, comments: 0, endedAt: T + 3_600_000 });

    // Recording carries on: the session left live is marked interrupted, the new one numbered from 1.
    const recorder = new Recorder(db, 'after the upgrade', ['demo']);
    const next = ev(T + 10, { kind: 'like', count: 2 }, 'a');
    recorder.add(next);
    recorder.close();
    expect([...readEvents(db, recorder.session.id)]).toStrictEqual([next]);
    expect(db.prepare("SELECT status FROM sessions WHERE id = 'live'").pluck().get()).toBe('interrupted');
    db.close();
  });
});
