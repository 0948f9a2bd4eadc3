import { describe, expect, it } from 'vitest';
import { holdoutBucket } from '../../src-main/triggers/holdout';
import { newcombe, upliftReport, wilson } from '../../src-main/triggers/uplift';
import { at, cart, harness, like, paid, personRule, roomRule } from './helpers';

describe('intervals', () => {
  it('Wilson score intervals match Newcombe (1998a), Table I', () => {
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [x, n, lo, hi] of cases) {
      const [l, u] = wilson(x, n);
      expect(l).toBeCloseTo(lo, 4);
      expect(u).toBeCloseTo(hi, 4);
    }
  });

  it('Newcombe’s hybrid score interval matches Newcombe (1998b), Table II, method 10', () => {
    const cases: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [6, 7, 2, 7, 0.0582, 0.8062],
      [5, 56, 0, 29, -0.0381, 0.1926],
      [0, 10, 0, 20, -0.1611, 0.2775],
    ];
    for (const [x1, n1, x2, n2, lo, hi] of cases) {
      const [l, u] = newcombe(x1, n1, x2, n2);
      expect(l).toBeCloseTo(lo, 4);
      expect(u).toBeCloseTo(hi, 4);
    }
  });

  it('reports no difference while an arm is empty', () => {
    expect(upliftReport('r', 'person', { decisions: 3, exposed: 3, converted: 1 }, { decisions: 0, exposed: 0, converted: 0 })).toMatchObject({
      holdout: { rate: null },
      difference: null,
      ci95: null,
    });
  });
});

describe('the uplift report', () => {
  it('compares treated and holdout persons converting within the attribution window (hand-checked)', () => {
    // Persons whose hash puts them in each arm at a 50% share.
    const ids = [...Array(200).keys()].map((i) => i + 1);
    const treated = ids.filter((id) => holdoutBucket(id, 'cart', 'salt') >= 0.5).slice(0, 8);
    const held = ids.filter((id) => holdoutBucket(id, 'cart', 'salt') < 0.5).slice(0, 4);
    const h = harness({ rules: [personRule({ holdoutShare: 0.5, attributionMinutes: 60 })] });
    for (const id of [...treated, ...held]) h.send(at(0), cart('p1'), id);
    h.send(at(0), cart('p2'), treated[0]); // two decisions, one person
    h.send(at(5), paid('p9'), held[1]); // paid before the decision: not a conversion
    h.engine.advance(at(10.5));
    expect(h.of('fired')).toHaveLength(9);
    expect(h.of('holdout')).toHaveLength(4);
    for (const id of treated.slice(0, 6)) h.send(at(30), paid('p1', `o${id}`), id);
    h.send(at(40), paid('p1'), held[0]);
    h.engine.advance(at(60));
    expect(h.engine.uplift('cart')).toMatchObject({ treated: { exposed: 0 }, holdout: { exposed: 0 }, difference: null }); // windows still open
    h.send(at(75), paid('p1'), treated[6]); // after the window closed (decision at 10, window 60 minutes)
    h.engine.advance(at(80));
    const report = h.engine.uplift('cart');
    expect(report).toMatchObject({
      ruleId: 'cart',
      unit: 'person',
      method: 'newcombe_hybrid_score',
      treated: { decisions: 9, exposed: 8, converted: 6, rate: 0.75 },
      holdout: { decisions: 4, exposed: 4, converted: 1, rate: 0.25 },
      difference: 0.5,
    });
    // By hand, z = 1.96: Wilson 6/8 = (0.4093, 0.9285), Wilson 1/4 = (0.0456, 0.6994);
    // lower = 0.5 − √((0.75 − 0.4093)² + (0.6994 − 0.25)²) = 0.5 − √(0.1161 + 0.2020) = −0.0640,
    // upper = 0.5 + √((0.9285 − 0.75)² + (0.25 − 0.0456)²) = 0.5 + √(0.0319 + 0.0418) = 0.7714.
    expect(report.ci95![0]).toBeCloseTo(-0.064, 3);
    expect(report.ci95![1]).toBeCloseTo(0.7714, 3);
    expect(() => h.engine.uplift('nope')).toThrow(/no rule nope/);
  });

  it('counts persons seen and payers in each room-wide decision’s window, slices alternating', () => {
    const h = harness({ rules: [roomRule({ holdoutSlices: true, sliceMinutes: 10, attributionMinutes: 5 })] });
    h.room.interactionRate.push(...new Array(10).fill(1), 0.5, 0.5);
    h.send(at(0), like, 1); // T0 starts an even slice: treated
    for (const id of [2, 3, 4]) h.send(at(1), like, id);
    for (const id of [1, 2]) h.send(at(3), paid('p1', `o${id}`), id);
    h.send(at(7), paid('p1', 'o8'), 8); // between the windows
    h.send(at(10), like, 5); // the next slice is odd: held out
    for (const id of [6, 7]) h.send(at(11), like, id);
    h.send(at(12), paid('p1', 'o5'), 5);
    h.room.online = 0;
    h.engine.advance(at(30));
    expect(h.seen.map((d) => d.outcome)).toEqual(['fired', 'holdout']);
    expect(h.engine.uplift('bag')).toMatchObject({
      unit: 'room_viewer',
      treated: { decisions: 1, exposed: 4, converted: 2, rate: 0.5 },
      holdout: { decisions: 1, exposed: 3, converted: 1 },
    });
  });
});
