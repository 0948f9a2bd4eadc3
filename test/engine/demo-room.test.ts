import { describe, expect, it } from 'vitest';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';

const START = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('demo room', () => {
  it('plays the same events for the same seed, and other events for another seed', () => {
    const a = new DemoRoom({ seed: 7, startTs: START, rate: 50 }).eventsUntil(START + 120_000);
    const b = new DemoRoom({ seed: 7, startTs: START, rate: 50 }).eventsUntil(START + 120_000);
    const c = new DemoRoom({ seed: 8, startTs: START, rate: 50 }).eventsUntil(START + 120_000);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('emits events in time order, up to the asked time, across calls', () => {
    const room = new DemoRoom({ seed: 1, startTs: START, rate: 100 });
    const first = room.eventsUntil(START + 30_000);
    const second = room.eventsUntil(START + 60_000);
    const all = [...first, ...second];
    for (let i = 1; i < all.length; i++) expect(all[i].ts).toBeGreaterThanOrEqual(all[i - 1].ts);
    expect(first.every((e) => e.ts <= START + 30_000)).toBe(true);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  });

  it('produces a live-commerce room at about the configured rate, with Chinese chat and a paid funnel', () => {
    const events = new DemoRoom({ seed: 3, startTs: START, rate: 40 }).eventsUntil(START + 600_000);
    const count = (kind: string): number => events.filter((e) => e.kind === kind).length;
    const audience = events.length - count('viewer_stats') - count('order_created') - count('order_paid');
    expect(audience / 600).toBeGreaterThan(36);
    expect(audience / 600).toBeLessThan(44);
    expect(count('viewer_stats')).toBe(301);
    const chats = events.filter((e) => e.kind === 'chat');
    expect(chats.every((e) => /[\u4e00-\u9fff]|666/.test(e.text))).toBe(true);
    expect(count('order_created')).toBeGreaterThan(0);
    expect(count('order_paid')).toBeLessThanOrEqual(count('order_created'));
    const created = new Map(events.filter((e) => e.kind === 'order_created').map((e) => [e.orderId, e.ts]));
    for (const paid of events.filter((e) => e.kind === 'order_paid')) expect(paid.ts).toBeGreaterThan(created.get(paid.orderId)!);
  });
});
