// The live feed: which events it shows and how, its bounded backlog, the capped delta since the last
// push, items made when sent, and erasure.
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src-main/events/live-event';
import { Feed } from '../../src-main/engine/feed';
import type { PersonFacts } from '../../src-main/profiles/person';

const base = { platform: 'douyin', roomId: 'r1', recvTs: 0 } as const;
let nextId = 0;
const chat = (text: string, ts = 0): LiveEvent => ({ ...base, id: `m${++nextId}`, ts, kind: 'chat', text, user: { id: 'u1', name: '小王' } }) as LiveEvent;

function person(id: number): PersonFacts {
  return {
    id,
    provisional: false,
    platforms: ['douyin'],
    tags: new Set(['VIP']),
    traits: { orders: 2, ltvFen: 50_000, couponShare: 0 },
    bought: new Set(),
    suppressed: false,
    segments: 0b101,
    intent: 0.4,
  };
}

const feed = (): Feed => new Feed((p) => (p.tags.has('VIP') ? ['vip'] : []), (productId) => (productId === 'p1' ? '羽绒服' : undefined));

describe('Feed', () => {
  it('shows comments, gifts and orders with their person, and leaves out what it does not show', () => {
    const f = feed();
    f.add(chat('好看', 1), person(7));
    f.add({ ...base, id: 'g1', ts: 2, kind: 'gift', giftName: '小心心', count: 3, valueFen: 30, user: { id: 'u2', name: '阿丽' } } as LiveEvent, undefined);
    f.add({ ...base, id: 'o1', ts: 3, kind: 'order_paid', orderId: 'o1', productId: 'p1', amountFen: 19_900, user: { id: 'u1', name: '小王' } } as LiveEvent, person(7));
    f.add({ ...base, id: 'l1', ts: 4, kind: 'like', count: 5, user: { id: 'u1', name: '小王' } } as LiveEvent, person(7));
    expect(f.takeFresh()).toStrictEqual([
      { seq: 1, id: 'douyin:m' + nextId, ts: 1, kind: 'chat', platform: 'douyin', user: '小王', text: '好看', badges: ['vip'], segments: 0b101, personId: 7, intent: 0.4 },
      { seq: 2, id: 'douyin:g1', ts: 2, kind: 'gift', platform: 'douyin', user: '阿丽', text: '小心心', badges: [], segments: 0, count: 3, amountFen: 30 },
      { seq: 3, id: 'douyin:o1', ts: 3, kind: 'order_paid', platform: 'douyin', user: '小王', text: '羽绒服', badges: ['vip'], segments: 0b101, amountFen: 19_900, personId: 7, intent: 0.4 },
    ]);
    expect(f.takeFresh()).toEqual([]);
  });

  it('keeps the last 200 items as the backlog and hands on at most the last 80 since the previous push', () => {
    const f = feed();
    for (let i = 1; i <= 1_000; i++) f.add(chat(`c${i}`, i), undefined);
    expect(f.recent().map((item) => item.seq)).toEqual(Array.from({ length: 200 }, (_, i) => 801 + i));
    expect(f.takeFresh().map((item) => item.seq)).toEqual(Array.from({ length: 80 }, (_, i) => 921 + i));
    f.add(chat('again', 1_001), undefined);
    expect(f.takeFresh().map((item) => item.seq)).toEqual([1_001]);
    expect(f.recent()).toHaveLength(200);
  });

  it('drops an erased person’s items and never brings back items already past the backlog', () => {
    const f = feed();
    for (let i = 1; i <= 350; i++) f.add(chat(`c${i}`, i), i % 2 === 0 ? person(7) : person(8));
    f.forget(7);
    const left = f.recent();
    expect(left.every((item) => item.personId === 8)).toBe(true);
    expect(left.map((item) => item.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 151 + 2 * i));
    expect(f.takeFresh().map((item) => item.seq)).toEqual(Array.from({ length: 40 }, (_, i) => 271 + 2 * i));
  });

  it('makes an item only when it is sent, with its person as they are then', () => {
    const f = feed();
    const p = person(7);
    f.add(chat('好看', 1), p);
    p.tags.delete('VIP');
    p.intent = 0.6;
    const [item] = f.takeFresh();
    expect(item).toMatchObject({ badges: [], intent: 0.6 });
    expect(f.recent()[0]).toBe(item);
  });
});
