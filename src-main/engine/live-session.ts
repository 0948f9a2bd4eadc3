// One live session: what the room is doing now (metrics, talking points, greetings, the feed, the live
// tags people earn, the coupon triggers) and its recording. The engine replaces it when ops start a new session; its
// stages are what every identified event passes through, each isolated by the pipeline.
import type { AnswerLibrary, Cue, Snapshot } from '../contract';
import type { LiveEvent } from '../events/live-event';
import { RoomMetrics } from '../metrics/room-metrics';
import type { Stage } from '../pipeline/pipeline';
import type { ProfileCache } from '../profiles/cache';
import { LiveTagger } from '../profiles/live-tags';
import type { PersonFacts } from '../profiles/person';
import { badgesOf, type Segment } from '../profiles/segments';
import type { Db } from '../storage/db';
import { Recorder } from '../storage/recorder';
import { productOfLink, suggestAnswer } from '../talking/answers';
import { rhythmCues } from '../talking/cues';
import { Greetings } from '../talking/greetings';
import { TalkingPoints } from '../talking/talking-points';
import { Feed } from './feed';
import type { TriggerService } from '../triggers/service';
import type { RoomView } from '../triggers/trigger-engine';

export interface SessionDeps {
  db: Db;
  sources: string[];
  segments: readonly Segment[];
  profiles: ProfileCache;
  /** The answer library in force (it can change while the session runs). */
  answers: () => AnswerLibrary;
  /** The coupon triggers, told of the session when it starts. */
  triggers: TriggerService;
}

/** What a snapshot shows of the session; the engine adds the envelope, the feed delta and health. */
export type SessionView = Pick<Snapshot, 'kpis' | 'platforms' | 'segments' | 'products' | 'trend' | 'markers' | 'points' | 'cues' | 'pushed'>;

export class LiveSession {
  readonly recorder: Recorder;
  readonly metrics: RoomMetrics;
  readonly feed: Feed;
  readonly points: TalkingPoints;
  readonly stages: readonly Stage[];
  /** What ops pushed to the anchor view last. */
  pushed: { text: string; ts: number } | undefined;
  private readonly tagger: LiveTagger;
  private readonly greetings = new Greetings();

  constructor(
    title: string,
    private readonly deps: SessionDeps,
  ) {
    const { db, profiles } = deps;
    this.recorder = new Recorder(db, title, deps.sources);
    const metrics = (this.metrics = new RoomMetrics(deps.segments));
    this.points = new TalkingPoints((link) => (link !== null ? productOfLink(deps.answers(), link) : undefined) ?? metrics.onAir);
    this.feed = new Feed(
      (person) => badgesOf(person, metrics.onAir),
      (productId) => metrics.productName(productId),
    );
    deps.triggers.startSession(this.recorder.session.id, deps.segments);
    const room: RoomView = {
      get online() {
        return metrics.onlineNow;
      },
      get productOnAir() {
        return metrics.onAir;
      },
      get interactionRate() {
        return metrics.interactionRates();
      },
    };
    this.tagger = new LiveTagger((change) =>
      change.kind === 'assign' ? profiles.tag(change.personId, change.tag, change.at, change.expiresAt) : profiles.untag(change.personId, change.tag, change.at),
    );
    this.stages = [
      (e, person) => metrics.apply(e, person?.segments ?? 0),
      (e, person) => this.learn(e, person),
      (e, person) => deps.triggers.observe(e, person, room),
      (e, person) => this.points.add(e, person),
      (e, person) => this.greetings.observe(e, person),
      (e, person) => this.feed.add(e, person),
      (e) => this.recorder.add(e),
    ];
  }

  view(): SessionView {
    const { metrics } = this;
    const kpis = metrics.kpis();
    const trend = metrics.trend();
    const products = metrics.productKpis();
    const answers = this.deps.answers();
    return {
      kpis,
      platforms: metrics.platformKpis(),
      segments: metrics.segmentKpis(),
      products,
      trend,
      markers: metrics.recentMarkers(),
      points: this.points.top(5, metrics.now).map((p) => ({ ...p, suggestion: suggestAnswer(answers, p.topic, p.question, p.productId) })),
      cues: this.cues(rhythmCues(kpis, trend, products)),
      pushed: this.pushed,
    };
  }

  /** What the sessions list shows of it while it runs. */
  summary(): { platforms: string[]; peakOnline: number; uv: number } {
    const { peakOnline, uv } = this.metrics.kpis();
    return { platforms: this.metrics.platformKpis().map((p) => p.platform), peakOnline, uv };
  }

  /** A fresh greeting first (it will not keep), then the rhythm cues. */
  private cues(rhythm: Cue[]): Cue[] {
    const greeting = this.greetings.current(this.metrics.now);
    return greeting ? [greeting, ...rhythm] : rhythm;
  }

  /** What the profile store learns from an event: orders paid live become purchases, behaviour becomes live tags. */
  private learn(e: LiveEvent, person: PersonFacts | undefined): void {
    if (!person) return;
    if (e.kind === 'order_paid') this.deps.profiles.recordOrder(person, e);
    this.tagger.observe(e, person.id);
  }
}
