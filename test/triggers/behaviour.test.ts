import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src-main/text/normalize';
import { topicOf } from '../../src-main/text/topics';
import { PRICE_HINT } from '../../src-main/triggers/behaviour';
import { readLabelled } from '../text/labelled-set';
import { at, chat, click, enter, harness, leave, like, paid, person, personRule } from './helpers';

describe('watching', () => {
  const rule = personRule({ id: 'watch', trigger: { kind: 'watching', minutes: 15 } });

  it('fires for a visit of 15 minutes without an order paid during it', () => {
    const h = harness({ rules: [rule] });
    h.send(at(0), enter, 1);
    h.send(at(5), like, 1);
    h.send(at(0), enter, 2);
    h.send(at(10), paid(), 2);
    h.send(at(0), enter, 3);
    h.send(at(10), leave, 3);
    h.send(at(12), enter, 3);
    h.send(at(1), like, 4); // no enter seen: present from the first event
    h.send(at(0), enter, 5);
    h.send(at(3), paid(), 5);
    h.send(at(4), leave, 5);
    h.send(at(5), enter, 5);
    h.engine.advance(at(60));
    expect(h.of('fired').map((d) => [d.personId, d.ts])).toEqual([
      [1, at(15)],
      [4, at(16)],
      [5, at(20)],
      [3, at(27)],
    ]);
  });
});

describe('clicks', () => {
  it('fires on the third click on one product within a visit, once per product', () => {
    const h = harness({ rules: [personRule({ id: 'clicks', trigger: { kind: 'clicks', count: 3 } })] });
    for (const p of ['a', 'b', 'a', 'a', 'a', 'b', 'b']) h.send(at(1), click(p), 1);
    h.send(at(1), click('a'), 2);
    h.send(at(1), click('a'), 2);
    h.send(at(2), leave, 2);
    h.send(at(3), click('a'), 2);
    expect(h.of('fired').map((d) => [d.personId, d.productId])).toEqual([
      [1, 'a'],
      [1, 'b'],
    ]);
  });
});

describe('asked_price', () => {
  it('fires on a price question, once per product on air', () => {
    const h = harness({ rules: [personRule({ id: 'ask', trigger: { kind: 'asked_price' } })] });
    h.send(at(0), chat('有S码吗'), 1);
    h.send(at(0), chat('这个退款运费怎么算'), 1);
    h.send(at(1), chat('这个多少钱呀'), 1);
    h.send(at(2), chat('能便宜点吗'), 1);
    h.room.productOnAir = 'p2';
    h.send(at(3), chat('有优惠券吗'), 1);
    expect(h.of('fired').map((d) => [d.ts, d.productId])).toEqual([
      [at(1), 'p1'],
      [at(3), 'p2'],
    ]);
  });

  it('classifies exactly the comments the text topics call 价格/优惠 (the cheap hint misses none)', () => {
    const priceWords = ['多少钱', '价格', '价钱', '什么价', '到手价', '粉丝价', '原价', '便宜', '优惠', '券', '满减', '折扣', '打折', '半价', '降价', '赠品', '送什么', '小样', '买一送一', '福袋', '抽奖', '块钱', '低点', '太贵了'];
    for (const word of priceWords) expect(topicOf(normalizeText(word)), word).toBe('价格/优惠');
    const labelled = readLabelled().map((c) => c.text);
    const price = [...priceWords, ...labelled].filter((text) => topicOf(normalizeText(text)) === '价格/优惠');
    expect(price.length).toBeGreaterThan(priceWords.length + 20);
    for (const text of price) expect(PRICE_HINT.test(text), text).toBe(true);
  });
});

describe('entered', () => {
  it('fires once a session on an enter, for the segments the rule names', () => {
    const VIP = 1 << 2; // SEGMENTS[2]
    const h = harness({ rules: [personRule({ id: 'vip', trigger: { kind: 'entered' }, where: { segments: { any: ['vip'] } } })] });
    h.send(at(0), enter, 1, person(1, { segments: VIP }));
    h.send(at(1), enter, 1);
    h.send(at(0), enter, 2);
    expect(h.of('fired').map((d) => d.personId)).toEqual([1]);
  });
});

describe('where', () => {
  const fires = (where: Record<string, unknown>, facts = person(1), onAir = 'p1', product = 'p1', minute = 0): boolean => {
    const h = harness({ rules: [personRule({ trigger: { kind: 'clicks', count: 2 }, where })] });
    h.room.productOnAir = onAir;
    h.send(at(minute), click(product), 1, facts);
    h.send(at(minute), click(product), 1);
    return h.of('fired').length === 1;
  };
  const PAST = 1 << 0;
  const NEVER = 1 << 1;
  const VIP = 1 << 2;

  it('matches segments by id over the caller’s bitmask', () => {
    expect(fires({ segments: { any: ['past_buyers', 'vip'] } }, person(1, { segments: VIP }))).toBe(true);
    expect(fires({ segments: { any: ['past_buyers', 'vip'] } }, person(1, { segments: NEVER }))).toBe(false);
    expect(fires({ segments: { all: ['past_buyers', 'vip'] } }, person(1, { segments: PAST | VIP }))).toBe(true);
    expect(fires({ segments: { all: ['past_buyers', 'vip'] } }, person(1, { segments: PAST }))).toBe(false);
    expect(fires({ segments: { none: ['past_buyers'] } }, person(1, { segments: NEVER }))).toBe(true);
    expect(fires({ segments: { none: ['past_buyers'] } }, person(1, { segments: PAST | NEVER }))).toBe(false);
  });

  it('matches tags', () => {
    const mum = person(1, { tags: ['宝妈', '价格敏感'] });
    expect(fires({ tags: { any: ['学生党', '宝妈'] } }, mum)).toBe(true);
    expect(fires({ tags: { all: ['宝妈', 'VIP'] } }, mum)).toBe(false);
    expect(fires({ tags: { none: ['价格敏感'] } }, mum)).toBe(false);
    expect(fires({ tags: { none: ['VIP'] } }, mum)).toBe(true);
  });

  it('matches the occurrence’s product, the product on air and the local time of day', () => {
    expect(fires({ products: ['p1', 'p2'] })).toBe(true);
    expect(fires({ products: ['p2'] })).toBe(false);
    expect(fires({ onAir: ['p9'] }, person(1), 'p9')).toBe(true);
    expect(fires({ onAir: ['p9'] }, person(1), 'p1')).toBe(false);
    // T0 is 20:00 in Shanghai (12:00 UTC).
    expect(fires({ hours: { from: '19:30', to: '22:00' } })).toBe(true);
    expect(fires({ hours: { from: '12:00', to: '13:00' } })).toBe(false);
    expect(fires({ hours: { from: '22:00', to: '02:00' } }, person(1), 'p1', 'p1', 5 * 60)).toBe(true);
  });
});
