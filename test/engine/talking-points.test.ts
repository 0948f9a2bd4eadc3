// Talking points from a scripted chat: repeated questions become one point with its count and askers;
// small talk, ads and one viewer's flood do not; answering retires the point.
import { describe, expect, it } from 'vitest';
import type { AnswerLibrary } from '../../src-main/contract';
import type { PersonFacts } from '../../src-main/profiles/person';
import { productOfLink, suggestAnswer } from '../../src-main/talking/answers';
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

describe('talking points with who asked and about what', () => {
  const person = (id: number, orders: number): PersonFacts => ({
    id,
    provisional: orders === 0,
    platforms: ['douyin'],
    tags: new Set(),
    traits: { orders, ltvFen: orders * 10_000, couponShare: 0 },
    bought: new Set(),
    suppressed: false,
    segments: 0,
  });

  it('counts past buyers among the askers, and ties a point to the link it names or the product on air', () => {
    let onAir = 'p1';
    const points = new TalkingPoints((link) => (link === 3 ? 'p3' : undefined) ?? onAir);
    points.add(chat(1, 'a', '小个子能穿吗'), person(1, 2));
    points.add(chat(2, 'b', '小个子能穿吗？'), person(2, 0));
    points.add(chat(3, 'c', '小个子能穿吗'), person(3, 1));
    points.add(chat(4, 'c', '3号链接多少钱'), person(3, 1));
    onAir = 'p2';
    points.add(chat(5, 'd', '发什么快递'), person(4, 0));
    const byTopic = Object.fromEntries(points.top().map((p) => [p.topic, p]));
    expect(byTopic['尺码']).toMatchObject({ askers: 3, valuedAskers: 2, productId: 'p1' });
    expect(byTopic['价格/优惠']).toMatchObject({ askers: 1, valuedAskers: 1, productId: 'p3' });
    expect(byTopic['发货/物流']).toMatchObject({ valuedAskers: 0, productId: 'p2' });
  });
});

describe('an unanswered point ages upward', () => {
  it('lets a question that has waited ten minutes rise above a newer one asked by more people', () => {
    const points = new TalkingPoints();
    for (let i = 0; i < 3; i++) points.add(chat(i, `old${i}`, '小个子能穿吗'));
    for (let i = 0; i < 5; i++) points.add(chat(600 + i, `new${i}`, '什么时候发货'));
    // Ten minutes on, the three who asked first weigh 3 × (1 + 10/5) = 9 against 5 × 1 for the new question.
    expect(points.top(5, T0 + 605_000).map((p) => [p.topic, p.askers])).toEqual([['尺码', 3], ['发货/物流', 5]]);
    // A minute on, they would not: 3 × 1.2 < 5.
    const early = new TalkingPoints();
    for (let i = 0; i < 3; i++) early.add(chat(i, `old${i}`, '小个子能穿吗'));
    for (let i = 0; i < 5; i++) early.add(chat(60 + i, `new${i}`, '什么时候发货'));
    expect(early.top(5, T0 + 65_000).map((p) => p.topic)).toEqual(['发货/物流', '尺码']);
  });
});

describe('suggested answers from the library', () => {
  const library: AnswerLibrary = {
    products: [{ productId: 'p1', name: '轻薄羽绒服', link: 1, sellingPoints: '90% 白鸭绒', sizeNotes: '155/90 斤穿 S', priceMechanics: '今天 299', faq: [{ q: '会钻绒吗', a: '防钻绒面料，放心' }] }],
    general: [{ q: '什么时候发货', a: '48 小时内发货' }],
  };

  it('answers by topic and product, then by the closest FAQ entry, and says nothing it does not know', () => {
    expect(suggestAnswer(library, '尺码', '160斤穿什么码', 'p1')).toBe('155/90 斤穿 S');
    expect(suggestAnswer(library, '价格/优惠', '多少钱', 'p1')).toBe('今天 299');
    expect(suggestAnswer(library, '其他', '这个会钻绒吗？', 'p1')).toBe('防钻绒面料，放心');
    expect(suggestAnswer(library, '发货/物流', '今天拍什么时候发货呀', 'p9')).toBe('48 小时内发货');
    expect(suggestAnswer(library, '链接', '羽绒服是几号链接', 'p1')).toBe('轻薄羽绒服是1号链接');
    expect(suggestAnswer(library, '尺码', '有S码吗', 'p9')).toBeUndefined();
    expect(productOfLink(library, 1)).toBe('p1');
  });
});
