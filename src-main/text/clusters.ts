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
  bigrams: Bigrams;
  askerIds: Set<string>;
}

/**
 * A text's distinct character bigrams, each one number (first code point × 0x110000 + second), in
 * ascending order; a one-character text is its own bigram, as minus its code point plus one (never a
 * pair's number). Numbers in order make Jaccard a merge of two arrays, with no strings or hashing.
 */
export type Bigrams = Float64Array;

const CODE_POINTS = 0x110000;

/** Character bigrams of a text, whitespace left out; a one-character text is its own bigram. */
export function bigrams(text: string): Bigrams {
  const chars = text.replace(/\s+/g, '');
  const points: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const point = chars.codePointAt(i)!;
    if (point > 0xffff) i++;
    points.push(point);
  }
  if (points.length < 2) return Float64Array.from(points, (point) => -(point + 1));
  const grams = new Float64Array(points.length - 1);
  for (let i = 1; i < points.length; i++) grams[i - 1] = points[i - 1] * CODE_POINTS + points[i];
  grams.sort();
  let distinct = 0;
  for (let i = 0; i < grams.length; i++) if (distinct === 0 || grams[i] !== grams[distinct - 1]) grams[distinct++] = grams[i];
  return grams.subarray(0, distinct);
}

/** Shared bigrams over all bigrams of the two; 0 for two empty sets. */
export function jaccard(a: Bigrams, b: Bigrams): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  const union = a.length + b.length - shared;
  return union === 0 ? 0 : shared / union;
}

/** Texts per topic whose cluster is remembered (TopicClusters.clusterFor); when full, that memory starts over. */
const JOINED_KEPT = 256;

/** Groups near-duplicate questions within each topic. */
export class TopicClusters {
  private readonly byTopic = new Map<Topic, Entry[]>();
  /** Per topic, the cluster each recent text went to; forgotten when a cluster of the topic is removed, so it holds live ones only. */
  private readonly joined = new Map<Topic, Map<string, Entry>>();
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
    const entry = this.clusterFor(text, topic, ts);
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
    this.joined.get(topic as Topic)?.clear();
    return true;
  }

  /**
   * The cluster a question joins: the first of its topic's that it is near enough to, else a new one.
   * Clusters are only ever appended to a topic's list or removed from it, and their bigrams never
   * change, so a text's first match stays its first match until a cluster is removed: the cluster
   * each recent text went to is remembered, and a repeated question skips the bigrams and the scan.
   */
  private clusterFor(text: string, topic: Topic, ts: number): Entry {
    let joined = this.joined.get(topic);
    const known = joined?.get(text);
    if (known) return known;
    const list = this.listOf(topic);
    const grams = bigrams(text);
    const found = list.find((e) => jaccard(e.bigrams, grams) >= this.threshold);
    const entry = found ?? this.start(list, text, topic, grams, ts);
    // A new cluster is near its own text unless that has no bigrams (or the threshold is above 1).
    if (found || jaccard(grams, grams) >= this.threshold) {
      if (!joined) this.joined.set(topic, (joined = new Map()));
      if (joined.size >= JOINED_KEPT) joined.clear();
      joined.set(text, entry);
    }
    return entry;
  }

  private listOf(topic: Topic): Entry[] {
    let list = this.byTopic.get(topic);
    if (!list) this.byTopic.set(topic, (list = []));
    return list;
  }

  private start(list: Entry[], text: string, topic: Topic, grams: Bigrams, ts: number): Entry {
    if (list.length >= this.maxPerTopic) {
      list.splice(staleIndex(list), 1);
      this.joined.get(topic)?.clear();
    }
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
