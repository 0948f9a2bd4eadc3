import { describe, expect, it } from 'vitest';
import type { EventBody, LiveEvent } from '../../src-main/events/live-event';
import { LiveTagger, type LiveTagChange, type LiveTaggerOptions } from '../../src-main/profiles/live-tags';
import { DAY_MS } from '../../src-main/profiles/traits';
import { ev } from '../helpers/events';

const T0 = Date.UTC(2026, 0, 1, 12);
const MIN = 60_000;

/** One scripted step: minutes after T0, what happened, and the person it is (user id u<person>). */
type Step = [number, EventBody, number];

function run(steps: Step[], options?: LiveTaggerOptions): { changes: LiveTagChange[]; tagger: LiveTagger } {
  const changes: LiveTagChange[] = [];
  const tagger = new LiveTagger((change) => changes.push(change), options);
  for (const [minutes, body, personId] of steps) {
    const event: LiveEvent = ev(T0 + minutes * MIN, body, `u${personId}`);
    tagger.observe(event, personId);
  }
  return { changes, tagger };
}

const chat = (text: string): EventBody => ({ kind: 'chat', text });
const click = (productId: string): EventBody => ({ kind: 'product_click', productId });
const cart = (productId: string): EventBody => ({ kind: 'cart_add', productId, quantity: 1 });
const paid = (productId: string): EventBody => ({ kind: 'order_paid', productId, orderId: `o-${productId}`, amountFen: 9900 });
const like: EventBody = { kind: 'like', count: 1 };

const at = (minutes: number) => T0 + minutes * MIN;

describe('粉丝', () => {
  it('tags a follower or fan-club member for 30 days, once, from the event or the user it carries', () => {
    const tagger = new LiveTagger((change) => changes.push(change));
    const changes: LiveTagChange[] = [];
    const member = ev(at(0), like, 'u1');
    member.user!.fansClub = { name: '小羊家', level: 3 };
    tagger.observe(member, 1);
    tagger.observe(ev(at(1), { kind: 'follow' }, 'u2'), 2);
    tagger.observe(ev(at(2), { kind: 'follow' }, 'u2'), 2);
    tagger.observe(ev(at(3), like, 'u3'), 3);
    expect(changes).toEqual([
      { kind: 'assign', personId: 1, tag: '粉丝', at: at(0), expiresAt: at(0) + 30 * DAY_MS },
      { kind: 'assign', personId: 2, tag: '粉丝', at: at(1), expiresAt: at(1) + 30 * DAY_MS },
    ]);
  });
});

describe('问尺码', () => {
  it('tags a size question for 7 days, once', () => {
    const { changes } = run([
      [0, chat('主播好漂亮'), 1],
      [1, chat('这个多少钱'), 1],
      [2, chat('身高165穿多大码？'), 1],
      [3, chat('160斤能穿吗'), 1],
      [4, chat('160斤能穿吗'), 2],
    ]);
    expect(changes).toEqual([
      { kind: 'assign', personId: 1, tag: '问尺码', at: at(2), expiresAt: at(2) + 7 * DAY_MS },
      { kind: 'assign', personId: 2, tag: '问尺码', at: at(4), expiresAt: at(4) + 7 * DAY_MS },
    ]);
  });
});

describe('反复点击', () => {
  it('tags the third click on one product for 3 days, once', () => {
    const { changes } = run([
      [0, click('a'), 1],
      [1, click('b'), 1],
      [2, click('a'), 1],
      [3, click('b'), 1],
      [4, click('a'), 2],
      [5, click('a'), 1],
      [6, click('a'), 1],
      [7, click('b'), 1],
    ]);
    expect(changes).toEqual([{ kind: 'assign', personId: 1, tag: '反复点击', at: at(5), expiresAt: at(5) + 3 * DAY_MS }]);
  });

  it('does not add up clicks on different products', () => {
    const { changes } = run([
      [0, click('a'), 1],
      [1, click('b'), 1],
      [2, click('c'), 1],
      [3, click('a'), 1],
    ]);
    expect(changes).toEqual([]);
  });
});

describe('加购未付', () => {
  const unpaidAt = (personId: number, minutes: number): LiveTagChange => ({
    kind: 'assign',
    personId,
    tag: '加购未付',
    at: at(minutes),
    expiresAt: at(minutes) + 7 * DAY_MS,
  });

  it('paying after 9 minutes: no tag', () => {
    const { changes, tagger } = run([
      [0, cart('a'), 1],
      [9, paid('a'), 1],
      [30, like, 2],
    ]);
    tagger.advance(at(600));
    expect(changes).toEqual([]);
  });

  it('paying at exactly 10 minutes is still in time', () => {
    const { changes } = run([
      [0, cart('a'), 1],
      [10, paid('a'), 1],
      [30, like, 2],
    ]);
    expect(changes).toEqual([]);
  });

  it('paying after 11 minutes: the tag, then its removal', () => {
    const { changes } = run([
      [0, cart('a'), 1],
      [11, paid('a'), 1],
    ]);
    expect(changes).toEqual([unpaidAt(1, 10), { kind: 'remove', personId: 1, tag: '加购未付', at: at(11) }]);
  });

  it('is given when any later event passes the window, dated at the window end', () => {
    const { changes } = run([
      [0, cart('a'), 1],
      [5, cart('a'), 1],
      [10, like, 2],
      [12, like, 2],
    ]);
    expect(changes).toEqual([unpaidAt(1, 10)]);
  });

  it('is given by advancing the event clock when no event follows', () => {
    const { changes, tagger } = run([[0, cart('a'), 1]]);
    tagger.advance(at(10));
    expect(changes).toEqual([]);
    tagger.advance(at(10) + 1);
    expect(changes).toEqual([unpaidAt(1, 10)]);
  });

  it('a payment of another product does not settle the cart', () => {
    const { changes } = run([
      [0, cart('a'), 1],
      [2, paid('b'), 1],
      [11, like, 2],
    ]);
    expect(changes).toEqual([unpaidAt(1, 10)]);
  });

  it('is removed only when every overdue cart is paid', () => {
    const { changes } = run([
      [0, cart('a'), 1],
      [4, cart('b'), 1],
      [20, paid('a'), 1],
      [25, paid('b'), 1],
    ]);
    expect(changes).toEqual([unpaidAt(1, 10), { kind: 'remove', personId: 1, tag: '加购未付', at: at(25) }]);
  });

  it('is not given twice in a session, even after its removal', () => {
    const { changes } = run([
      [0, cart('a'), 1],
      [12, paid('a'), 1],
      [13, cart('b'), 1],
      [40, like, 2],
    ]);
    expect(changes).toEqual([unpaidAt(1, 10), { kind: 'remove', personId: 1, tag: '加购未付', at: at(12) }]);
  });
});

describe('LiveTagger', () => {
  const script: Step[] = [
    [0, cart('a'), 1],
    [1, chat('XL码有吗'), 2],
    [2, chat('多大码合适'), 2],
    [3, click('a'), 3],
    [4, click('a'), 3],
    [5, click('a'), 3],
    [6, cart('b'), 2],
    [14, paid('a'), 1],
    [15, paid('b'), 2],
  ];

  it('gives the same changes when the session is replayed', () => {
    const first = run(script).changes;
    expect(first.map((c) => [c.kind, c.personId, c.tag])).toEqual([
      ['assign', 2, '问尺码'],
      ['assign', 3, '反复点击'],
      ['assign', 1, '加购未付'],
      ['remove', 1, '加购未付'],
    ]);
    expect(run(script).changes).toEqual(first);
  });

  it('tags no new person beyond its cap', () => {
    const { changes } = run(
      [
        [0, chat('多大码'), 1],
        [1, chat('多大码'), 2],
      ],
      { maxPersons: 1 },
    );
    expect(changes.map((c) => c.personId)).toEqual([1]);
  });

  it('forgets a person whose carts are settled, making room for another', () => {
    const { changes } = run(
      [
        [0, cart('a'), 1],
        [1, paid('a'), 1],
        [2, chat('多大码'), 2],
      ],
      { maxPersons: 1 },
    );
    expect(changes.map((c) => [c.personId, c.tag])).toEqual([[2, '问尺码']]);
  });

  it('never gives or removes a tag twice over a long session', () => {
    const changes: LiveTagChange[] = [];
    const tagger = new LiveTagger((change) => changes.push(change), { maxPersons: 1000 });
    for (let i = 0; i < 200_000; i++) {
      const personId = i % 5000;
      tagger.observe(ev(T0 + i * 100, i % 2 ? cart(`p${i % 7}`) : paid(`p${i % 7}`), `u${personId}`), personId);
    }
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.map((c) => `${c.kind}${c.personId}`)).size).toBe(changes.length);
  });
});
