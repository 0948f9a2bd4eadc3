// The recommender in a live session, on its own: who counts as in the room (seen in the last ten
// minutes, not left, not refusing profiling), and how often the next products are worked out — every
// five seconds of event time, and no more than once a second of wall time (a replay at 100× must not
// rank on every snapshot), with the wall clock injected.
import { describe, expect, it } from 'vitest';
import type { EventBody } from '../../src-main/events/live-event';
import type { PersonFacts } from '../../src-main/profiles/person';
import { CoPurchase } from '../../src-main/recommend/co-purchase';
import { LiveRecommendations } from '../../src-main/recommend/live-recommendations';
import { demoCatalog } from '../../src-main/recommend/products';
import { Recommender, type RecommendResult, type Room } from '../../src-main/recommend/recommend';
import { ev } from '../helpers/events';
import { viewer } from './helpers';

const T0 = Date.UTC(2026, 0, 5, 12);
const SEC = 1_000;
const MIN = 60_000;

/** A real recommender that keeps how many present persons each ranking counted. */
class CountingRecommender extends Recommender {
  readonly counted: number[] = [];
  override recommend(room: Room): RecommendResult {
    const result = super.recommend(room);
    this.counted.push(result.present);
    return result;
  }
}

function session() {
  const recommender = new CountingRecommender(demoCatalog);
  recommender.useModel(CoPurchase.fromBaskets([['p2', 'p3'], ['p2', 'p3'], ['p4']]));
  let wall = 0;
  const live = new LiveRecommendations(recommender, demoCatalog, { clock: () => wall });
  let asked = 0;
  const questions = () => {
    asked++;
    return new Map<string, number>();
  };
  const see = (ts: number, body: EventBody, person?: PersonFacts) => live.observe(ev(ts, body, person && `u${person.id}`), person);
  for (const productId of ['p1', 'p2', 'p3', 'p4']) see(T0, { kind: 'product_exposure', productId });
  return {
    recommender,
    live,
    see,
    next: (now: number) => live.next(now, questions),
    asked: () => asked,
    wallForward: (ms: number) => (wall += ms),
  };
}

describe('who the live recommender counts as in the room', () => {
  it('counts persons seen in the last ten minutes, drops those who left, and leaves out those refusing profiling', () => {
    const s = session();
    const [stays, leaves, idle, refuses] = [viewer({ bought: ['p2'] }), viewer(), viewer(), { ...viewer(), profilingRefused: true }];
    for (const person of [stays, leaves, idle, refuses]) s.see(T0, { kind: 'enter' }, person);
    s.see(T0 + 1 * MIN, { kind: 'leave' }, leaves);
    s.see(T0 + 9 * MIN, { kind: 'like', count: 1 }, stays);
    expect(s.next(T0 + 9 * MIN).length).toBeGreaterThan(0);
    s.wallForward(SEC);
    expect(s.next(T0 + 11 * MIN).length).toBeGreaterThan(0); // idle was last seen 11 minutes ago
    expect(s.recommender.counted).toEqual([2, 1]);
  });
});

describe('how often the live recommender ranks', () => {
  it('ranks anew after five seconds of event time and one second of wall time, whichever comes last', () => {
    const s = session();
    s.see(T0, { kind: 'enter' }, viewer({ bought: ['p2'] }));
    const first = s.next(T0);
    expect(first.map((p) => p.productId)).toContain('p3');
    expect(s.asked()).toBe(1);

    // p3 goes on air: not to be recommended any more, but not before the next ranking.
    s.see(T0 + 1 * SEC, { kind: 'product_switch', productId: 'p3' });
    s.wallForward(900);
    expect(s.next(T0 + 6 * SEC)).toBe(first); // five seconds of event time, less than a second of wall time
    s.wallForward(5 * SEC);
    expect(s.next(T0 + 4 * SEC)).toBe(first); // plenty of wall time, less than five seconds of event time
    expect(s.asked()).toBe(1);

    s.wallForward(100);
    const second = s.next(T0 + 6 * SEC);
    expect(s.asked()).toBe(2);
    expect(second.map((p) => p.productId)).not.toContain('p3');
  });

  it('at real time, ranks every five seconds as before', () => {
    const s = session();
    s.see(T0, { kind: 'enter' }, viewer());
    for (let i = 0; i < 6; i++) {
      s.next(T0 + i * 5 * SEC);
      s.wallForward(5 * SEC);
    }
    expect(s.asked()).toBe(6);
  });
});
