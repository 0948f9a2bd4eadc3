// Normalising danmaku and telling spam and floods apart from real comments.
import { describe, expect, it } from 'vitest';
import { FloodGuard, normalizeText, spamKind } from '../../src-main/text/normalize';

describe('normalizeText', () => {
  it('turns full-width letters, digits and punctuation half-width', () => {
    expect(normalizeText('３号链接有Ｓ码吗？')).toBe('3号链接有s码吗?');
  });

  it('strips emoji and stickers', () => {
    expect(normalizeText('❤️主播加油[笑哭]👍🏻')).toBe('主播加油');
  });

  it('collapses repeats: letters to two, punctuation to one, digits untouched', () => {
    expect(normalizeText('哈哈哈哈哈')).toBe('哈哈');
    expect(normalizeText('多少钱？？？')).toBe('多少钱?');
    expect(normalizeText('1000斤')).toBe('1000斤');
  });

  it('lowercases, trims and squeezes spaces', () => {
    expect(normalizeText('  YYDS　　冲  ')).toBe('yyds 冲');
  });
});

describe('spamKind', () => {
  it('flags links and contact ads', () => {
    expect(spamKind('http://t.cn/abc 点击领券')).toBe('ad');
    expect(spamKind('加V看更多款')).toBe('ad');
    expect(spamKind('ｖｘ：ｌｄ８８８８')).toBe('ad');
    expect(spamKind('私信我领福利')).toBe('ad');
  });

  it('flags a short unit repeated and nothing else', () => {
    expect(spamKind('1111111')).toBe('repeat');
    expect(spamKind('扣1扣1扣1扣1扣1')).toBe('repeat');
  });

  it('leaves real comments alone', () => {
    expect(spamKind('哈哈哈哈')).toBeNull();
    expect(spamKind('158 100斤穿什么码')).toBeNull();
  });
});

describe('FloodGuard', () => {
  it('lets a user repeat a text three times in the window, then calls it a flood', () => {
    const guard = new FloodGuard({ windowMs: 10_000, maxRepeats: 3 });
    const verdicts = [0, 1_000, 2_000, 3_000].map((ts) => guard.isFlood('u1', '冲冲', ts));
    expect(verdicts).toEqual([false, false, false, true]);
  });

  it('counts users and texts apart, and forgets after the window', () => {
    const guard = new FloodGuard({ windowMs: 1_000, maxRepeats: 1 });
    expect(guard.isFlood('u1', '已拍', 0)).toBe(false);
    expect(guard.isFlood('u2', '已拍', 10)).toBe(false);
    expect(guard.isFlood('u1', '666', 20)).toBe(false);
    expect(guard.isFlood('u1', '已拍', 500)).toBe(true);
    expect(guard.isFlood('u1', '已拍', 1_500)).toBe(false);
  });

  it('forgets the pair remembered least recently first, a pair remembered again counting as new', () => {
    const guard = new FloodGuard({ windowMs: 10, maxRepeats: 1, maxEntries: 2 });
    expect(guard.isFlood('u1', 'a', 0)).toBe(false);
    expect(guard.isFlood('u1', 'b', 1)).toBe(false);
    expect(guard.isFlood('u1', 'a', 20)).toBe(false); // a's window is over: remembered again, after b
    expect(guard.isFlood('u1', 'c', 21)).toBe(false); // one pair too many: b goes
    expect(guard.isFlood('u1', 'a', 22)).toBe(true);
    expect(guard.isFlood('u1', 'b', 23)).toBe(false);
    expect(guard.size).toBe(2);
  });

  it('keeps its memory bounded', () => {
    const guard = new FloodGuard({ maxEntries: 100 });
    for (let i = 0; i < 1_000; i++) guard.isFlood(`u${i}`, '来了', i);
    expect(guard.size).toBe(100);
  });
});
