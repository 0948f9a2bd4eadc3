// A comment's analysis, done once however many stages read it: whether it is spam, its normalised
// text, whether it asks something, and its topic. The talking points, the live tags (问尺码), the
// coupon rules (a price question) and purchase intent all read the same comment in turn, and danmaku
// repeats itself (扣1, 多少钱, 好看, 几号链接): so the analyses of recent distinct comments are kept,
// and a comment seen before costs a lookup.
import { normalizeText, spamKind, type SpamKind } from './normalize';
import { isQuestion } from './questions';
import { topicOf, type Topic } from './topics';

export interface ChatAnalysis {
  /** Why the raw comment is spam (normalize.ts), or null. */
  readonly spam: SpamKind | null;
  /** Normalised (normalize.ts); empty for a comment with nothing left to read. */
  readonly text: string;
  readonly question: boolean;
  /** The topic of the text, question or not ('其他' for an empty one). */
  readonly topic: Topic;
}

/** Distinct comments whose analysis is kept; when full, the cache starts over (cheaper than ordering it). */
const KEPT = 4_096;
/** Longer comments seldom repeat; not keeping them bounds the cache's memory (about 1 MB). */
const KEPT_LENGTH = 64;
const analyses = new Map<string, ChatAnalysis>();
/** The last comment analysed, kept whatever its length: the stages read one comment in turn. */
let lastRaw: string | undefined;
let last: ChatAnalysis | undefined;

export function analyseChat(raw: string): ChatAnalysis {
  if (raw === lastRaw && last) return last;
  let analysis = analyses.get(raw);
  if (!analysis) {
    const text = normalizeText(raw);
    analysis = { spam: spamKind(raw), text, question: text !== '' && isQuestion(text), topic: text ? topicOf(text) : '其他' };
    if (raw.length <= KEPT_LENGTH) {
      if (analyses.size >= KEPT) analyses.clear();
      analyses.set(raw, analysis);
    }
  }
  lastRaw = raw;
  last = analysis;
  return analysis;
}
