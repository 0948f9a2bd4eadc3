// Talking points from a scripted chat: repeated questions become one point with its count and askers;
// small talk, ads and one viewer's flood do not; answering retires the point.
import { describe, expect, it } from 'vitest';
import { TalkingPoints } from '../../src-main/talking/talking-points';
import { ev } from '../helpers/events';

const T0 = Date.UTC(2026, 10, 23, 20);
const chat = (n: number, user: string, text: string) => ev(T0 + n * 1000, { kind: 'chat', text }, user);

describe('talking points', () => {
  it('turns the room’s repeated questions into ranked points, ignoring chatter, ads and floods', () => {
    const points = new TalkingPoints();
    const stream = [
      ...['小个子能穿吗', '小个子能穿吗？', '小个子能穿吗？？', '155小个子能穿吗', '小个子能穿吗呀'].map((text, i) => chat(i, `u${i}`, text)),
      chat(10, 'a', '多少钱'),
      chat(11, 'b', '多少钱啊'),
      chat(12, 'c', '来了来了'),
      chat(13, 'd', '666'),
      chat(14, 'e', '加V看更多优惠 私信我'),
      ...Array.from({ length: 8 }, (_, i) => chat(20 + i, 'flooder', '什么时候发货')),
    ];
    for (const e of stream) points.add(e);
    const top = points.top();
    expect(top[0]).toMatchObject({ topic: '尺码', count: 5, askers: 5 });
    expect(top[1]).toMatchObject({ topic: '价格/优惠', count: 2, askers: 2 });
    const shipping = top.find((p) => p.topic === '发货/物流');
    expect(shipping?.count).toBeLessThanOrEqual(3); // one viewer repeating is a flood, not the room asking
    expect(top.some((p) => p.question.includes('来了') || p.question.includes('666') || p.question.includes('加V'))).toBe(false);
  });

  it('retires a point once answered; the same question asked again starts afresh', () => {
    const points = new TalkingPoints();
    for (let i = 0; i < 4; i++) points.add(chat(i, `u${i}`, '什么时候发货'));
    const [point] = points.top();
    expect(points.answer(point.topic, point.question)).toBe(true);
    expect(points.top()).toEqual([]);
    points.add(chat(30, 'u9', '什么时候发货呀'));
    expect(points.top()).toMatchObject([{ topic: '发货/物流', count: 1 }]);
    expect(points.answer('尺码', '不存在的问题')).toBe(false);
  });
});
