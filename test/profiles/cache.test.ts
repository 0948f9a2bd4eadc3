import { describe, expect, it } from 'vitest';
import { ProfileCache } from '../../src-main/profiles/cache';
import { setConsent } from '../../src-main/profiles/consent';
import type { EventOf } from '../../src-main/events/live-event';
import { demoProfiles } from '../../src-main/sources/demo/audience';
import { ev } from '../helpers/events';
import { applyRecords, demoRecords } from '../helpers/demo-records';
import { count, freshDb } from './helpers';

const NOW = Date.UTC(2026, 10, 20);
const profiles = demoProfiles(7, 400);

describe('ProfileCache', () => {
  it('knows CRM customers by their platform uid, with traits, tags and what they bought', () => {
    const { db } = freshDb();
    applyRecords(db, demoRecords(profiles), NOW);
    const cache = new ProfileCache(db);
    const vip = profiles.find((p) => p.tags.includes('VIP') && p.uids.douyin)!;
    const facts = cache.identify(ev(NOW, { kind: 'chat', text: '在吗' }, vip.uids.douyin, 'douyin'))!;
    expect(facts.provisional).toBe(false);
    expect(facts.level).toBe(5);
    expect(facts.tags.has('VIP')).toBe(true);
    expect(facts.traits.orders).toBe(vip.orders.length);
    expect(facts.traits.ltvFen).toBe(vip.orders.reduce((s, o) => s + o.amountFen, 0));
    expect([...facts.bought].sort()).toEqual([...new Set(vip.orders.map((o) => o.productId))].sort());
    expect(facts.platforms.sort()).toEqual(Object.keys(vip.uids).sort());
    // The same person by their other platform uid is the same facts object.
    const other = Object.entries(vip.uids).find(([p]) => p !== 'douyin');
    if (other) expect(cache.identify(ev(NOW, { kind: 'enter' }, other[1], other[0] as 'kuaishou'))).toBe(facts);
  });

  it('marks a person who refused profiling, from their consent', () => {
    const { db } = freshDb();
    applyRecords(db, demoRecords(profiles), NOW);
    const [refusing, agreeing] = profiles.filter((p) => p.uids.douyin);
    const idOf = (uid: string) => db.prepare("SELECT person_id FROM identities WHERE type = 'douyin_uid' AND value = ?").pluck().get(uid) as number;
    setConsent(db, idOf(refusing.uids.douyin!), 'profiling', 'revoked', NOW);
    setConsent(db, idOf(agreeing.uids.douyin!), 'profiling', 'granted', NOW);
    const cache = new ProfileCache(db);
    expect(cache.identify(ev(NOW, { kind: 'enter' }, refusing.uids.douyin, 'douyin'))!.profilingRefused).toBe(true);
    expect(cache.identify(ev(NOW, { kind: 'enter' }, agreeing.uids.douyin, 'douyin'))!.profilingRefused).toBeUndefined();
  });

  it('reads a person once, then answers from memory', () => {
    const { db } = freshDb();
    applyRecords(db, demoRecords(profiles), NOW);
    const cache = new ProfileCache(db);
    const known = profiles.find((p) => p.uids.douyin)!;
    const first = cache.identify(ev(NOW, { kind: 'enter' }, known.uids.douyin, 'douyin'));
    db.prepare('DELETE FROM persons').run(); // the store changes underneath: the cache does not look
    expect(cache.identify(ev(NOW + 1, { kind: 'like', count: 1 }, known.uids.douyin, 'douyin'))).toBe(first);
  });

  it('gives unknown users provisional persons, written in one flush with their live orders and tags', () => {
    const { db } = freshDb();
    const cache = new ProfileCache(db);
    const a = cache.identify(ev(NOW, { kind: 'enter' }, 'dy_new_1', 'douyin'))!;
    const b = cache.identify(ev(NOW, { kind: 'enter' }, 'ks_new_2', 'kuaishou'))!;
    expect(a.provisional).toBe(true);
    expect(count(db, 'persons')).toBe(0); // not stored yet, but its id is already its own
    expect(applyRecords(db, [{ fields: { crm_id: 'crm_x', douyin_uid: 'dy_other' } }], NOW)).toBeUndefined();
    const imported = db.prepare("SELECT person_id FROM identities WHERE value = 'crm_x'").pluck().get() as number;
    expect([a.id, b.id]).not.toContain(imported);
    const paid = ev(NOW + 5, { kind: 'order_paid', orderId: 'o1', productId: 'p3', amountFen: 12_900 }, 'dy_new_1') as EventOf<'order_paid'>;
    cache.recordOrder(a, paid);
    cache.recordOrder(a, paid); // the same order again changes nothing
    cache.tag(b.id, '问尺码', NOW, NOW + 7 * 86_400_000);
    expect(a.traits).toMatchObject({ orders: 1, ltvFen: 12_900 });
    expect(a.bought.has('p3')).toBe(true);
    expect(b.tags.has('问尺码')).toBe(true);
    const ids = [a.id, b.id];
    cache.flush();
    expect([a.id, b.id]).toEqual(ids);
    expect(db.prepare("SELECT type, value, person_id FROM identities WHERE type != 'crm_id' AND value != 'dy_other' ORDER BY value").all()).toEqual([
      { type: 'douyin_uid', value: 'dy_new_1', person_id: a.id },
      { type: 'kuaishou_uid', value: 'ks_new_2', person_id: b.id },
    ]);
    expect(db.prepare('SELECT display_name FROM persons WHERE id = ?').pluck().get(a.id)).toBe('用户dy_new_1');
    expect(db.prepare('SELECT order_id, person_id, amount_fen, source FROM person_orders').all()).toEqual([
      { order_id: 'o1', person_id: a.id, amount_fen: 12_900, source: 'live' },
    ]);
    expect(db.prepare('SELECT person_id, tag, source FROM tags').all()).toEqual([{ person_id: b.id, tag: '问尺码', source: 'live' }]);
    // A later session finds the stored person and what they bought live.
    const again = new ProfileCache(db).identify(ev(NOW + 99, { kind: 'enter' }, 'dy_new_1', 'douyin'))!;
    expect(again).toMatchObject({ id: a.id, provisional: true });
    expect(again.traits.orders).toBe(1);
  });

  it('sees a provisional person as the CRM customer once an import links the uid', () => {
    const { db } = freshDb();
    const cache = new ProfileCache(db);
    const viewer = cache.identify(ev(NOW, { kind: 'enter' }, 'dy_1234', 'douyin'))!;
    cache.flush();
    applyRecords(db, [{ fields: { crm_id: 'crm_9', douyin_uid: 'dy_1234', tags: 'VIP', level: '5' } }], NOW);
    cache.invalidate();
    const linked = cache.identify(ev(NOW + 1, { kind: 'chat', text: '来了' }, 'dy_1234', 'douyin'))!;
    expect(linked).toMatchObject({ id: viewer.id, provisional: false, level: 5 });
    expect(linked.tags.has('VIP')).toBe(true);
  });

  it("sends a viewer's waiting writes to the CRM customer a sync linked their uid to before the flush", () => {
    const { db } = freshDb();
    const cache = new ProfileCache(db);
    const viewer = cache.identify(ev(NOW, { kind: 'enter' }, 'dy_77', 'douyin'))!;
    cache.recordOrder(viewer, ev(NOW + 1, { kind: 'order_paid', orderId: 'o77', productId: 'p1', amountFen: 100 }, 'dy_77') as EventOf<'order_paid'>);
    cache.tag(viewer.id, '反复点击', NOW, NOW + 1000);
    applyRecords(db, [{ fields: { crm_id: 'crm_77', douyin_uid: 'dy_77' } }], NOW);
    const customer = db.prepare("SELECT person_id FROM identities WHERE value = 'crm_77'").pluck().get() as number;
    cache.flush();
    expect(db.prepare('SELECT id FROM persons').pluck().all()).toEqual([customer]);
    expect(db.prepare('SELECT person_id FROM person_orders').pluck().all()).toEqual([customer]);
    expect(db.prepare('SELECT person_id FROM tags').pluck().all()).toEqual([customer]);
    // An erased person's waiting writes are dropped, never an error.
    const gone = cache.identify(ev(NOW, { kind: 'enter' }, 'dy_88', 'douyin'))!;
    cache.flush();
    db.prepare('DELETE FROM persons WHERE id = ?').run(gone.id);
    cache.tag(gone.id, '问尺码', NOW, NOW + 1000);
    expect(() => cache.flush()).not.toThrow();
  });

  it('never identifies masked users, users of platforms without uids, or events without a user', () => {
    const { db } = freshDb();
    const cache = new ProfileCache(db);
    const masked = ev(NOW, { kind: 'chat', text: 'hi' }, '0', 'douyin');
    masked.user!.masked = true;
    expect(cache.identify(masked)).toBeUndefined();
    expect(cache.identify(ev(NOW, { kind: 'enter' }, 'u1', 'demo'))).toBeUndefined();
    expect(cache.identify(ev(NOW, { kind: 'viewer_stats', online: 5 }))).toBeUndefined();
  });

  it('holds at most its capacity of uids', () => {
    const { db } = freshDb();
    const cache = new ProfileCache(db, 100);
    for (let i = 0; i < 250; i++) cache.identify(ev(NOW, { kind: 'enter' }, `dy_${i}`, 'douyin'));
    expect(cache.size).toBe(100);
    cache.flush();
    expect(count(db, 'persons')).toBe(250);
    // A new cache (the next run) reserves ids after every one handed out before.
    const next = new ProfileCache(db).identify(ev(NOW, { kind: 'enter' }, 'dy_next', 'douyin'))!;
    expect(next.id).toBeGreaterThan(250);
  });

  it('at capacity forgets the uid placed longest ago, a sighting a minute later placing it again', () => {
    const { db } = freshDb();
    const cache = new ProfileCache(db, 3);
    const see = (uid: string, ts: number) => cache.identify(ev(ts, { kind: 'enter' }, uid, uid.startsWith('ks') ? 'kuaishou' : 'douyin'))!;
    const first = ['dy_1', 'ks_2', 'dy_3'].map((uid) => see(uid, NOW));
    cache.flush();
    expect(see('dy_1', NOW + 61_000)).toBe(first[0]); // placed again
    see('dy_4', NOW + 61_000); // forgets ks_2, on another platform
    cache.flush();
    expect(cache.size).toBe(3);
    expect(see('dy_1', NOW + 62_000)).toBe(first[0]);
    const again = see('ks_2', NOW + 62_000); // read back from the store, forgetting dy_3
    expect(again).not.toBe(first[1]);
    expect(again.id).toBe(first[1].id);
    expect(see('dy_1', NOW + 62_000)).toBe(first[0]);
    expect(see('dy_3', NOW + 62_000)).not.toBe(first[2]);
  });

  it('lets go of viewers idle for ten minutes of event time once they are written, and knows them when they come back', () => {
    const { db } = freshDb();
    const cache = new ProfileCache(db);
    const minute = 60_000;
    const passerBy = cache.identify(ev(NOW, { kind: 'enter' }, 'dy_passer', 'douyin'))!;
    const regular = cache.identify(ev(NOW, { kind: 'enter' }, 'dy_regular', 'douyin'))!;
    for (let m = 1; m <= 12; m++) {
      cache.identify(ev(NOW + m * minute, { kind: 'chat', text: '来了' }, 'dy_regular', 'douyin'));
      cache.identify(ev(NOW + m * minute, { kind: 'enter' }, `dy_new_${m}`, 'douyin'));
      cache.flush();
    }
    // The passer-by (last seen 12 minutes ago) and the first newcomer (11) are gone; the regular stays.
    expect(cache.size).toBe(1 + 11);
    expect(cache.identify(ev(NOW + 12 * minute, { kind: 'like', count: 1 }, 'dy_regular', 'douyin'))).toBe(regular);
    const back = cache.identify(ev(NOW + 12 * minute, { kind: 'enter' }, 'dy_passer', 'douyin'))!;
    expect(back).not.toBe(passerBy);
    expect(back).toMatchObject({ id: passerBy.id, provisional: true });
    expect(count(db, 'persons')).toBe(2 + 12);
  });

  it('keeps provisional persons not yet written, however idle, while flushes wait', () => {
    const { db } = freshDb();
    const cache = new ProfileCache(db);
    const first = cache.identify(ev(NOW, { kind: 'enter' }, 'dy_first', 'douyin'))!;
    cache.hold(true);
    cache.identify(ev(NOW + 60 * 60_000, { kind: 'enter' }, 'dy_later', 'douyin'));
    cache.flush();
    expect(cache.identify(ev(NOW + 60 * 60_000, { kind: 'chat', text: '还在' }, 'dy_first', 'douyin'))).toBe(first);
    cache.hold(false);
    cache.flush();
    expect(count(db, 'persons')).toBe(2);
  });
});
