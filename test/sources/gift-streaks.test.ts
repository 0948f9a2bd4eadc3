// Gift streaks counted once: a relay that re-sends a combo's running total must not multiply gifts.
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../src-main/events/live-event';
import { Ingress } from '../../src-main/pipeline/ingress';
import { GiftStreaks } from '../../src-main/sources/gift-streaks';
import { Intake } from '../../src-main/sources/intake';

const gift = (n: number, total: number, streakId = 'g1', user = 'u1'): Record<string, unknown> => ({
  kind: 'gift',
  id: `m${n}`,
  platform: 'douyin',
  ts: 1_790_000_000_000 + n,
  user: { id: user, name: '小熊' },
  giftId: 'rose',
  giftName: '小心心',
  count: total,
  valueFen: total * 10,
  streakId,
});

describe('gift streaks', () => {
  it('adds only what a running total grew by, and nothing for a late or repeated total', () => {
    const streaks = new GiftStreaks();
    expect([1, 3, 3, 2, 5, 4].map((total) => streaks.increment('s', total))).toEqual([1, 2, 0, 0, 2, 0]);
    expect(streaks.increment('other', 4)).toBe(4);
  });

  it('counts each streak once through an intake set to running totals, value scaled alike', () => {
    const gifts: EventOf<'gift'>[] = [];
    const ingress = new Ingress((e) => e.kind === 'gift' && gifts.push(e));
    const intake = new Intake({ id: 'relay', platform: 'douyin', roomId: 'r', giftCounts: 'running_total' }, ingress);
    intake.value([gift(1, 1), gift(2, 5), gift(3, 3), gift(4, 10), gift(5, 2, 'g2', 'u2'), gift(6, 10)]);
    expect(gifts.map((g) => [g.streakId, g.count, g.valueFen])).toEqual([
      ['g1', 1, 10],
      ['g1', 4, 40],
      ['g1', 5, 50],
      ['g2', 2, 20],
    ]);
    expect(gifts.reduce((n, g) => n + g.count, 0)).toBe(12);
    expect(intake.snapshot()).toMatchObject({ accepted: 4, duplicates: 2 });
  });

  it('leaves counts alone for relays that already send increments', () => {
    const gifts: EventOf<'gift'>[] = [];
    const intake = new Intake({ id: 'relay', platform: 'douyin', roomId: 'r' }, new Ingress((e) => e.kind === 'gift' && gifts.push(e)));
    intake.value([gift(1, 1), gift(2, 5)]);
    expect(gifts.map((g) => g.count)).toEqual([1, 5]);
  });
});
