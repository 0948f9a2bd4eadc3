import { describe, expect, it } from 'vitest';
import { builtinSegments } from '../../src-main/profiles/segments';
import { compileRules, interactionDropped, localMinute } from '../../src-main/triggers/compile';
import { defaultRules, defaultTemplates } from '../../src-main/triggers/default-pack';
import { couponTemplateSchema, describeIssues, MAX_JSON_DEPTH, MAX_RULES, ruleSchema, rulesSchema, templatesSchema } from '../../src-main/triggers/rules';
import { loadTriggerConfig, saveRule, saveTemplate } from '../../src-main/triggers/store';
import { Timers } from '../../src-main/triggers/timers';
import { freshDb } from '../profiles/helpers';

const minimal = {
  id: 'cart_10',
  version: 1,
  name: '加购未付',
  scope: 'person',
  trigger: { kind: 'cart_unpaid', minutes: 10 },
  action: { mode: 'auto', channel: 'webhook', template: 'c10' },
};
const room = {
  id: 'bag',
  version: 2,
  name: '福袋',
  scope: 'room',
  trigger: { kind: 'interaction_drop', dropPct: 30 },
  action: { mode: 'suggest', channel: 'anchor', template: 'c10' },
};

describe('the rule format', () => {
  it('fills in the defaults of a minimal rule', () => {
    expect(ruleSchema.parse(minimal)).toEqual({
      ...minimal,
      explain: '',
      enabled: true,
      attributionMinutes: 60,
      where: {},
      action: { ...minimal.action, expireMinutes: 5 },
      guards: { perSession: 1, perDay: 2, perWeek: 4, cooldownMinutes: 0, oncePerPerson: false, quiet: [] },
      holdoutShare: 0.1,
    });
    expect(ruleSchema.parse(room)).toMatchObject({
      trigger: { recentMinutes: 2, baselineMinutes: 10, dropPct: 30 },
      action: { quantity: 1, expireMinutes: 5 },
      guards: { cooldownMinutes: 15, quiet: [] },
      sliceMinutes: 10,
      holdoutSlices: true,
    });
  });

  it('rejects hostile and broken rules', () => {
    let deep: unknown = minimal;
    for (let i = 0; i < 100_000; i++) deep = { where: deep };
    const bad: unknown[] = [
      null,
      'cart',
      [],
      { ...minimal, id: 'Cart' },
      { ...minimal, id: 'a b' },
      { ...minimal, id: 'x'.repeat(65) },
      { ...minimal, id: '优惠' },
      { ...minimal, version: 0 },
      { ...minimal, version: 1.5 },
      { ...minimal, name: '' },
      { ...minimal, name: 'x'.repeat(129) },
      { ...minimal, scope: 'everyone' },
      { ...minimal, extra: 1 },
      JSON.parse(`{"__proto__": {"admin": true}, ${JSON.stringify(minimal).slice(1)}`),
      { ...minimal, constructor: { prototype: {} } },
      { ...minimal, trigger: { kind: 'cart_unpaid', minutes: 0 } },
      { ...minimal, trigger: { kind: 'cart_unpaid', minutes: 1e9 } },
      { ...minimal, trigger: { kind: 'cart_unpaid' } },
      { ...minimal, trigger: { kind: 'interaction_drop', dropPct: 30 } },
      { ...minimal, trigger: { kind: 'clicks', count: 1 } },
      { ...minimal, trigger: { kind: 'eval', code: 'process.exit()' } },
      { ...minimal, action: { ...minimal.action, channel: 'anchor' } },
      { ...minimal, action: { ...minimal.action, quantity: 10 } },
      { ...minimal, action: { ...minimal.action, mode: 'always' } },
      { ...minimal, action: { ...minimal.action, template: '../etc' } },
      { ...minimal, holdoutShare: 0.9 },
      { ...minimal, holdoutShare: -0.1 },
      { ...minimal, guards: { perSession: 0 } },
      { ...minimal, guards: { quiet: [{ from: '24:00', to: '08:00' }] } },
      { ...minimal, guards: { quiet: [{ from: '7:00', to: '08:00' }] } },
      { ...minimal, guards: { quiet: [{ from: '08:00', to: '08:00' }] } },
      { ...minimal, guards: { quiet: new Array(9).fill({ from: '01:00', to: '02:00' }) } },
      { ...minimal, guards: { budget: { count: -1 } } },
      { ...minimal, where: { segments: { any: [] } } },
      { ...minimal, where: { segments: { any: new Array(33).fill('vip') } } },
      { ...minimal, where: { tags: { all: [{ tag: 'x' }] } } },
      { ...minimal, where: { minOnline: 500 } },
      { ...room, trigger: { kind: 'interaction_drop', dropPct: 30, recentMinutes: 10, baselineMinutes: 10 } },
      { ...room, trigger: { kind: 'interaction_drop', dropPct: 101 } },
      { ...room, where: { segments: { any: ['vip'] } } },
      { ...room, holdoutShare: 0.1 },
      deep,
      { ...minimal, explain: ['x', ...new Array(1_000_000).fill('y')] },
    ];
    bad.forEach((value, i) => expect(ruleSchema.safeParse(value).success, `case ${i}`).toBe(false));
  });

  it('measures depth and size before parsing, so a huge value is turned down at once', () => {
    let chain: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) chain = [chain];
    expect(describeIssues(ruleSchema.safeParse({ ...minimal, explain: chain }).error!)).toMatch(/nested deeper than 8/);
    const started = performance.now();
    expect(describeIssues(rulesSchema.safeParse(new Array(5_000_000).fill(minimal)).error!)).toMatch(/more than/);
    expect(performance.now() - started).toBeLessThan(500);
    expect(rulesSchema.safeParse(new Array(MAX_RULES + 1).fill(minimal)).success).toBe(false);
  });

  it('says where a rule is wrong, and turns down a list that repeats an id', () => {
    expect(describeIssues(ruleSchema.safeParse({ ...minimal, trigger: { kind: 'cart_unpaid', minutes: -5 } }).error!)).toMatch(/at trigger\.minutes/);
    expect(describeIssues(rulesSchema.safeParse([minimal, minimal]).error!)).toMatch(/id cart_10 appears twice/);
  });

  it('checks coupon templates', () => {
    const t = { id: 'c10', name: '满99减10', faceValueFen: 1_000, thresholdFen: 9_900, validMinutes: 30, stock: 10 };
    expect(couponTemplateSchema.parse(t)).toEqual(t);
    expect(couponTemplateSchema.parse({ ...t, thresholdFen: 0 })).toMatchObject({ thresholdFen: 0 });
    for (const bad of [{ ...t, thresholdFen: 1_000 }, { ...t, faceValueFen: 0 }, { ...t, stock: -1 }, { ...t, validMinutes: 0 }, { ...t, faceValueFen: 9.5 }, { ...t, url: 'x' }]) {
      expect(couponTemplateSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(templatesSchema.safeParse([t, t]).success).toBe(false);
  });
});

describe('the default pack', () => {
  it('covers the usual live-commerce moments, explained in Chinese, with caps and holdouts', () => {
    expect(defaultRules.map((r) => [r.id, r.scope, r.trigger.kind, r.action.mode, r.action.channel])).toEqual([
      ['cart_unpaid_10m', 'person', 'cart_unpaid', 'auto', 'webhook'],
      ['long_watch_new', 'person', 'watching', 'suggest', 'copy'],
      ['interaction_drop', 'room', 'interaction_drop', 'suggest', 'anchor'],
      ['repeat_click', 'person', 'clicks', 'suggest', 'copy'],
      ['price_question', 'person', 'asked_price', 'auto', 'webhook'],
      ['churned_return', 'person', 'entered', 'auto', 'webhook'],
    ]);
    for (const rule of defaultRules) {
      expect(rule.explain, rule.id).toMatch(/[\u4e00-\u9fff]{10}/);
      expect(rule.guards.budget, rule.id).toBeDefined();
      if (rule.scope === 'person') {
        expect(rule.holdoutShare).toBe(0.1);
        expect(rule.guards.perSession).toBe(1);
      } else expect(rule.holdoutSlices).toBe(true);
    }
    expect(defaultTemplates.every((t) => /[\u4e00-\u9fff]/.test(t.name))).toBe(true);
    expect(compileRules(defaultRules, defaultTemplates, builtinSegments)).toHaveLength(defaultRules.length);
  });
});

describe('compiling', () => {
  it('leaves out disabled rules and names every reference it cannot resolve', () => {
    const rules = rulesSchema.parse([
      { ...minimal, enabled: false },
      { ...minimal, id: 'b', action: { ...minimal.action, template: 'c99' } },
      { ...minimal, id: 'c', where: { segments: { all: ['vip', 'martians'] } } },
    ]);
    const templates = templatesSchema.parse([{ id: 'c10', name: '券', faceValueFen: 1, thresholdFen: 0, validMinutes: 1, stock: 1 }]);
    expect(() => compileRules(rules, templates, builtinSegments)).toThrow('rule b: unknown coupon template c99; rule c: unknown segment martians');
    expect(compileRules([rules[0]], templates, builtinSegments)).toEqual([]);
  });

  it('reads local time in Asia/Shanghai and compares the recent interaction rate with its baseline', () => {
    expect(localMinute(Date.UTC(2026, 0, 5, 12, 30))).toBe(20 * 60 + 30);
    expect(localMinute(Date.UTC(2026, 6, 5, 16, 5))).toBe(5); // 00:05 the next day, no daylight saving
    const base = new Array(10).fill(1);
    expect(interactionDropped([...base, 0.7, 0.7], 2, 10, 30)).toBe(true);
    expect(interactionDropped([...base, 0.71, 0.7], 2, 10, 30)).toBe(false);
    expect(interactionDropped([...base.slice(1), 0.1, 0.1], 2, 10, 30)).toBe(false); // not enough minutes yet
    expect(interactionDropped([...new Array(10).fill(0), 0, 0], 2, 10, 30)).toBe(false);
  });
});

describe('the saved configuration', () => {
  it('starts with the default pack, and keeps what ops save in order', () => {
    const { db } = freshDb();
    const first = loadTriggerConfig(db);
    expect(first.rules).toEqual(defaultRules);
    expect(first.templates.map((t) => t.id).sort()).toEqual(defaultTemplates.map((t) => t.id).sort());
    saveTemplate(db, { id: 'c10', name: '满99减10', faceValueFen: 1_000, thresholdFen: 9_900, validMinutes: 30, stock: 10 });
    expect(saveRule(db, minimal)).toMatchObject({ id: 'cart_10', version: 1 });
    const again = loadTriggerConfig(db);
    expect(again.rules.map((r) => r.id)).toEqual([...defaultRules.map((r) => r.id), 'cart_10']);
    expect(again.templates).toHaveLength(defaultTemplates.length + 1);
  });

  it('saves a changed rule only under a higher version', () => {
    const { db } = freshDb();
    loadTriggerConfig(db);
    const rule = { ...defaultRules[0], holdoutShare: 0.2 };
    expect(rule.version).toBe(2); // the cart rule got coupon tiers in version 2
    expect(() => saveRule(db, rule)).toThrow('rule cart_unpaid_10m is at version 2: save a change as version 3');
    expect(saveRule(db, defaultRules[0])).toEqual(defaultRules[0]); // unchanged: fine
    saveRule(db, { ...rule, version: 3 });
    expect(() => saveRule(db, { ...defaultRules[0] })).toThrow(/at version 3/);
    const saved = loadTriggerConfig(db).rules;
    expect(saved[0]).toMatchObject({ id: 'cart_unpaid_10m', version: 3, holdoutShare: 0.2 });
    expect(db.prepare('SELECT version FROM trigger_rules WHERE id = ?').pluck().get('cart_unpaid_10m')).toBe(3);
  });

  it('turns down an invalid rule or template, or one naming a missing template', () => {
    const { db } = freshDb();
    loadTriggerConfig(db);
    expect(() => saveRule(db, { ...minimal, holdoutShare: 2 })).toThrow(/invalid rule: .* at holdoutShare \(see docs\/triggers.md\)/);
    expect(() => saveRule(db, minimal)).toThrow('rule cart_10: no coupon template c10');
    expect(() => saveTemplate(db, { id: 'x' })).toThrow(/invalid coupon template/);
  });
});

describe('timers', () => {
  it('pop in order of due time, then of insertion, strictly before now', () => {
    const timers = new Timers<string>();
    for (const [due, item] of [[5, 'e'], [1, 'a'], [3, 'c'], [1, 'b'], [9, 'z'], [3, 'd']] as const) timers.push(due, item);
    const popped: string[] = [];
    for (let item = timers.popBefore(9); item; item = timers.popBefore(9)) popped.push(item);
    expect(popped).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(timers.popBefore(9)).toBeUndefined();
    expect(timers.popBefore(10)).toBe('z');
    expect(timers.popBefore(Infinity)).toBeUndefined();
  });
});
