// Fuzz targets of the JSON ops write: coupon trigger rules and templates (one or a list, as saved and
// as the default pack is checked), and segment condition trees. A value the schema takes must read
// back the same from its JSON, compile, and match persons and rooms without throwing; a value it
// refuses must be described. Nesting deeper than any stack is refused before it is walked.
import fc from 'fast-check';
import { rfmSegments, type PersonFacts } from '../../../src-main/profiles/person';
import { builtinSegments, comparisons, conditionSchema, matches, segmentMask, traitNames } from '../../../src-main/profiles/segments';
import { platforms } from '../../../src-main/events/live-event';
import { compileRules, personMatches, roomMatches } from '../../../src-main/triggers/compile';
import { couponTemplateSchema, describeIssues, ruleSchema, rulesSchema, templateIdsOf, templateSchema, templatesSchema, type TriggerRule } from '../../../src-main/triggers/rules';
import { defaultTemplates } from '../../../src-main/triggers/default-pack';
import { deepJsonText, jsonValue, mutatedJson, number, shaped, text } from '../arbitraries';
import { conditionTrees, couponTemplates, T0, triggerRules } from '../fixtures';
import { expectThat, type FuzzTarget } from '../property';

/** What a schema's safeParse answers (zod's result, with the data kept opaque here). */
type Parsed = { success: true; data: unknown } | { success: false; error: Parameters<typeof describeIssues>[0] };

/** Parses, and when the value is taken, parses its JSON again: the same value must come back. */
function parseStable(parse: (value: unknown) => Parsed, value: unknown): Parsed {
  const first = parse(value);
  if (!first.success) {
    const described = describeIssues(first.error);
    expectThat(typeof described === 'string' && described.length > 0, () => 'a refusal without a description');
    return first;
  }
  const json = JSON.stringify(first.data);
  const again = parse(JSON.parse(json));
  expectThat(again.success && JSON.stringify(again.data) === json, () => `taken as ${json}, its JSON read back as ${again.success ? JSON.stringify(again.data) : describeIssues(again.error)}`);
  return first;
}

const toJson = (value: unknown): string => JSON.stringify(value) ?? 'null';

const slug = fc.oneof(fc.constantFrom('cart_nudge_10', 'lucky_bag_8', 'a', 'x-1', 'Bad', ''), fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}$/));
const clock = fc.oneof(fc.constantFrom('01:00', '08:00', '23:59', '24:00', '7:00', '00:00'), fc.tuple(fc.nat(23), fc.nat(59)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`));
const window = shaped({ from: clock, to: clock });
const names = fc.array(fc.oneof(fc.constantFrom(...builtinSegments.map((s) => s.id), 'VIP', '粉丝'), text), { maxLength: 3 });
const selector = shaped({ any: names, all: names, none: names });
const minutes = fc.oneof(fc.nat(2000), number);

/** A rule of either scope, every field plausible, hostile or missing. */
const ruleShaped = shaped({
  id: slug,
  version: fc.nat(10),
  name: text,
  explain: text,
  enabled: fc.boolean(),
  attributionMinutes: minutes,
  scope: fc.constantFrom('person', 'room'),
  trigger: fc.oneof(
    shaped({ kind: fc.constantFrom('cart_unpaid', 'watching', 'clicks', 'asked_price', 'entered'), minutes, count: fc.nat(200) }),
    shaped({ kind: fc.constant('interaction_drop'), recentMinutes: fc.nat(40), baselineMinutes: fc.nat(130), dropPct: fc.nat(120) }),
  ),
  where: shaped({ segments: selector, tags: selector, products: names, onAir: names, hours: window, minOnline: fc.nat() }),
  action: shaped({ mode: fc.constantFrom('auto', 'suggest'), template: slug, channel: fc.constantFrom('anchor', 'webhook', 'copy'), expireMinutes: minutes, say: text, quantity: fc.nat(200_000) }),
  guards: shaped({
    perSession: fc.nat(200),
    perDay: fc.nat(200),
    perWeek: fc.nat(2000),
    cooldownMinutes: minutes,
    oncePerPerson: fc.boolean(),
    budget: shaped({ count: fc.nat(), faceValueFen: fc.nat() }),
    quiet: fc.array(window, { maxLength: 10 }),
  }),
  holdoutShare: fc.double({ min: 0, max: 1, noNaN: true }),
  sliceMinutes: minutes,
  holdoutSlices: fc.boolean(),
});

const templateShaped = shaped({ id: slug, name: text, faceValueFen: fc.nat(2e8), thresholdFen: fc.nat(2e9), validMinutes: minutes, stock: fc.nat() });

/** Rules as JSON text: shaped, real ones mutated, anything, nested far too deep (whole, or as a rule's trigger). */
const rule = fc.oneof(
  { arbitrary: ruleShaped.map(toJson), weight: 3 },
  { arbitrary: mutatedJson(triggerRules()).map(toJson), weight: 3 },
  jsonValue.map(toJson),
  deepJsonText,
  deepJsonText.map((deep) => `${toJson(triggerRules()[0]).slice(0, -1)},"trigger":${deep}}`),
);
const template = fc.oneof(templateShaped, mutatedJson(couponTemplates()), jsonValue).map(toJson);
const list = (item: fc.Arbitrary<string>, fixtures: unknown[]): fc.Arbitrary<string> => fc.oneof(fc.array(item, { maxLength: 4 }).map((items) => `[${items.join(',')}]`), mutatedJson([fixtures]).map(toJson));

interface TriggerInput {
  kind: 'rule' | 'rules' | 'template' | 'templates';
  /** The JSON text saved (the store and the contract parse it before the schema sees it). */
  json: string;
}

/** A template for every template id the rules name, so that only their segments can be unknown. */
function templatesFor(rules: TriggerRule[]) {
  return rules.flatMap(templateIdsOf).map((id) => templateSchema.parse({ ...defaultTemplates[0], id }));
}

const person: PersonFacts = {
  id: 1,
  provisional: false,
  level: 5,
  platforms: ['douyin', 'wechat'],
  tags: new Set(['VIP']),
  traits: { orders: 2, ltvFen: 50_000, lastPurchaseAt: T0 - 86_400_000, couponShare: 0.5 },
  bought: new Set(['p1']),
  suppressed: false,
  segments: 0b1011,
};

export const triggerJson: FuzzTarget<TriggerInput> = {
  name: 'trigger-rules',
  runs: 200,
  arbitrary: fc.oneof(
    fc.record({ kind: fc.constant('rule' as const), json: rule }),
    fc.record({ kind: fc.constant('rules' as const), json: list(fc.oneof(ruleShaped.map(toJson), mutatedJson(triggerRules()).map(toJson)), triggerRules()) }),
    fc.record({ kind: fc.constant('template' as const), json: template }),
    fc.record({ kind: fc.constant('templates' as const), json: list(template, couponTemplates()) }),
  ),
  check({ kind, json }) {
    const schema = { rule: ruleSchema, rules: rulesSchema, template: couponTemplateSchema, templates: templatesSchema }[kind];
    const parsed = parseStable((v) => schema.safeParse(v) as Parsed, JSON.parse(json));
    if (!parsed.success || (kind !== 'rule' && kind !== 'rules')) return;
    const rules = (kind === 'rule' ? [parsed.data] : parsed.data) as TriggerRule[];
    let compiled;
    try {
      compiled = compileRules(rules, templatesFor(rules), builtinSegments);
    } catch (err) {
      // The one thing a checked rule may still get wrong: a segment this install does not have.
      expectThat(err instanceof Error && /unknown segment/.test(err.message), () => `compiling threw ${String(err)}`);
      return;
    }
    const room = { online: 1_000, productOnAir: 'p1', interactionRate: Array.from({ length: 140 }, (_, i) => (i < 120 ? 1 : 0.1)) };
    for (const c of compiled) {
      const matched = c.rule.scope === 'person' ? personMatches(c as Parameters<typeof personMatches>[0], person, 'p1', 'p1', T0) : roomMatches(c as Parameters<typeof roomMatches>[0], room, T0);
      expectThat(typeof matched === 'boolean', () => `a match of ${String(matched)}`);
    }
  },
};

// ---- Segments ----------------------------------------------------------------------------------

const leaf = fc.oneof(
  shaped({ tag: fc.constantFrom('VIP', '粉丝', '已流失') }),
  shaped({ trait: fc.constantFrom(...traitNames, 'ltv'), op: fc.constantFrom(...comparisons, '=='), value: number }),
  shaped({ rfm: fc.subarray([...rfmSegments]) }),
  shaped({ platform: fc.constantFrom(...platforms) }),
  shaped({ crossPlatform: fc.boolean() }),
  shaped({ bought: fc.constantFrom('p1', 'p2') }),
  shaped({ provisional: fc.boolean() }),
);

const tree = fc.letrec<{ node: unknown; all: unknown; any: unknown; not: unknown }>((tie) => ({
  node: fc.oneof({ maxDepth: 6, depthSize: 'small' }, leaf, tie('all'), tie('any'), tie('not')),
  all: fc.array(tie('node'), { maxLength: 4 }).map((all) => ({ all })),
  any: fc.array(tie('node'), { maxLength: 4 }).map((any) => ({ any })),
  not: tie('node').map((not) => ({ not })),
})).node;

/** Trees past the bounds, as JSON text: a chain of nots, and one node with very many children. */
const hugeTree = fc.oneof(
  fc.integer({ min: 10, max: 50_000 }).map((depth) => `${'{"not":'.repeat(depth)}{"tag":"VIP"}${'}'.repeat(depth)}`),
  fc.integer({ min: 150, max: 50_000 }).map((n) => `{"all":[${Array<string>(n).fill('{"tag":"VIP"}').join(',')}]}`),
);

/** Condition trees as the JSON text a segment is saved as. */
export const segmentTrees: FuzzTarget<string> = {
  name: 'segments',
  runs: 200,
  arbitrary: fc.oneof({ arbitrary: tree.map(toJson), weight: 4 }, { arbitrary: mutatedJson(conditionTrees()).map(toJson), weight: 2 }, jsonValue.map(toJson), hugeTree, deepJsonText),
  check(saved) {
    const parsed = parseStable((v) => conditionSchema.safeParse(v) as Parsed, JSON.parse(saved));
    if (!parsed.success) return;
    const condition = parsed.data as Parameters<typeof matches>[0];
    const matched = [matches(condition, person, T0), matches(condition, { ...person, provisional: true, level: undefined, tags: new Set(), traits: { orders: 0, ltvFen: 0, couponShare: 0 } }, T0)];
    expectThat(matched.every((m) => typeof m === 'boolean'), () => `matches gave ${matched.join(', ')}`);
    const mask = segmentMask(person, [...builtinSegments, { id: 'fuzz', name: 'fuzz', tree: condition }], T0);
    expectThat(Number.isInteger(mask), () => `a mask of ${mask}`);
  },
};
