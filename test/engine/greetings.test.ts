import { describe, expect, it } from 'vitest';
import type { PersonFacts } from '../../src-main/profiles/person';
import { Greetings, maskName } from '../../src-main/talking/greetings';
import { ev } from '../helpers/events';

const T0 = Date.UTC(2026, 10, 23, 20);

function person(id: number, init: Partial<PersonFacts> & { ltvFen?: number; orders?: number } = {}): PersonFacts {
  const { ltvFen = 0, orders = 0, ...rest } = init;
  return { id, provisional: false, platforms: ['douyin'], tags: new Set(), traits: { orders, ltvFen, couponShare: 0 }, bought: new Set(), suppressed: false, segments: 0, ...rest };
}

describe('greeting cues', () => {
  it('masks nicknames for the screen', () => {
    expect(['追光的糖糖2023', '小熊', '阿', '', 'Ab'].map(maskName)).toEqual(['追**3', '小*熊', '阿*', '**', 'A*b']);
  });

  it('greets a VIP or a high-value past buyer once, while the arrival is fresh, with the reason in numbers', () => {
    const g = new Greetings();
    const vip = person(1, { level: 5, tags: new Set(['VIP']), ltvFen: 402_400, orders: 24, platforms: ['douyin', 'kuaishou'] });
    const bigSpender = person(2, { ltvFen: 150_000, orders: 3 });
    const smallBuyer = person(3, { ltvFen: 9_900, orders: 1 });
    const stranger = person(4, { provisional: true });

    g.observe(ev(T0, { kind: 'enter' }, 'u3'), smallBuyer);
    g.observe(ev(T0, { kind: 'enter' }, 'u4'), stranger);
    g.observe(ev(T0, { kind: 'chat', text: '来了' }, 'u1'), vip); // only an arrival is greeted
    expect(g.current(T0)).toBeUndefined();

    g.observe(ev(T0 + 1000, { kind: 'enter' }, 'u1'), vip);
    expect(g.current(T0 + 1000)).toEqual({ kind: 'greet', title: '欢迎 用**1', reason: 'VIP 5 级 · 累计消费 ¥4,024 · 24 单 · 跨平台' });
    expect(g.current(T0 + 62_000)).toBeUndefined(); // no longer fresh

    g.observe(ev(T0 + 70_000, { kind: 'enter' }, 'u2'), bigSpender);
    expect(g.current(T0 + 70_000)?.reason).toBe('高价值老客 · 累计消费 ¥1,500 · 3 单');
    g.observe(ev(T0 + 80_000, { kind: 'enter' }, 'u1'), vip); // greeted already this session
    expect(g.current(T0 + 80_000)?.reason).toContain('高价值老客');
  });
});
