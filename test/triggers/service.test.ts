// The trigger service as the engine uses it: a room-wide coupon that fires is announced on the anchor
// view while fresh; a person coupon with no webhook configured is reported as a failed delivery.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { builtinSegments } from '../../src-main/profiles/segments';
import { SecretBox } from '../../src-main/storage/secrets';
import { TriggerService } from '../../src-main/triggers/service';
import type { RoomView } from '../../src-main/triggers/trigger-engine';
import { ev } from '../helpers/events';
import { freshDb } from '../profiles/helpers';
import { at, MIN, person } from './helpers';

describe('the trigger service', () => {
  it('announces a room-wide coupon on the anchor view for a minute once interaction drops', () => {
    const { db } = freshDb();
    const service = new TriggerService(db, new SecretBox(randomBytes(32), 'file'));
    service.save('rule', {
      id: 'bag_now',
      version: 1,
      name: '冷场福袋',
      scope: 'room',
      trigger: { kind: 'interaction_drop', recentMinutes: 2, baselineMinutes: 10, dropPct: 30 },
      where: { minOnline: 100 },
      action: { mode: 'auto', channel: 'anchor', template: 'lucky_bag_8', quantity: 100, say: '福袋来了，评论区扣 1' },
      guards: { cooldownMinutes: 20, budget: { count: 1_000 } },
      sliceMinutes: 10,
      holdoutSlices: false,
    });
    service.startSession('s1', builtinSegments);
    const rates: number[] = [];
    const room: RoomView = { online: 1_000, productOnAir: undefined, interactionRate: rates };
    let last = 0;
    for (let minute = 0; minute < 14; minute++) {
      if (minute > 0) rates.push(minute <= 10 ? 0.1 : 0.02); // ten lively minutes, then the room goes quiet
      for (let second = 0; second < 60; second += 5) {
        last = at(minute) + second * 1000;
        service.observe(ev(last, { kind: 'viewer_stats', online: 1_000 }), undefined, room);
      }
    }
    const fired = service.view().decisions.find((d) => d.ruleId === 'bag_now' && d.outcome === 'fired' && d.channel === 'anchor')!;
    expect(fired.ts).toBeGreaterThan(at(10)); // not while the room was lively
    expect(fired.ts).toBeLessThanOrEqual(last);
    expect(service.live(fired.ts + 30_000).announcement).toEqual({ text: '福袋来了，评论区扣 1', ts: fired.ts });
    expect(service.live(fired.ts + 2 * MIN).announcement).toBeUndefined(); // a minute on the anchor view, then gone
  });

  it('reports a webhook coupon with no webhook configured as a failed delivery', async () => {
    const { db } = freshDb();
    const service = new TriggerService(db, new SecretBox(randomBytes(32), 'file'));
    service.save('rule', {
      id: 'hello',
      version: 1,
      name: '进场券',
      scope: 'person',
      trigger: { kind: 'entered' },
      action: { mode: 'auto', channel: 'webhook', template: 'newcomer_trial_5' },
      guards: { perSession: 3, perDay: 10, perWeek: 10 },
      holdoutShare: 0,
    });
    service.startSession('s1', builtinSegments);
    const room: RoomView = { online: 10, productOnAir: undefined, interactionRate: [] };
    service.observe(ev(at(0), { kind: 'enter' }, 'u1'), person(1), room);
    await new Promise((r) => setTimeout(r, 10));
    expect(service.view().decisions.find((d) => d.ruleId === 'hello')).toMatchObject({ outcome: 'delivery_failed', reason: 'no webhook is configured' });
  });
});
