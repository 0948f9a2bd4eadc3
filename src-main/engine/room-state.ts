// What the dashboards show of a room, grown event by event: its metrics, talking points, greetings
// and feed, and what ops pushed to the anchor view. The live session feeds it from the pipeline; a
// replay feeds it from a recording, so a replay shows exactly what the live dashboards showed.
import type { AnswerLibrary, Cue, Snapshot } from '../contract';
import { RoomMetrics } from '../metrics/room-metrics';
import type { Stage } from '../pipeline/pipeline';
import { badgesOf, type Segment } from '../profiles/segments';
import { productOfLink, suggestAnswer } from '../talking/answers';
import { rhythmCues } from '../talking/cues';
import { Greetings } from '../talking/greetings';
import { TalkingPoints } from '../talking/talking-points';
import { Feed } from './feed';

/** What a snapshot shows of the room; the engine adds the envelope, the feed delta and health. */
export type SessionView = Pick<Snapshot, 'kpis' | 'platforms' | 'segments' | 'products' | 'trend' | 'markers' | 'points' | 'cues' | 'next' | 'intent' | 'pushed'>;

export class RoomState {
  readonly metrics: RoomMetrics;
  readonly points: TalkingPoints;
  readonly feed: Feed;
  /** The first stage: the metrics (what else the session does with an event may read the room's figures). */
  readonly measure: Stage;
  /** The last stages: talking points, greetings, the feed (after what the session learns from the event). */
  readonly show: readonly Stage[];
  /** What ops pushed to the anchor view last. */
  pushed: { text: string; ts: number } | undefined;
  private readonly greetings = new Greetings();

  /** `answers`: the answer library in force (it can change while the room plays). */
  constructor(
    segments: readonly Segment[],
    private readonly answers: () => AnswerLibrary,
  ) {
    const metrics = (this.metrics = new RoomMetrics(segments));
    this.points = new TalkingPoints((link) => (link !== null ? productOfLink(answers(), link) : undefined) ?? metrics.onAir);
    this.feed = new Feed(
      (person) => badgesOf(person, metrics.onAir),
      (productId) => metrics.productName(productId),
    );
    this.measure = (e, person) => metrics.apply(e, person?.segments ?? 0);
    this.show = [
      (e, person) => this.points.add(e, person),
      (e, person) => this.greetings.observe(e, person),
      (e, person) => this.feed.add(e, person),
    ];
  }

  view(): SessionView {
    const { metrics } = this;
    const kpis = metrics.kpis();
    const trend = metrics.trend();
    const products = metrics.productKpis();
    const answers = this.answers();
    return {
      kpis,
      platforms: metrics.platformKpis(),
      segments: metrics.segmentKpis(),
      products,
      trend,
      markers: metrics.recentMarkers(),
      points: this.points.top(5, metrics.now).map((p) => ({ ...p, suggestion: suggestAnswer(answers, p.topic, p.question, p.productId) })),
      cues: this.cues(rhythmCues(kpis, trend, products)),
      next: [],
      intent: [],
      pushed: this.pushed,
    };
  }

  /** A fresh greeting first (it will not keep), then the rhythm cues. */
  private cues(rhythm: Cue[]): Cue[] {
    const greeting = this.greetings.current(this.metrics.now);
    return greeting ? [greeting, ...rhythm] : rhythm;
  }
}
