import { describe, expect, it } from 'vitest';
import type { EventBody } from '../../src-main/events/live-event';
import type { CrmRecord } from '../../src-main/profiles/records';
import { CoPurchase, MAX_BASKET } from '../../src-main/recommend/co-purchase';
import { orderBaskets } from '../../src-main/recommend/order-baskets';
import { demoCatalog } from '../../src-main/recommend/products';
import { Recommender } from '../../src-main/recommend/recommend';
import { Recorder } from '../../src-main/storage/recorder';
import { applyRecords } from '../helpers/demo-records';
import { ev } from '../helpers/events';
import { freshDb } from '../profiles/helpers';

const T0 = Date.UTC(2026, 0, 5, 12);
const DAY = 86_400_000;

function customer(crmId: string, uid: string, products: string[]): CrmRecord {
  return {
    fields: { crm_id: crmId, douyin_uid: uid },
    purchases: products.map((productId, i) => ({ orderId: `${crmId}-${i + 1}`, productId, amountFen: 9_900, paidAt: T0 - (i + 1) * DAY })),
  };
}

const paid = (orderId: string, productId: string): EventBody => ({ kind: 'order_paid', orderId, productId, amountFen: 9_900 });
/** Baskets as comparable strings: distinct products, sorted. */
const sorted = (baskets: Iterable<string[]>) => [...baskets].map((b) => [...new Set(b)].sort().join('+')).sort();

describe('the co-purchase model', () => {
  it('counts buyers of each product and pair, and reads confidence both ways', () => {
    const model = CoPurchase.fromBaskets([['a', 'b'], ['a', 'b', 'b'], ['a'], ['c'], []]);
    expect(model.buyerCount).toBe(4);
    expect(model.confidence('a', 'b')).toBeCloseTo(2 / 3);
    expect(model.confidence('b', 'a')).toBe(1);
    expect(model.confidence('a', 'c')).toBe(0);
    expect(model.confidence('a', 'a')).toBe(0);
    expect(model.confidence('a', 'unknown')).toBe(0);
    // The average buyer: a's buyers weigh ½, ½ ({a,b} twice) and 1 ({a}), each reaching b from a at ⅔.
    expect(model.baseline('b')).toBeCloseTo(((0.5 + 0.5 + 1) * (2 / 3)) / 4);
    expect(model.baseline('c')).toBe(0);
  });

  it('leaves out a basket too big to be one customer’s', () => {
    const huge = Array.from({ length: MAX_BASKET + 1 }, (_, i) => `x${i}`);
    const model = CoPurchase.fromBaskets([huge, ['x1', 'x2']]);
    expect(model.buyerCount).toBe(1);
    expect(model.confidence('x1', 'x2')).toBe(1);
  });
});

describe('order baskets from the store and the recorded sessions', () => {
  function store() {
    const { db } = freshDb();
    applyRecords(db, [customer('c1', 'dy_1', ['p1', 'p7']), customer('c2', 'dy_2', ['p1', 'p7', 'p1']), customer('c3', 'dy_3', ['p1']), customer('c4', 'dy_4', [])], T0);
    return db;
  }

  it('groups each person’s order lines, adding what recorded sessions saw them buy', () => {
    const db = store();
    const past = new Recorder(db, '上一场', ['demo']);
    past.add(ev(T0, paid('live-3', 'p5'), 'dy_3')); // a known person: joins their basket
    past.add(ev(T0, paid('c1-1', 'p1'), 'dy_1')); // already in the store (written live): not twice
    past.add(ev(T0, paid('live-z1', 'p1'), 'dy_z')); // a viewer the store does not know: their own basket
    past.add(ev(T0, paid('live-z2', 'p5'), 'dy_z'));
    past.add(ev(T0, paid('live-z2', 'p5'), 'dy_z')); // the same order twice
    past.add(ev(T0, paid('live-r', 'p8'), 'dy_4')); // paid, then refunded
    past.add(ev(T0 + 1, { kind: 'order_refund', orderId: 'live-r', productId: 'p8', amountFen: 9_900 }, 'dy_4'));
    past.add(ev(T0, paid('c2-3', 'p1'), 'dy_2'));
    past.add(ev(T0 + 1, { kind: 'order_refund', orderId: 'c2-3', productId: 'p1', amountFen: 9_900 }, 'dy_2')); // refunds a store line
    const masked = ev(T0, paid('live-m', 'p2'), 'anon');
    masked.user!.masked = true;
    past.add(masked);
    past.add(ev(T0, paid('live-o', 'p6'))); // no user at all
    past.close();
    const live = new Recorder(db, '这一场', ['demo']);
    live.add(ev(T0 + DAY, paid('now-1', 'p2'), 'dy_9')); // the live session is not history yet
    live.flush();

    expect(sorted(orderBaskets(db))).toEqual(sorted([['p1', 'p7'], ['p1', 'p7'], ['p1', 'p5'], ['p1', 'p5']]));
    expect(sorted(orderBaskets(db, { excludeSession: past.session.id }))).toEqual(sorted([['p1', 'p7'], ['p1', 'p7'], ['p1']]));
    expect(sorted(orderBaskets(db, { sinceTs: T0 - 1.5 * DAY, excludeSession: past.session.id }))).toEqual(sorted([['p1'], ['p1'], ['p1']]));
    live.close();
    db.close();
  });

  it('refreshes a recommender’s model on demand, not per call', () => {
    const db = store();
    const recommender = new Recommender(demoCatalog);
    const before = recommender.refresh(db);
    expect(before.confidence('p1', 'p7')).toBeCloseTo(2 / 3);
    applyRecords(db, [customer('c5', 'dy_5', ['p1', 'p5']), customer('c6', 'dy_6', ['p1', 'p5']), customer('c7', 'dy_7', ['p1', 'p5'])], T0);
    expect(before.confidence('p1', 'p5')).toBe(0); // the model in use stays as it was built
    const after = recommender.refresh(db);
    expect(after.confidence('p1', 'p5')).toBeCloseTo(3 / 6);
    expect(after.confidence('p1', 'p7')).toBeCloseTo(2 / 6);
    db.close();
  });
});
