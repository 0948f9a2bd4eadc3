// Question clusters per topic: near-duplicate questions (character-bigram Jaccard) grouped so the
// anchor sees "尺码 ×37, 12 people" once rather than 37 lines. Memory is bounded per topic.
import type { Topic } from './topics';

export interface ClusterOptions {
  /** Bigram Jaccard at or above which a question joins a cluster. */
  threshold?: number;
  /** Clusters kept per topic; the least recently asked is dropped first. */
  maxPerTopic?: number;
  /** Distinct askers remembered per cluster; `askers` stops counting there. */
  maxAskers?: number;
}

export interface QuestionCluster {
  topic: Topic;
  /** The first question of the cluster, shown to the anchor. */
  representative: string;
  count: number;
  /** Distinct users who asked, up to `maxAskers`. */
  askers: number;
  /** Of them, those the caller marked as valued (past buyers, VIPs). */
  valuedAskers: number;
  firstTs: number;
  lastTs: number;
}

interface Entry extends QuestionCluster {
  bigrams: Set<string>;
  askerIds: Set<string>;
}

/** Character bigrams of a text; a one-character text is its own bigram. */
export function bigrams(text: string): Set<string> {
  const chars = [...text.replace(/\s+/g, '')];
  if (chars.length < 2) return new Set(chars);
  const out = new Set<string>();
  for (let i = 1; i < chars.length; i++) out.add(chars[i - 1] + chars[i]);
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const gram of small) if (large.has(gram)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** Groups near-duplicate questions within each topic. */
export class TopicClusters {
  private readonly byTopic = new Map<Topic, Entry[]>();
  private readonly threshold: number;
  private readonly maxPerTopic: number;
  private readonly maxAskers: number;

  constructor(options: ClusterOptions = {}) {
    this.threshold = options.threshold ?? 0.6;
    this.maxPerTopic = options.maxPerTopic ?? 32;
    this.maxAskers = options.maxAskers ?? 1_000;
  }

  /** Adds one normalised question (`valued`: the asker is a past buyer or VIP); returns the cluster it joined or started. */
  add(text: string, topic: Topic, userId: string, ts: number, valued = false): QuestionCluster {
    const grams = bigrams(text);
    const list = this.listOf(topic);
    const entry = list.find((e) => jaccard(e.bigrams, grams) >= this.threshold) ?? this.start(list, text, topic, grams, ts);
    entry.count++;
    entry.lastTs = Math.max(entry.lastTs, ts);
    if (entry.askerIds.size < this.maxAskers && !entry.askerIds.has(userId)) {
      entry.askerIds.add(userId);
      if (valued) entry.valuedAskers++;
    }
    entry.askers = entry.askerIds.size;
    return view(entry);
  }

  /** The largest clusters, all topics together, most asked first. */
  top(limit: number, topic?: Topic): QuestionCluster[] {
    const entries = topic ? [...this.listOf(topic)] : [...this.byTopic.values()].flat();
    return entries.sort((a, b) => b.count - a.count || b.lastTs - a.lastTs).slice(0, limit).map(view);
  }

  /** Retires the cluster with this representative question; false when there is none. */
  remove(topic: string, representative: string): boolean {
    const list = this.byTopic.get(topic as Topic);
    const index = list?.findIndex((e) => e.representative === representative) ?? -1;
    if (index === -1) return false;
    list!.splice(index, 1);
    return true;
  }

  private listOf(topic: Topic): Entry[] {
    let list = this.byTopic.get(topic);
    if (!list) this.byTopic.set(topic, (list = []));
    return list;
  }

  private start(list: Entry[], text: string, topic: Topic, grams: Set<string>, ts: number): Entry {
    if (list.length >= this.maxPerTopic) list.splice(staleIndex(list), 1);
    const entry: Entry = { topic, representative: text, count: 0, askers: 0, valuedAskers: 0, firstTs: ts, lastTs: ts, bigrams: grams, askerIds: new Set() };
    list.push(entry);
    return entry;
  }
}

function staleIndex(list: Entry[]): number {
  let stale = 0;
  for (let i = 1; i < list.length; i++) if (list[i].lastTs < list[stale].lastTs) stale = i;
  return stale;
}

function view({ topic, representative, count, askers, valuedAskers, firstTs, lastTs }: Entry): QuestionCluster {
  return { topic, representative, count, askers, valuedAskers, firstTs, lastTs };
}
