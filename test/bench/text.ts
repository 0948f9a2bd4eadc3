// question_f1 and topic_accuracy on the hand-labelled danmaku set, and text_events_per_s: normalise,
// isQuestion, topicOf and (for questions) TopicClusters.add over 200,000 chat texts made by cycling
// the labelled set with varied suffixes.
import { TopicClusters } from '../../src-main/text/clusters';
import { normalizeText } from '../../src-main/text/normalize';
import { isQuestion } from '../../src-main/text/questions';
import { topicOf } from '../../src-main/text/topics';
import { readLabelled, scores } from '../text/labelled-set';
import type { Benchmark } from './run';

const TEXTS = 200_000;
const SUFFIXES = ['', '～', ' 主播', '呀', '!!', '[笑哭]', '😂', ' 宝宝们', '？？', '哈哈哈'];

let texts: string[] | undefined;
function benchTexts(): string[] {
  if (texts) return texts;
  const labelled = readLabelled().map((row) => row.text);
  texts = Array.from({ length: TEXTS }, (_, i) => labelled[i % labelled.length] + SUFFIXES[Math.floor(i / labelled.length) % SUFFIXES.length]);
  return texts;
}

export const textAnalysis: Benchmark = {
  name: 'text',
  runs: 5,
  async run() {
    const { questionF1, topicAccuracy } = scores(readLabelled());
    const all = benchTexts();
    const clusters = new TopicClusters();
    const started = performance.now();
    for (let i = 0; i < all.length; i++) {
      const text = normalizeText(all[i]);
      const topic = topicOf(text);
      if (isQuestion(text)) clusters.add(text, topic, `u${i % 5_000}`, i);
    }
    const ms = performance.now() - started;
    return { question_f1: questionF1, topic_accuracy: topicAccuracy, text_events_per_s: (all.length * 1000) / ms };
  },
};
