// One live session: the room's state the dashboards show (room-state.ts), the live tags people earn,
// the coupon triggers, and its recording. The engine replaces it when ops start a new session; its
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
import { RoomState } from './room-state';

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

export class LiveSession extends RoomState {
  readonly recorder: Recorder;
  readonly stages: readonly Stage[];
  private readonly tagger: LiveTagger;

  constructor(
    title: string,
    private readonly deps: SessionDeps,
  ) {
    super(deps.segments, deps.answers);
    const { db, profiles } = deps;
    const metrics = this.metrics;
    this.recorder = new Recorder(db, title, deps.sources);
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
      this.measure,
      (e, person) => this.learn(e, person),
      (e, person) => deps.triggers.observe(e, person, room),
      ...this.show,
      (e) => this.recorder.add(e),
    ];
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
    this.tagger.observe(e, person.id);
  }
}
