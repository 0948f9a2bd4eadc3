// Purchase intent in a live session: every identified event updates its viewer's features and score,
// written onto the person's facts (the feed's 高意向 badge and the coupon rules read it there), and ops
// get the viewers most likely to buy who have not paid yet, each with the reasons behind the score.
import type { IntentView } from '../contract';
import type { LiveEvent } from '../events/live-event';
import { HIGH_INTENT, type PersonFacts } from '../profiles/person';
import { maskName } from '../talking/greetings';
import { F, FEATURE_COUNT, IntentTracker } from './features';
import type { IntentScorer } from './model';

/** Viewers on the high-intent list at most. */
const LISTED = 8;
/**
 * A viewer is a candidate for the list from half the high-intent score, or with an open cart: a score
 * also moves without events (a cart waiting longer, watch time), and the list scores candidates anew.
 */
const WARM = HIGH_INTENT / 2;

type Hot = Pick<IntentView, 'name' | 'maskedName' | 'platform'>;

export class LiveIntent {
  private readonly tracker = new IntentTracker({ letGoIdle: true });
  private readonly x = new Float64Array(FEATURE_COUNT);
  /** Candidates for the list (WARM), with how to name them. */
  private readonly hot = new Map<number, Hot>();

  /** `scorer`: the model in force (retraining replaces it while the session runs). */
  constructor(private readonly scorer: () => IntentScorer) {}

  readonly observe = (e: LiveEvent, person: PersonFacts | undefined): void => {
    if (person?.profilingRefused) return;
    const slot = this.tracker.observe(e, person);
    if (slot < 0) return;
    this.tracker.write(slot, e.ts, this.x);
    const score = this.scorer().score(this.x);
    person!.intent = score;
    if ((score >= WARM || this.tracker.hasOpenCart(slot)) && this.x[F.paidHere] === 0) {
      if (e.user && !this.hot.has(person!.id)) this.hot.set(person!.id, { name: e.user.name, maskedName: maskName(e.user.name), platform: e.platform });
    } else this.hot.delete(person!.id);
  };

  /** The present viewers most likely to buy who have not paid this session, scored at `now`, best first. */
  top(now: number): IntentView[] {
    const scorer = this.scorer();
    /** The best LISTED candidates so far, best first (of equal scores, the one met first). */
    const best: { personId: number; hot: Hot; score: number }[] = [];
    for (const [personId, hot] of this.hot) {
      const slot = this.tracker.slotOf(personId);
      if (slot < 0) {
        this.hot.delete(personId); // let go of, idle
        continue;
      }
      if (!this.tracker.isPresent(slot)) continue;
      this.tracker.write(slot, now, this.x);
      const score = scorer.score(this.x);
      if (score < HIGH_INTENT || this.x[F.paidHere] > 0) continue;
      if (best.length === LISTED && score <= best[LISTED - 1].score) continue;
      let i = Math.min(best.length, LISTED - 1);
      for (; i > 0 && best[i - 1].score < score; i--) best[i] = best[i - 1];
      best[i] = { personId, hot, score };
    }
    return best.map(({ personId, hot, score }) => {
      this.tracker.write(this.tracker.slotOf(personId), now, this.x);
      return { personId, ...hot, score, reasons: scorer.explain(this.x).map((r) => r.text) };
    });
  }
}
