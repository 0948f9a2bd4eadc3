// Talking points: what the room is asking now, from the chat. Each comment is normalised; ads and
// floods are dropped; questions are sorted into topics and near-duplicates clustered, so the anchor
// sees "尺码 · 小个子能穿吗 ×12 (9人)" once instead of a scrolling feed. A point knows how many of its
// askers are past buyers or VIPs and which product it is about. Answered points retire.
import type { TalkingPoint } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';
import { TopicClusters } from '../text/clusters';
import { analyseChat } from '../text/chat';
import { FloodGuard } from '../text/normalize';
import { linkNumber } from '../text/topics';

/** Minutes of waiting that weigh like the askers once more, and the most that counts. */
const AGE_STEP_MIN = 5;
const MAX_AGE_MIN = 30;

export class TalkingPoints {
  private readonly clusters = new TopicClusters();
  private readonly flood = new FloodGuard();
  /** The product of each point (topic + representative), fixed when the point starts. */
  private readonly products = new Map<string, string>();

  /** `productOf` names the product a question is about: the link number it names, or the one on air. */
  constructor(private readonly productOf: (link: number | null) => string | undefined = () => undefined) {}

  readonly add = (e: LiveEvent, person?: PersonFacts): void => {
    if (e.kind !== 'chat') return;
    const { spam, text, question, topic } = analyseChat(e.text);
    if (spam) return;
    const asker = person ? `p${person.id}` : e.user && !e.user.masked ? `${e.platform}:${e.user.id}` : `${e.platform}:?${e.id}`;
    if (!text || this.flood.isFlood(asker, text, e.ts) || !question) return;
    const valued = !!person && (person.traits.orders > 0 || person.tags.has('VIP') || (person.level ?? 0) >= 5);
    const cluster = this.clusters.add(text, topic, asker, e.ts, valued);
    if (cluster.count === 1) {
      const product = this.productOf(linkNumber(text));
      if (product) this.products.set(`${topic}\0${cluster.representative}`, product);
    }
  };

  /**
   * The open questions most people asked, first (one viewer asking again counts less than another
   * viewer asking); a point left unanswered ages upward: each 5 minutes since it was first asked (up
   * to 30) weighs like its askers once more, so a question that keeps waiting is not buried by new ones.
   */
  top(limit = 5, now = 0): TalkingPoint[] {
    const weight = (p: { askers: number; firstTs: number }) => p.askers * (1 + Math.min(MAX_AGE_MIN, Math.max(0, now - p.firstTs) / 60_000) / AGE_STEP_MIN);
    return this.clusters
      .top(limit * 4)
      .sort((a, b) => weight(b) - weight(a) || b.count - a.count || b.lastTs - a.lastTs)
      .slice(0, limit)
      .map(({ topic, representative, count, askers, valuedAskers, firstTs, lastTs }) => {
        const productId = this.products.get(`${topic}\0${representative}`);
        return { topic, question: representative, count, askers, valuedAskers, firstTs, lastTs, ...(productId && { productId }) };
      });
  }

  /** The anchor answered it: the point retires, and new questions like it start a new one. */
  answer(topic: string, question: string): boolean {
    this.products.delete(`${topic}\0${question}`);
    return this.clusters.remove(topic, question);
  }
}
