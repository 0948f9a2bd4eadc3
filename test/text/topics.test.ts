// topicOf and linkNumber: the fixed topics and the link a comment points at.
import { describe, expect, it } from 'vitest';
import { linkNumber, topicOf } from '../../src-main/text/topics';

describe('topicOf', () => {
  it.each([
    ['158 100斤穿什么码', '尺码'],
    ['3号链接多少钱', '价格/优惠'],
    ['太贵了', '价格/优惠'],
    ['新疆包邮吗', '发货/物流'],
    ['含绒量多少', '材质/成分'],
    ['敏感肌能用吗', '适用人群'],
    ['m码还有吗', '库存'],
    ['几号链接', '链接'],
    ['#3', '链接'],
    ['尺码不对能换吗', '售后'],
    ['主播今天好漂亮', '其他'],
  ] as const)('%s → %s', (text, topic) => expect(topicOf(text)).toBe(topic));

  it('gives spam no topic even when it names one', () => {
    expect(topicOf('http://t.cn/abc 点击领券')).toBe('其他');
  });

  it('reads a single-character keyword only as a word of its own', () => {
    expect(topicOf('贵州能到吗')).not.toBe('价格/优惠');
  });
});

describe('linkNumber', () => {
  it.each([
    ['3号链接多少钱', 3],
    ['求讲解12号', 12],
    ['#3', 3],
    ['三号还有吗', 3],
    ['几号链接', null],
    ['158 100斤', null],
  ] as const)('%s → %s', (text, n) => expect(linkNumber(text)).toBe(n));
});
