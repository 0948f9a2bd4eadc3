// The recorded events through their one API: every kind reads back exactly as written, in recorded
// order across many chunks and by time range; a person's events are found newest first and can be
// anonymised; the session's totals are kept as events are written. Real SQLite files, no mocks.
import { describe, expect, it } from 'vitest';
import { eventKinds, eventSchemas, type LiveEvent } from '../../src-main/events/live-event';
import { openDb, type Db } from '../../src-main/storage/db';
import { encodeChunk, hasUserKey, userKey } from '../../src-main/storage/event-codec';
import { anonymiseUser, countEvents, EventWriter, MAX_CHUNK_EVENTS, readEvents, userEvents } from '../../src-main/storage/event-log';
import { Recorder } from '../../src-main/storage/recorder';
import { Sessions } from '../../src-main/storage/sessions';
import { ev } from '../helpers/events';
import { tempDir } from '../helpers/temp-dir';

const BIG_UID = '7312345678901234567'; // beyond 2^53: stays a string
const T = 1_795_435_200_000;

/** One event of every kind, optional fields present, plus the same kinds with them absent. */
function everyKind(): LiveEvent[] {
  const user = { id: BIG_UID, name: '吃不胖的阿杰🌸', masked: false, level: 22, fansClub: { name: '小雨的宝藏粉', level: 3 }, following: true };
  const envelope = (i: number) => ({ id: `m${i}`, platform: 'douyin', roomId: 'room-7', ts: T + i * 7, recvTs: T + i * 7 + 40, user, trafficSource: 'recommend' });
  const full: Record<string, unknown>[] = [
    { kind: 'chat', text: '这件羽绒服有XL吗？😍 "quoted" \\ back\nline' },
    { kind: 'gift', giftId: 'glasses', giftName: '墨镜', count: 3, valueFen: 1990, streakId: '9007199254740993' },
    { kind: 'like', count: 15 },
    { kind: 'enter' },
    { kind: 'leave' },
    { kind: 'follow' },
    { kind: 'share' },
    { kind: 'fansclub', action: 'level_up', level: 4 },
    { kind: 'viewer_stats', online: 378_053, totalViewers: 379_950, likes: 12 },
    { kind: 'product_switch', productId: 'p1', productName: '轻薄羽绒服', priceFen: 29_900 },
    { kind: 'product_exposure', productId: 'p1' },
    { kind: 'product_click', productId: 'p1' },
    { kind: 'cart_add', productId: 'p1', quantity: 2 },
    { kind: 'order_created', orderId: '4890123456789012345', productId: 'p1', amountFen: 29_900, quantity: 1 },
    { kind: 'order_paid', orderId: '4890123456789012345', productId: 'p1', amountFen: 29_900, couponId: 'cpn1' },
    { kind: 'order_refund', orderId: '4890123456789012345', productId: 'p1', amountFen: 29_900 },
    { kind: 'coupon_issued', couponId: 'cpn1', faceValueFen: 3000, thresholdFen: 29_900, productId: 'p1' },
    { kind: 'coupon_claimed', couponId: 'cpn1' },
    { kind: 'coupon_redeemed', couponId: 'cpn1', orderId: 'o9' },
    { kind: 'private_domain_join', channel: 'wecom' },
    { kind: 'ad_spend', amountFen: 2_654_400, channel: '巨量千川' },
    { kind: 'live_start', title: '冬季上新专场｜羽绒服直降100' },
    { kind: 'live_end' },
  ];
  const optional = (kind: string, key: string) =>
    (eventSchemas[kind as LiveEvent['kind']].shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)[key].safeParse(undefined).success;
  const bare = full.map((body) => Object.fromEntries(Object.entries(body).filter(([key]) => !optional(body.kind as string, key))));
  const events: Record<string, unknown>[] = [
    ...full.map((body, i) => ({ ...envelope(i), ...body })),
    ...bare.map((body, i) => ({ id: `b${i}`, platform: 'kuaishou', roomId: '', ts: T - i, recvTs: T - i - 5, ...body })),
  ];
  return events.map((e) => eventSchemas[e.kind as LiveEvent['kind']].parse(e) as LiveEvent);
}

function session(db: Db, id: string): EventWriter {
  db.prepare("INSERT INTO sessions (id, title, started_at, status) VALUES (?, 't', 0, 'live')").run(id);
  return new EventWriter(db, id);
}

describe('recorded events', () => {
  it('read back exactly as written, every kind, with optional fields present or absent', () => {
    const events = everyKind();
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(eventKinds));
    expect(events.some((e) => !('user' in e) && !('trafficSource' in e))).toBe(true);
    const db = openDb(tempDir());
    session(db, 's').append(events);
    expect([...readEvents(db, 's')]).toStrictEqual(events);
    expect(countEvents(db, 's')).toBe(events.length);
    db.close();
  });

  it('keep their order across many chunks and big flushes, and read by time range', () => {
    const db = openDb(tempDir());
    const writer = session(db, 's');
    const written: LiveEvent[] = [];
    let n = 0;
    // Platform clocks disagree: times go back and forth within and across chunks.
    const next = (): LiveEvent => ev(T + (n % 7 === 0 ? -3_000 : n * 10), { kind: 'like', count: 1 + (n++ % 5) }, `u${n % 13}`);
    for (const size of [1, 500, 3, MAX_CHUNK_EVENTS * 2 + 17, 250, 1]) {
      const batch = Array.from({ length: size }, next);
      writer.append(batch);
      written.push(...batch);
    }
    expect(db.prepare("SELECT count(*) FROM event_chunks WHERE session_id = 's'").pluck().get()).toBe(8); // the big flush split in three
    expect([...readEvents(db, 's')]).toStrictEqual(written);
    expect(countEvents(db, 's')).toBe(written.length);
    for (const [fromTs, toTs] of [[T, T + 5_000], [T - 3_000, T - 2_999], [T + 60_000, undefined], [undefined, T + 1]] as const) {
      const inRange = written.filter((e) => e.ts >= (fromTs ?? -Infinity) && e.ts < (toTs ?? Infinity));
      expect(inRange.length).toBeGreaterThan(0);
      expect([...readEvents(db, 's', { fromTs, toTs })]).toStrictEqual(inRange);
    }
    expect([...readEvents(db, 's', { fromTs: T + 10_000_000 })]).toEqual([]);
    expect([...readEvents(db, 'unknown')]).toEqual([]);
    expect(countEvents(db, 'unknown')).toBe(0);
    db.close();
  });

  it('can be read while the database is written, a chunk at a time', () => {
    const db = openDb(tempDir());
    const recorder = new Recorder(db, 'first', ['demo']);
    for (let i = 0; i < 5; i++) {
      recorder.add(ev(T + i, { kind: 'chat', text: `#${i}` }, 'a'));
      recorder.flush();
    }
    const replayed = [];
    const next = new Recorder(db, 'second', ['demo']);
    for (const e of readEvents(db, recorder.session.id)) {
      next.add(e);
      next.flush(); // a write between two chunks of the replay
      replayed.push(e);
    }
    expect(replayed).toHaveLength(5);
    expect([...readEvents(db, next.session.id)]).toStrictEqual(replayed);
    db.close();
  });

  it('keep a huge or odd event intact', () => {
    const db = openDb(tempDir());
    const odd = [
      ev(T, { kind: 'chat', text: '长'.repeat(500_000) + '🎉'.repeat(1000) }, 'a'),
      ev(T, { kind: 'chat', text: '\u0000\ud800 lone surrogate, "quotes", \\, \u2028' }, '0'),
      ev(0, { kind: 'chat', text: '' }, 'x'.repeat(128)),
    ];
    session(db, 's').append(odd);
    expect([...readEvents(db, 's')]).toStrictEqual(odd);
    db.close();
  });

  it('keep the session totals the sessions list shows', () => {
    const db = openDb(tempDir());
    const recorder = new Recorder(db, '双11', ['demo']);
    recorder.add(ev(T, { kind: 'chat', text: 'hi' }, 'a'));
    recorder.add(ev(T + 5, { kind: 'order_paid', orderId: 'o1', productId: 'p1', amountFen: 990 }, 'a'));
    recorder.flush();
    recorder.add(ev(T + 9, { kind: 'order_paid', orderId: 'o2', productId: 'p1', amountFen: 10 }, 'b'));
    recorder.add(ev(T + 2, { kind: 'order_created', orderId: 'o3', productId: 'p1', amountFen: 5 }, 'b'));
    recorder.flush();
    expect(new Sessions(db).list()).toEqual([
      { id: recorder.session.id, title: '双11', startedAt: recorder.session.startedAt, endedAt: T + 9, status: 'live', events: 4, comments: 1, paidOrders: 2, gmvFen: 1000, platforms: [], peakOnline: 0, uv: 0, notes: '' },
    ]);
    db.close();
  });
});

describe("a person's recorded events", () => {
  it('are found newest first within the session, by platform and user id', () => {
    const db = openDb(tempDir());
    const writer = session(db, 's');
    const events = Array.from({ length: 3000 }, (_, i) =>
      ev(T + i, { kind: 'chat', text: `#${i}` }, i % 10 === 0 ? BIG_UID : `u${i % 97}`, i % 20 === 0 ? 'kuaishou' : 'douyin'),
    );
    for (let i = 0; i < events.length; i += 500) writer.append(events.slice(i, i + 500));
    session(db, 'other').append([ev(T, { kind: 'chat', text: 'elsewhere' }, BIG_UID)]);
    const mine = events.filter((e) => e.platform === 'douyin' && e.user?.id === BIG_UID).reverse();
    expect(mine).toHaveLength(150);
    expect(userEvents(db, 's', 'douyin', BIG_UID, 1000)).toStrictEqual(mine);
    expect(userEvents(db, 's', 'douyin', BIG_UID, 7)).toStrictEqual(mine.slice(0, 7));
    expect(userEvents(db, 's', 'kuaishou', BIG_UID, 1000)).toHaveLength(150);
    expect(userEvents(db, 's', 'wechat', BIG_UID, 1000)).toEqual([]);
    expect(userEvents(db, 'other', 'douyin', BIG_UID, 10).map((e) => e.kind === 'chat' && e.text)).toEqual(['elsewhere']);
    db.close();
  });

  it('are anonymised in every session: the user removed, the events and totals kept', () => {
    const db = openDb(tempDir());
    const a = session(db, 'a');
    const b = session(db, 'b');
    const first = [ev(T, { kind: 'chat', text: 'mine' }, 'dy_1'), ev(T + 1, { kind: 'chat', text: 'theirs' }, 'dy_2'), ev(T + 2, { kind: 'like', count: 1 }, 'dy_1', 'kuaishou')];
    const second = [ev(T + 3, { kind: 'order_paid', orderId: 'o1', productId: 'p1', amountFen: 100 }, 'dy_1'), ev(T + 4, { kind: 'enter' }, 'dy_3')];
    const third = ev(T + 5, { kind: 'leave' }, 'dy_3');
    a.append(first);
    b.append(second);
    b.append([third]);
    const totals = new Sessions(db).list();

    expect(anonymiseUser(db, 'douyin', 'dy_1')).toBe(2);
    const strip = ({ user: _user, ...rest }: LiveEvent) => rest;
    expect([...readEvents(db, 'a')]).toStrictEqual([strip(first[0]), first[1], first[2]]);
    expect([...readEvents(db, 'b')]).toStrictEqual([strip(second[0]), second[1], third]);
    expect(userEvents(db, 'a', 'douyin', 'dy_1', 10)).toEqual([]);
    expect(userEvents(db, 'a', 'kuaishou', 'dy_1', 10)).toHaveLength(1);
    const keys = db.prepare<[], Buffer>('SELECT users FROM event_chunk_users').pluck().all();
    expect(keys.some((k) => hasUserKey(k, userKey('douyin', 'dy_1')))).toBe(false);
    expect(new Sessions(db).list()).toEqual(totals);
    expect(anonymiseUser(db, 'douyin', 'dy_1')).toBe(0);
    expect(anonymiseUser(db, 'douyin', 'nobody')).toBe(0);
    db.close();
  });
});

describe('user keys', () => {
  it('are sorted and distinct, and found by binary search', () => {
    const events = ['a', 'b', 'a', 'c', 'b'].map((u) => ev(T, { kind: 'enter' }, u));
    const keys = encodeChunk([...events, ev(T, { kind: 'live_end' })]).users;
    const values = Array.from({ length: keys.length / 4 }, (_, i) => keys.readUInt32LE(i * 4));
    expect(values).toEqual([...new Set(['a', 'b', 'c'].map((u) => userKey('douyin', u)))].sort((x, y) => x - y));
    for (const u of ['a', 'b', 'c']) expect(hasUserKey(keys, userKey('douyin', u))).toBe(true);
    expect(hasUserKey(keys, userKey('kuaishou', 'a'))).toBe(false);
    expect(hasUserKey(encodeChunk([]).users, userKey('douyin', 'a'))).toBe(false);
  });
});
