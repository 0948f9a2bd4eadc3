// A comment's analysis, done once however many stages read it: its normalised text, whether it asks
// something, and its topic. The talking points, the live tags (问尺码), the coupon rules (a price
// question) and purchase intent all read the same comment in turn, so the last analysis is kept and
// a repeat of the same text costs a comparison.
import { normalizeText } from './normalize';
import { isQuestion } from './questions';
import { topicOf, type Topic } from './topics';

export interface ChatAnalysis {
  /** Normalised (normalize.ts); empty for a comment with nothing left to read. */
  text: string;
  question: boolean;
  /** The topic of the text, question or not ('其他' for an empty one). */
  topic: Topic;
}

let lastRaw: string | undefined;
let last: ChatAnalysis = { text: '', question: false, topic: '其他' };

export function analyseChat(raw: string): ChatAnalysis {
  if (raw === lastRaw) return last;
  const text = normalizeText(raw);
  last = { text, question: text !== '' && isQuestion(text), topic: text ? topicOf(text) : '其他' };
  lastRaw = raw;
  return last;
}
