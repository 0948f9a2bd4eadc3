// Talking points: what the room is asking now, from the chat. Each comment is normalised; ads and
// floods are dropped; questions are sorted into topics and near-duplicates clustered, so the anchor
// sees "尺码 · 小个子能穿吗 ×12 (9人)" once instead of a scrolling feed. Answered points retire.
import type { TalkingPoint } from '../contract';
import type { LiveEvent } from '../events/live-event';
import { TopicClusters } from '../text/clusters';
import { FloodGuard, normalizeText, spamKind } from '../text/normalize';
import { isQuestion } from '../text/questions';
import { topicOf } from '../text/topics';

export class TalkingPoints {
  private readonly clusters = new TopicClusters();
  private readonly flood = new FloodGuard();

  readonly add = (e: LiveEvent): void => {
    if (e.kind !== 'chat' || spamKind(e.text)) return;
    const text = normalizeText(e.text);
    const asker = e.user && !e.user.masked ? `${e.platform}:${e.user.id}` : `${e.platform}:?${e.id}`;
    if (!text || this.flood.isFlood(asker, text, e.ts) || !isQuestion(text)) return;
    this.clusters.add(text, topicOf(text), asker, e.ts);
  };

  /** The open questions most people asked, first (one viewer asking again counts less than another viewer asking). */
  top(limit = 5): TalkingPoint[] {
    return this.clusters
      .top(limit * 4)
      .sort((a, b) => b.askers - a.askers || b.count - a.count || b.lastTs - a.lastTs)
      .slice(0, limit)
      .map(({ topic, representative, count, askers, firstTs, lastTs }) => ({ topic, question: representative, count, askers, firstTs, lastTs }));
  }

  /** The anchor answered it: the point retires, and new questions like it start a new one. */
  answer(topic: string, question: string): boolean {
    return this.clusters.remove(topic, question);
  }
}
