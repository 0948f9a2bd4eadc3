// TopicClusters: near-duplicate questions grouped per topic, with counts, askers and times.
import { describe, expect, it } from 'vitest';
import { bigrams, jaccard, TopicClusters } from '../../src-main/text/clusters';

describe('jaccard over character bigrams', () => {
  it('is 1 for the same text and 0 for unrelated ones', () => {
    expect(jaccard(bigrams('几号链接'), bigrams('几号链接'))).toBe(1);
    expect(jaccard(bigrams('几号链接'), bigrams('包邮吗'))).toBe(0);
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
});
