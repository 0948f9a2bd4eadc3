// isQuestion on normalised danmaku: particles, question words, choices, and the look-alikes.
import { describe, expect, it } from 'vitest';
import { isQuestion } from '../../src-main/text/questions';

describe('isQuestion', () => {
  it.each(['有s码吗', '158 100斤穿什么码', '几号链接', '3号链接多少钱', '有没有xl码', '能不能便宜点', '啥时候发货', '偏大还是偏小', '厚不厚啊', '主播呢', '?'])(
    'asks: %s',
    (text) => expect(isQuestion(text)).toBe(true),
  );

  it.each(['已拍吧', '好吧', '什么都好看', '多少都值', '怎么这么好看!', '太好看了吧', '不是吧', '666', '求链接', '尺码表发一下'])(
    'does not ask: %s',
    (text) => expect(isQuestion(text)).toBe(false),
  );
});
