// Question detection and topic rules, scored on the hand-labelled set against the floors.
import { describe, expect, it } from 'vitest';
import { topics } from '../../src-main/text/topics';
import { readLabelled, scores } from './labelled-set';

const rows = readLabelled();

describe('the labelled danmaku set', () => {
  it('has at least 300 comments, each labelled with a known topic', () => {
    expect(rows.length).toBeGreaterThanOrEqual(300);
    for (const row of rows) expect(topics).toContain(row.topic);
  });

  it('detects questions with an F1 of at least 0.90', () => {
    expect(scores(rows).questionF1).toBeGreaterThanOrEqual(0.9);
  });

  it('puts at least 85% of comments in their labelled topic', () => {
    expect(scores(rows).topicAccuracy).toBeGreaterThanOrEqual(0.85);
  });
});
