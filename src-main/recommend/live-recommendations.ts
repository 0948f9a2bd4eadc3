// The recommender in a live session: the lineup and who is in the room (persons seen in the last ten
// minutes, gone when they leave), fed per event, and the next product to explain, worked out again
// every five seconds of event time from them and the recent questions per product — and at most once a
// second of wall time: a replay at 100× passes five seconds of event time in every snapshot, and the
// ranking is read by people, for whom once a second is as fresh as it gets.
import type { NextProduct } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';
import { Lineup } from './lineup';
import type { Catalog } from './products';
import type { Recommender } from './recommend';

const PRESENT_MS = 10 * 60_000;
const EVERY_MS = 5_000;
const WALL_EVERY_MS = 1_000;
const SHOWN = 3;

export interface LiveRecommendationsOptions {
  /** The wall clock in milliseconds, monotonic (default `performance.now`); tests pass their own. */
  clock?: () => number;
}

export class LiveRecommendations {
  private readonly lineup: Lineup;
  /** Person id → their facts and when they were last seen. */
  private readonly present = new Map<number, { facts: PersonFacts; ts: number }>();
  private readonly clock: () => number;
  private shown: NextProduct[] = [];
  private at = -Infinity;
  private wallAt = -Infinity;

  constructor(
    private readonly recommender: Recommender,
    catalog: Catalog,
    options: LiveRecommendationsOptions = {},
  ) {
    this.lineup = new Lineup(catalog);
    this.clock = options.clock ?? (() => performance.now());
  }

  readonly observe = (e: LiveEvent, person: PersonFacts | undefined): void => {
    this.lineup.observe(e);
    if (!person || person.profilingRefused) return;
    if (e.kind === 'leave') this.present.delete(person.id);
    else {
      const seen = this.present.get(person.id);
      if (seen) {
        seen.facts = person; // the cache's latest (a sync or an import gives new facts)
        seen.ts = e.ts;
      } else this.present.set(person.id, { facts: person, ts: e.ts });
    }
  };

  /** The best next products at `now` (event time), given recent questions per product. */
  next(now: number, questions: () => ReadonlyMap<string, number>): NextProduct[] {
    if (now - this.at < EVERY_MS) return this.shown;
    const wall = this.clock();
    if (wall - this.wallAt < WALL_EVERY_MS) return this.shown;
    this.at = now;
    this.wallAt = wall;
    const room: PersonFacts[] = [];
    for (const [id, seen] of this.present) {
      if (now - seen.ts > PRESENT_MS) this.present.delete(id);
      else room.push(seen.facts);
    }
    const { ranked } = this.recommender.recommend({ ...this.lineup.view(), present: room, questions: questions(), now });
    this.shown = ranked.slice(0, SHOWN).map((r) => ({ productId: r.productId, label: r.label, score: r.score, reason: r.reason }));
    return this.shown;
  }
}
