import { describe, expect, it } from 'vitest';
import { RoomMetrics } from '../../src-main/metrics/room-metrics';
import { ev } from '../helpers/events';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const s = (seconds: number): number => T0 + seconds * 1000;

describe('room metrics', () => {
  it('counts a scripted minute exactly', () => {
    const m = new RoomMetrics();
    m.apply(ev(s(0), { kind: 'viewer_stats', online: 100 }));
    m.apply(ev(s(1), { kind: 'enter' }, 'a'));
    m.apply(ev(s(2), { kind: 'enter' }, 'b'));
    m.apply(ev(s(3), { kind: 'enter' }, 'a'));
    m.apply(ev(s(4), { kind: 'enter' }, 'a', 'kuaishou'));
    m.apply(ev(s(5), { kind: 'chat', text: '多少钱' }, 'a'));
    m.apply(ev(s(6), { kind: 'chat', text: '有S码吗' }, 'b'));
    m.apply(ev(s(10), { kind: 'order_created', orderId: 'o1', productId: 'p1', amountFen: 29_900 }, 'a'));
    m.apply(ev(s(20), { kind: 'order_paid', orderId: 'o1', productId: 'p1', amountFen: 29_900 }, 'a'));
    m.apply(ev(s(30), { kind: 'viewer_stats', online: 130 }));

    expect(m.kpis()).toEqual({
      online: 130,
      onlineChange5m: null,
      commentsPerMin: 2,
      comments: 2,
      uv: 3, // a and b on douyin, a on kuaishou: different platform users until identity resolution links them
      pv: 4,
      gmvFen: 29_900,
      paidOrders: 1,
    });
    expect(m.trend()).toEqual([{ t: T0, online: 130, entries: 4, comments: 2, gmvFen: 29_900 }]);
  });

  it('counts comments per minute over a sliding 60 seconds of event time', () => {
    const m = new RoomMetrics();
    for (let i = 0; i < 30; i++) m.apply(ev(s(i), { kind: 'chat', text: '来了' }, 'u'));
    expect(m.kpis().commentsPerMin).toBe(30);
    m.apply(ev(s(70), { kind: 'chat', text: '来了' }, 'u')); // seconds 0..10 have left the window
    expect(m.kpis().commentsPerMin).toBe(30 - 11 + 1);
    m.apply(ev(s(200), { kind: 'viewer_stats', online: 5 }));
    expect(m.kpis().commentsPerMin).toBe(0);
    expect(m.kpis().comments).toBe(31);
  });

  it('reports the online change against five minutes ago, carrying online into quiet minutes', () => {
    const m = new RoomMetrics();
    m.apply(ev(s(0), { kind: 'viewer_stats', online: 500 }));
    for (let minute = 1; minute <= 4; minute++) m.apply(ev(s(minute * 60), { kind: 'chat', text: '冲' }, 'u'));
    expect(m.kpis().onlineChange5m).toBeNull();
    m.apply(ev(s(300), { kind: 'viewer_stats', online: 650 }));
    expect(m.kpis().onlineChange5m).toBe(150);
    expect(m.trend().map((p) => p.online)).toEqual([500, 500, 500, 500, 500, 650]);
  });

  it('puts a late event into its own minute, and ignores a stale online sample', () => {
    const m = new RoomMetrics();
    m.apply(ev(s(10), { kind: 'viewer_stats', online: 10 }));
    m.apply(ev(s(70), { kind: 'viewer_stats', online: 20 }));
    m.apply(ev(s(50), { kind: 'viewer_stats', online: 15 })); // arrives after the 70 s sample: stale
    m.apply(ev(s(55), { kind: 'order_paid', orderId: 'o', productId: 'p', amountFen: 100 }));
    expect(m.kpis().online).toBe(20);
    expect(m.trend()).toEqual([
      { t: T0, online: 10, entries: 0, comments: 0, gmvFen: 100 },
      { t: T0 + 60_000, online: 20, entries: 0, comments: 0, gmvFen: 0 },
    ]);
  });
});

describe('a room on several platforms', () => {
  it('is online on all of them at once: the latest count of each platform, summed', () => {
    const m = new RoomMetrics();
    m.apply(ev(s(0), { kind: 'viewer_stats', online: 300 }, undefined, 'douyin'));
    m.apply(ev(s(1), { kind: 'viewer_stats', online: 120 }, undefined, 'kuaishou'));
    m.apply(ev(s(2), { kind: 'viewer_stats', online: 80 }, undefined, 'wechat'));
    expect(m.kpis().online).toBe(500);
    m.apply(ev(s(4), { kind: 'viewer_stats', online: 250 }, undefined, 'douyin'));
    m.apply(ev(s(3), { kind: 'viewer_stats', online: 999 }, undefined, 'kuaishou'));
    expect(m.kpis().online).toBe(250 + 999 + 80);
    m.apply(ev(s(2), { kind: 'viewer_stats', online: 1 }, undefined, 'kuaishou')); // late, stale
    expect(m.kpis().online).toBe(250 + 999 + 80);
    expect(m.trend()[0].online).toBe(250 + 999 + 80);
  });
});
