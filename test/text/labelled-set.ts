// The hand-labelled danmaku set (test/fixtures/danmaku-labelled.tsv) and the two scores on it that the
// "Talking points and the anchor view" issue sets floors for: question F1 and topic accuracy.
import { readFileSync } from 'node:fs';
import { normalizeText } from '../../src-main/text/normalize';
import { isQuestion } from '../../src-main/text/questions';
import { topicOf, type Topic } from '../../src-main/text/topics';

export interface LabelledComment {
  text: string;
  isQuestion: boolean;
  topic: Topic;
}

export function readLabelled(): LabelledComment[] {
  const tsv = readFileSync(new URL('../fixtures/danmaku-labelled.tsv', import.meta.url), 'utf8');
  return tsv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [text, question, topic] = line.split('\t');
      return { text, isQuestion: question === '1', topic: topic as Topic };
    });
}

export function scores(rows: readonly LabelledComment[]): { questionF1: number; topicAccuracy: number } {
  let truePos = 0, falsePos = 0, falseNeg = 0, topicHits = 0;
  for (const row of rows) {
    const text = normalizeText(row.text);
    const predicted = isQuestion(text);
    if (predicted && row.isQuestion) truePos++;
    else if (predicted) falsePos++;
    else if (row.isQuestion) falseNeg++;
    if (topicOf(text) === row.topic) topicHits++;
  }
  return { questionF1: (2 * truePos) / (2 * truePos + falsePos + falseNeg), topicAccuracy: topicHits / rows.length };
}
