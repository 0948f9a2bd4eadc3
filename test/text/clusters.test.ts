// TopicClusters: near-duplicate questions grouped per topic, with counts, askers and times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigrams, jaccard, TopicClusters, type Bigrams } from '../../src-main/text/clusters';
import type { Topic } from '../../src-main/text/topics';

describe('jaccard over character bigrams', () => {
  it('is 1 for the same text and 0 for unrelated ones', () => {
    expect(jaccard(bigrams('几号链接'), bigrams('几号链接'))).toBe(1);
    expect(jaccard(bigrams('几号链接'), bigrams('包邮吗'))).toBe(0);
  });

  it('is shared over all distinct two-character strings, whitespace left out, a single character its own', () => {
    // The plain definition: sets of strings of two code points.
    const grams = (text: string): Set<string> => {
      const chars = [...text.replace(/\s+/g, '')];
      return chars.length < 2 ? new Set(chars) : new Set(chars.slice(1).map((c, i) => chars[i] + c));
    };
    const plain = (a: Set<string>, b: Set<string>): number => {
      const shared = [...a].filter((g) => b.has(g)).length;
      return a.size + b.size - shared === 0 ? 0 : shared / (a.size + b.size - shared);
    };
    const text = fc.string({ unit: fc.constantFrom('码', '吗', 'a', 'b', ' ', '\u3000', '𠀀', '😀', '\ud800', '\u0000', '\u0001'), maxLength: 8 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(jaccard(bigrams(a), bigrams(b))).toBe(plain(grams(a), grams(b)));
      }),
    );
    expect(jaccard(bigrams('码'), bigrams('码码'))).toBe(0);
    expect(jaccard(bigrams('吗吗吗'), bigrams('吗吗'))).toBe(1);
  });
});

describe('TopicClusters', () => {
  it('groups near-duplicates and keeps count, distinct askers, the first text and first/last ts', () => {
    const clusters = new TopicClusters();
    clusters.add('3号链接多少钱', '价格/优惠', 'u1', 100);
    clusters.add('3号链接多少钱?', '价格/优惠', 'u2', 200);
    const last = clusters.add('3号链接多少钱', '价格/优惠', 'u1', 300);
    expect(last).toEqual({ topic: '价格/优惠', representative: '3号链接多少钱', count: 3, askers: 2, valuedAskers: 0, firstTs: 100, lastTs: 300 });
  });

  it('keeps different questions and different topics apart, most asked first', () => {
    const clusters = new TopicClusters();
    clusters.add('包邮吗', '发货/物流', 'u1', 1);
    clusters.add('有s码吗', '尺码', 'u1', 2);
    clusters.add('有s码吗', '尺码', 'u2', 3);
    expect(clusters.top(5).map((c) => [c.representative, c.count])).toEqual([['有s码吗', 2], ['包邮吗', 1]]);
  });

  it('drops the least recently asked cluster when a topic is full', () => {
    const clusters = new TopicClusters({ maxPerTopic: 2 });
    clusters.add('有s码吗', '尺码', 'u1', 1);
    clusters.add('偏大还是偏小', '尺码', 'u1', 2);
    clusters.add('腰围二尺二穿几码', '尺码', 'u1', 3);
    expect(clusters.top(5, '尺码').map((c) => c.representative).sort()).toEqual(['偏大还是偏小', '腰围二尺二穿几码'].sort());
  });

  it('starts a new cluster for a question whose cluster was answered', () => {
    const clusters = new TopicClusters();
    clusters.add('有s码吗', '尺码', 'u1', 1);
    expect(clusters.add('有s码吗?', '尺码', 'u2', 2).representative).toBe('有s码吗');
    expect(clusters.remove('尺码', '有s码吗')).toBe(true);
    expect(clusters.add('有s码吗?', '尺码', 'u2', 3)).toMatchObject({ representative: '有s码吗?', count: 1 });
  });

  it('puts a repeated question where a scan of the live clusters would, through evictions and answers', () => {
    // Near-duplicates of each other in chains, so a text's first match depends on which clusters live.
    const texts = ['有s码吗', '有s码吗?', '有m码吗', '有m码吗?', '偏大还是偏小', '偏大吗', '偏小吗', '几号链接', '', '码'];
    const topic = fc.constantFrom<Topic>('尺码', '尺码', '尺码', '链接');
    const step = fc.oneof(
      { weight: 3, arbitrary: fc.record({ add: fc.constantFrom(...texts), topic }) },
      { weight: 1, arbitrary: fc.record({ answer: fc.constantFrom(...texts), topic }) },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const clusters = new TopicClusters({ maxPerTopic: 2 });
        // The reference: the clusters as plain lists, each question scanned against them.
        const lists = new Map<Topic, { representative: string; grams: Bigrams; lastTs: number }[]>();
        steps.forEach((s, ts) => {
          const list = lists.get(s.topic) ?? [];
          lists.set(s.topic, list);
          if ('answer' in s) {
            const at = list.findIndex((c) => c.representative === s.answer);
            expect(clusters.remove(s.topic, s.answer)).toBe(at !== -1);
            if (at !== -1) list.splice(at, 1);
            return;
          }
          const grams = bigrams(s.add);
          let joined = list.find((c) => jaccard(c.grams, grams) >= 0.6);
          if (!joined) {
            if (list.length >= 2) list.splice(list.indexOf(list.reduce((a, b) => (b.lastTs < a.lastTs ? b : a))), 1);
            list.push((joined = { representative: s.add, grams, lastTs: ts }));
          }
          joined.lastTs = ts;
          expect(clusters.add(s.add, s.topic, 'u', ts).representative).toBe(joined.representative);
        });
      }),
      { numRuns: 300 },
    );
  });
});
