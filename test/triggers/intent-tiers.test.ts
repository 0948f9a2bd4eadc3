// Purchase intent in the coupon rules: the `intent` condition of a person rule's `where` (a person
// without a score matches none), and coupon tiers chosen per person by intent, value and price
// sensitivity, first match wins, the rule's template the fallback; the decision and its audit row
// name the chosen template and tier, and budget and stock count its face value. Hostile tier JSON is
// refused, and the default pack's cart rule tiers its 催付券 as ops expect.
import { describe, expect, it } from 'vitest';
import { HIGH_INTENT } from '../../src-main/profiles/person';
import { compileRules } from '../../src-main/triggers/compile';
import { defaultRules, defaultTemplates } from '../../src-main/triggers/default-pack';
import { describeIssues, MAX_TIERS, ruleSchema, type PersonRule } from '../../src-main/triggers/rules';
import { loadTriggerConfig, saveRule } from '../../src-main/triggers/store';
import { freshDb } from '../profiles/helpers';
import { at, cart, harness, MIN, person, personRule, SEGMENTS, template, type PersonInit } from './helpers';

const small = template({ id: 'small', name: '满99减5', faceValueFen: 500 });
const standard = template({ id: 'standard', name: '满99减10', faceValueFen: 1_000 });
const big = template({ id: 'big', name: '满99减20', faceValueFen: 2_000 });
const templates = [small, standard, big];

/** The issue's example: high-intent high-value customers get a small coupon, the price-sensitive a big one. */
const tiers = [
  { when: { intent: { min: 0.7 }, ltvFen: { min: 100_000 } }, template: 'small' },
  { when: { couponShare: { min: 0.5 } }, template: 'big' },
  { when: { tags: { any: ['价格敏感'] } }, template: 'big' },
];
const tiered = (init: Record<string, unknown> = {}) => personRule({ action: { mode: 'auto', channel: 'webhook', template: 'standard', tiers }, ...init });

/** Each person carts p1 at minute 0; the engine is moved past every cart's 10 minutes. */
function cartsOf(h: ReturnType<typeof harness>, persons: PersonInit[]): void {
  persons.forEach((init, i) => h.send(at(0), cart('p1'), i + 1, person(i + 1, init)));
  h.engine.advance(at(30));
}

describe('the intent condition', () => {
  it('matches persons whose intent is in the range, ends included, and never a person without a score', () => {
    const h = harness({
      rules: [personRule({ id: 'hot', where: { intent: { min: 0.6 } } }), personRule({ id: 'cold', where: { intent: { max: 0.3 } } }), personRule({ id: 'mid', where: { intent: { min: 0.4, max: 0.5 } } })],
    });
    cartsOf(h, [{ intent: 0.9 }, { intent: 0.6 }, { intent: 0.59 }, { intent: 0.45 }, { intent: 0.3 }, { intent: 0 }, {}]);
    expect(h.of('fired', 'hot').map((d) => d.personId)).toEqual([1, 2]);
    expect(h.of('fired', 'cold').map((d) => d.personId)).toEqual([5, 6]);
    expect(h.of('fired', 'mid').map((d) => d.personId)).toEqual([4]);
    expect(h.seen.filter((d) => d.personId === 7 || d.personId === 3)).toEqual([]); // not decisions, not audited
  });

  it('reads the score as it is when the occurrence comes due, as the live session keeps it current', () => {
    const h = harness({ rules: [personRule({ where: { intent: { min: 0.6 } } })] });
    const warming = person(1, { intent: 0.2 });
    const cooling = person(2, { intent: 0.9 });
    h.send(at(0), cart('p1'), 1, warming);
    h.send(at(0), cart('p1'), 2, cooling);
    warming.intent = 0.8;
    cooling.intent = 0.1;
    h.engine.advance(at(30));
    expect(h.of('fired').map((d) => d.personId)).toEqual([1]);
  });

  it('is checked like every other condition', () => {
    const rule = (intent: unknown) => ruleSchema.safeParse({ ...personRule(), where: { intent } });
    expect(rule({ min: 0, max: 1 }).success).toBe(true);
    expect(describeIssues(rule({ min: 0.8, max: 0.2 }).error!)).toMatch(/min above max at where\.intent/);
    expect(describeIssues(rule({}).error!)).toMatch(/a range needs min, max or both at where\.intent/);
    for (const bad of [{ min: 1.5 }, { max: -0.1 }, { min: '0.5' }, { gte: 0.5 }, 0.6, { min: Number.NaN }]) {
      expect(rule(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('coupon tiers', () => {
  it('give each person the first tier that fits, else the rule template, and the decision says which', () => {
    const h = harness({ rules: [tiered()], templates });
    cartsOf(h, [
      { intent: 0.9, traits: { ltvFen: 200_000, couponShare: 0.8 } }, // fits the first and the second: the first wins
      { intent: 0.9, traits: { ltvFen: 50_000, couponShare: 0.8 } }, // not valuable enough for the first
      { intent: 0.5, traits: { ltvFen: 200_000, couponShare: 0.2 }, tags: ['价格敏感'] },
      { traits: { ltvFen: 200_000 } }, // no intent score: not the first tier
      { intent: 0.7, traits: { ltvFen: 100_000 } }, // both ends included
      { intent: 0.1 },
    ]);
    const given = h.of('fired').map((d) => [d.personId, d.coupon.id, d.tier]);
    expect(given).toEqual([
      [1, 'small', 0],
      [2, 'big', 1],
      [3, 'big', 2],
      [4, 'standard', undefined],
      [5, 'small', 0],
      [6, 'standard', undefined],
    ]);
    // The audit row keeps the chosen coupon and tier, read back as they were decided.
    expect(h.engine.decisions().map((d) => [d.personId, d.coupon.id, d.tier]).reverse()).toEqual(given);
    const rows = h.db.prepare("SELECT person_id, coupon_id, face_value_fen, json_extract(detail, '$.tier') AS tier FROM trigger_decisions ORDER BY person_id").raw().all();
    expect(rows).toEqual([
      [1, 'small', 500, 0],
      [2, 'big', 2_000, 1],
      [3, 'big', 2_000, 2],
      [4, 'standard', 1_000, null],
      [5, 'small', 500, 0],
      [6, 'standard', 1_000, null],
    ]);
  });

  it('choose by orders and segments too, with the same conditions as where', () => {
    const rule = personRule({
      where: { intent: { min: 0.3 } },
      action: { mode: 'auto', channel: 'webhook', template: 'standard', tiers: [{ when: { orders: { max: 0 } }, template: 'big' }, { when: { segments: { any: ['vip'] } }, template: 'small' }] },
    });
    const h = harness({ rules: [rule], templates });
    cartsOf(h, [{ intent: 0.5 }, { intent: 0.5, segments: 0b100, traits: { orders: 3 } }, { intent: 0.5, traits: { orders: 1 } }, { intent: 0.1 }]);
    expect(h.of('fired').map((d) => [d.personId, d.coupon.id])).toEqual([
      [1, 'big'],
      [2, 'small'],
      [3, 'standard'],
    ]);
  });

  it('spend the budget and stock of the template chosen, also after a restart', () => {
    const sensitive = { traits: { couponShare: 0.9 } };
    const rule = tiered({ guards: { perSession: 100, budget: { faceValueFen: 3_000 } } });
    const h = harness({ rules: [rule], templates });
    cartsOf(h, [sensitive, sensitive, {}]);
    // ¥20 spent; another ¥20 would pass ¥30, but the next person's ¥10 does not.
    expect(h.seen.map((d) => [d.personId, d.outcome, d.reason, d.coupon.id])).toEqual([
      [1, 'fired', undefined, 'big'],
      [2, 'suppressed', 'budget_value', 'big'],
      [3, 'fired', undefined, 'standard'],
    ]);
    h.engine.flush();

    const scarce = { ...big, stock: 2 };
    const again = harness({ db: h.db, sessionId: 's2', rules: [tiered()], templates: [small, standard, scarce] });
    for (const id of [4, 5, 6]) again.send(at(60), cart('p1'), id, person(id, id === 6 ? {} : sensitive));
    again.engine.advance(at(90));
    // One big coupon of the two was given in s1 (the suppressed one took none): one left.
    expect(again.seen.map((d) => [d.personId, d.outcome, d.reason, d.coupon.id])).toEqual([
      [4, 'fired', undefined, 'big'],
      [5, 'suppressed', 'stock', 'big'],
      [6, 'fired', undefined, 'standard'],
    ]);
  });

  it('are refused when hostile or meaningless', () => {
    const rule = (action: Record<string, unknown>, base: Record<string, unknown> = personRule()) =>
      ruleSchema.safeParse({ ...base, action: { mode: 'auto', channel: 'webhook', template: 'standard', ...action } });
    expect(rule({ tiers }).success).toBe(true);
    const tier = tiers[1];
    expect(rule({ tiers: new Array(MAX_TIERS).fill(tier) }).success).toBe(true);
    expect(describeIssues(rule({ tiers: new Array(MAX_TIERS + 1).fill(tier) }).error!)).toMatch(/at action\.tiers/);
    expect(describeIssues(rule({ tiers: [{ template: 'big' }] }).error!)).toMatch(/at action\.tiers\.0\.when/);
    expect(describeIssues(rule({ tiers: [{ when: {}, template: 'big' }] }).error!)).toMatch(/a tier needs a condition/);
    for (const bad of [
      [],
      [{ ...tier, say: 'x' }],
      [{ when: { intent: { min: 2 } }, template: 'big' }],
      [{ when: { couponShare: { min: 0.5 }, products: ['p1'] }, template: 'big' }], // products belong in where
      [{ when: { ltvFen: { min: 1.5 } }, template: 'big' }],
      [{ ...tier, template: 'Big coupon' }],
      [{ ...tier, template: undefined }],
      { 0: tier, length: 1 },
      'big',
    ]) {
      expect(rule({ tiers: bad }).success, JSON.stringify(bad)).toBe(false);
    }
    // Room-wide coupons go to everyone: no tiers.
    const room = { id: 'bag', version: 1, name: '福袋', scope: 'room', trigger: { kind: 'interaction_drop', dropPct: 30 } };
    expect(ruleSchema.safeParse({ ...room, action: { mode: 'auto', channel: 'anchor', template: 'standard', tiers } }).success).toBe(false);
    // Nesting past the bound, inside a tier's condition.
    let deep: unknown = 'x';
    for (let i = 0; i < 4; i++) deep = [deep];
    expect(describeIssues(rule({ tiers: [{ when: { tags: { any: deep } }, template: 'big' }] }).error!)).toMatch(/nested deeper than 8/);
  });

  it('naming a template or segment that does not exist refuse the rule', () => {
    const rule = tiered({ action: { mode: 'auto', channel: 'webhook', template: 'standard', tiers: [...tiers, { when: { segments: { none: ['martians'] } }, template: 'gold' }] } });
    expect(() => compileRules([rule], templates, SEGMENTS)).toThrow('rule cart: unknown coupon template gold');
    expect(() => compileRules([rule], [...templates, template({ id: 'gold' })], SEGMENTS)).toThrow('rule cart: unknown segment martians');
    const { db } = freshDb();
    loadTriggerConfig(db);
    const unknownTier = { when: { intent: { min: 0.5 } }, template: 'cart_nudge_99' };
    expect(() => saveRule(db, { ...tiered(), id: 'tiered', action: { mode: 'auto', channel: 'webhook', template: 'cart_nudge_10', tiers: [unknownTier] } })).toThrow(
      'rule tiered: no coupon template cart_nudge_99',
    );
    expect(saveRule(db, { ...defaultRules[0], id: 'tiered' })).toMatchObject({ id: 'tiered', action: { tiers: [{ template: 'cart_nudge_5' }, {}, {}] } });
  });
});

describe('the default cart rule', () => {
  it('tiers its 催付券 by intent, value and price sensitivity, and says so', () => {
    const rule = defaultRules.find((r): r is PersonRule => r.id === 'cart_unpaid_10m' && r.scope === 'person')!;
    expect(rule.version).toBe(2);
    for (const words of ['意向', `${HIGH_INTENT}`, '1000 元', '满99减5', '价格敏感', '一半以上', '满99减20', '满99减10']) expect(rule.explain).toContain(words);

    const h = harness({ rules: [{ ...rule, holdoutShare: 0 }], templates: defaultTemplates });
    cartsOf(h, [
      { intent: 0.8, tags: ['VIP'], traits: { orders: 12, ltvFen: 260_000, couponShare: 0.6 } }, // a high-intent regular: a reminder is enough
      { intent: HIGH_INTENT - 0.01, traits: { orders: 12, ltvFen: 260_000 } }, // a regular not (yet) close to buying
      { intent: 0.2, traits: { orders: 4, ltvFen: 40_000, couponShare: 0.75 } }, // mostly buys with coupons
      { intent: 0.9, tags: ['价格敏感'] }, // tagged by the CRM, new here
      { intent: 0.9 }, // eager, but no value yet
    ]);
    expect(h.of('fired').map((d) => [d.personId, d.coupon.name])).toEqual([
      [1, '加购提醒券 满99减5'],
      [2, '加购催付券 满99减10'],
      [3, '加购催付券 满99减20'],
      [4, '加购催付券 满99减20'],
      [5, '加购催付券 满99减10'],
    ]);
    expect(h.engine.decisions().every((d) => d.ruleVersion === 2)).toBe(true);
    // The default rule keeps its one coupon per person and session, whichever tier.
    h.send(at(31), cart('p2'), 1);
    h.engine.advance(at(31) + 11 * MIN);
    expect(h.of('suppressed').map((d) => [d.personId, d.reason, d.coupon.id])).toEqual([[1, 'cap_session', 'cart_nudge_5']]);
  });
});
