// One live session: the room's state the dashboards show (room-state.ts), the live tags people earn,
// each viewer's purchase intent, the coupon triggers, the next product to explain for who is in the
// room, and its recording. The engine replaces it when ops start a new session; its
// stages are what every identified event passes through, each isolated by the pipeline.
import type { AnswerLibrary } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { Stage } from '../pipeline/pipeline';
import type { ProfileCache } from '../profiles/cache';
import { LiveTagger } from '../profiles/live-tags';
import type { PersonFacts } from '../profiles/person';
import type { Segment } from '../profiles/segments';
import type { Db } from '../storage/db';
import { Recorder } from '../storage/recorder';
import type { TriggerService } from '../triggers/service';
import type { RoomView } from '../triggers/trigger-engine';
import { LiveIntent } from '../intent/live-intent';
import type { IntentScorer } from '../intent/model';
import { LiveRecommendations } from '../recommend/live-recommendations';
import type { Catalog } from '../recommend/products';
import type { Recommender } from '../recommend/recommend';
import { RoomState, type SessionView } from './room-state';

export interface SessionDeps {
  db: Db;
  sources: string[];
  segments: readonly Segment[];
  profiles: ProfileCache;
  /** The answer library in force (it can change while the session runs). */
  answers: () => AnswerLibrary;
  /** The coupon triggers, told of the session when it starts. */
  triggers: TriggerService;
  /** The next-product recommender (its co-purchase model is the engine's) and what it knows of products. */
  recommender: Recommender;
  catalog: Catalog;
  /** The purchase-intent model in force (retraining replaces it). */
  intent: () => IntentScorer;
}

/** Talking points counted per product, for the recommender's recent questions. */
const QUESTION_POINTS = 20;

export class LiveSession extends RoomState {
  readonly recorder: Recorder;
  readonly stages: readonly Stage[];
  private readonly tagger: LiveTagger;
  private readonly recommendations: LiveRecommendations;
  private readonly intent: LiveIntent;

  constructor(
    title: string,
    private readonly deps: SessionDeps,
  ) {
    super(deps.segments, deps.answers);
    const { db, profiles } = deps;
    const metrics = this.metrics;
    this.recorder = new Recorder(db, title, deps.sources);
    deps.triggers.startSession(this.recorder.session.id, deps.segments);
    this.recommendations = new LiveRecommendations(deps.recommender, deps.catalog);
    this.intent = new LiveIntent(deps.intent);
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
      this.measure,
      (e, person) => this.learn(e, person),
      this.intent.observe,
      (e, person) => deps.triggers.observe(e, person, room),
      this.recommendations.observe,
      ...this.show,
      (e) => this.recorder.add(e),
    ];
  }

  override view(): SessionView {
    const view = super.view();
    const now = this.metrics.now;
    return { ...view, next: this.recommendations.next(now, () => this.questionsByProduct(now)), intent: this.intent.top(now) };
  }

  private questionsByProduct(now: number): Map<string, number> {
    const asked = new Map<string, number>();
    for (const p of this.points.top(QUESTION_POINTS, now)) if (p.productId) asked.set(p.productId, (asked.get(p.productId) ?? 0) + p.askers);
    return asked;
  }

  /** What the sessions list shows of it while it runs. */
  summary(): { platforms: string[]; peakOnline: number; uv: number } {
    const { peakOnline, uv } = this.metrics.kpis();
    return { platforms: this.metrics.platformKpis().map((p) => p.platform), peakOnline, uv };
  }

  /** What the profile store learns from an event: orders paid live become purchases, behaviour becomes live tags. */
  private learn(e: LiveEvent, person: PersonFacts | undefined): void {
    if (!person) return;
    if (e.kind === 'order_paid') this.deps.profiles.recordOrder(person, e);
    if (!person.profilingRefused) this.tagger.observe(e, person.id);
  }
}
