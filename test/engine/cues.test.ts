// Rhythm cues from scripted rooms: each situation produces its cue with the reason in numbers, and a
// steady room produces none.
import { describe, expect, it } from 'vitest';
import type { EventBody } from '../../src-main/events/live-event';
import { RoomMetrics } from '../../src-main/metrics/room-metrics';
import { rhythmCues } from '../../src-main/talking/cues';
import { ev } from '../helpers/events';

const T0 = Date.UTC(2026, 10, 23, 20);
const at = (minute: number, second: number, body: EventBody, user?: string) => ev(T0 + minute * 60_000 + second * 1000, body, user);
const cuesOf = (m: RoomMetrics) => rhythmCues(m.kpis(), m.trend(), m.productKpis());

/** `perMinute` comments in each of the given minutes, from different viewers. */
function chatter(m: RoomMetrics, minutes: number[], perMinute: number): void {
  for (const minute of minutes) for (let i = 0; i < perMinute; i++) m.apply(at(minute, i % 60, { kind: 'chat', text: '来了' }, `u${minute}-${i}`));
}

describe('rhythm cues', () => {
  it('a steady room asks for nothing', () => {
    const m = new RoomMetrics();
    chatter(m, [0, 1, 2, 3, 4, 5], 20);
    expect(cuesOf(m)).toEqual([]);
  });

  it('interaction sagging against the session baseline asks for a 福袋, with the numbers', () => {
    const m = new RoomMetrics();
    chatter(m, [0, 1, 2, 3, 4], 20);
    chatter(m, [5], 5);
    m.apply(at(6, 0, { kind: 'like', count: 1 }, 'x')); // minute 5 is now complete
    expect(cuesOf(m)).toEqual([{ kind: 'interact', title: '发福袋 / 抽奖，带动互动', reason: '近 1 分钟评论 5 条，较本场均值 20 条低 75%' }]);
  });

  it('an online surge asks to explain the main product', () => {
    const m = new RoomMetrics();
    m.apply(at(0, 0, { kind: 'viewer_stats', online: 1000 }));
    m.apply(at(5, 0, { kind: 'viewer_stats', online: 1300 }));
    expect(cuesOf(m)).toEqual([{ kind: 'explain', title: '讲解主推款，引导关注', reason: '在线 5 分钟内 +300（+30%），现 1300' }]);
  });

  it('clicks without orders on the product on air ask for the price mechanics, carts left unpaid for urgency', () => {
    const m = new RoomMetrics();
    m.apply(at(0, 0, { kind: 'product_switch', productId: 'p1', productName: '羊毛围巾' }));
    for (let i = 0; i < 25; i++) m.apply(at(0, 1, { kind: 'product_click', productId: 'p1' }, `c${i}`));
    for (let i = 0; i < 12; i++) m.apply(at(0, 2, { kind: 'cart_add', productId: 'p1', quantity: 1 }, `c${i}`));
    m.apply(at(0, 3, { kind: 'order_created', orderId: 'o1', productId: 'p1', amountFen: 8_900 }, 'c0'));
    expect(cuesOf(m)).toEqual([
      { kind: 'price', title: '讲价格机制 / 发券', reason: '羊毛围巾 点击 25 人，下单仅 1 人（4%）' },
      { kind: 'urgency', title: '提醒库存 / 限时', reason: '加购 12 人，未下单 11 人' },
    ]);
  });
});
