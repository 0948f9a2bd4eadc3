// Coupon trigger rules and coupon templates as JSON: their types and zod schemas, bounded against
// hostile input the way segments.ts bounds condition trees (depth and size are measured without
// recursion before anything is parsed), and the names every outcome and guard is reported by.
// docs/triggers.md describes the format for the people who write rules.
import { z } from 'zod';
import { hasLengthMember } from '../shared/values';

/** What became of one evaluation; stored in trigger_decisions.outcome. */
export const outcomes = ['fired', 'suggested', 'approved', 'dismissed', 'expired', 'suppressed', 'holdout', 'duplicate', 'delivery_failed'] as const;
export type Outcome = (typeof outcomes)[number];

/** The guards, in the order they are checked; a suppressed decision names the first that held it back. */
export const guardNames = ['consent', 'churned', 'tolerance', 'once', 'cooldown', 'cap_session', 'cap_day', 'cap_week', 'quiet', 'budget_count', 'budget_value', 'stock'] as const;
export type GuardName = (typeof guardNames)[number];

/** anchor: announced to the whole room; webhook: pushed to the shop's system; copy: ops copy it by hand. */
export const channels = ['anchor', 'webhook', 'copy'] as const;
export type Channel = (typeof channels)[number];

export const MAX_RULES = 100;
export const MAX_TEMPLATES = 200;
/** Nesting and values (every array element and object member) of one rule or template, and of a whole list. */
export const MAX_JSON_DEPTH = 8;
const MAX_JSON_NODES = 400;
const MAX_LIST_NODES = 20_000;

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'an id is 1–64 characters of a-z, 0-9, _ and -');
const name = z.string().min(1).max(128);
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM (Asia/Shanghai)');
/** A time-of-day window, from inclusive to exclusive; from after to wraps past midnight. */
const window = z.strictObject({ from: clock, to: clock }).refine((w) => w.from !== w.to, 'a window from a time to the same time');
const names = z.array(name).min(1).max(32);
const selector = z.strictObject({ any: names.optional(), all: names.optional(), none: names.optional() });
const budget = z.strictObject({ count: int(1, 1_000_000).optional(), faceValueFen: int(1, 1e11).optional() });
/** A range over one of a person's numbers, both ends inclusive, at least one end given. */
const range = (bound: z.ZodNumber) =>
  z
    .strictObject({ min: bound.optional(), max: bound.optional() })
    .refine((r) => r.min !== undefined || r.max !== undefined, 'a range needs min, max or both')
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'a range with min above max');
const share = range(z.number().min(0).max(1));
/** What a person is, as a person rule's `where` and a coupon tier's `when` test it (every condition given must hold). */
const personConditions = {
  segments: selector.optional(),
  tags: selector.optional(),
  /** Purchase intent this session, 0–1 (PersonFacts.intent); a person without a score matches no intent range. */
  intent: share.optional(),
  /** Price sensitivity: share of past order lines bought with a coupon or discount, 0–1. */
  couponShare: share.optional(),
  ltvFen: range(int(0, 1e12)).optional(),
  orders: range(int(0, 1_000_000)).optional(),
};
const when = z.strictObject(personConditions);
export type PersonConditions = z.output<typeof when>;

/** Coupon tiers a person rule may choose from. */
export const MAX_TIERS = 8;
/** A coupon for the persons `when` holds for; a rule's tiers are tried in order, its `template` is the fallback. */
const tier = z.strictObject({
  when: when.refine((w) => Object.values(w).some((v) => v !== undefined), 'a tier needs a condition (the rule\'s template is the fallback)'),
  template: slug,
});

export const templateSchema = z
  .strictObject({
    id: slug,
    name,
    faceValueFen: int(1, 1e8),
    /** 满 X 可用; 0: no threshold (无门槛). */
    thresholdFen: int(0, 1e9),
    validMinutes: int(1, 43_200),
    /** Coupons of this template that may be issued in all, across sessions. */
    stock: int(0, 1e8),
  })
  .refine((t) => t.thresholdFen === 0 || t.thresholdFen > t.faceValueFen, 'a threshold must be above the face value (or 0 for none)');
export type CouponTemplate = z.output<typeof templateSchema>;

const minutes = int(1, 1440);
const personTrigger = z.discriminatedUnion('kind', [
  /** A cart_add not followed by order_paid of that product within `minutes`. */
  z.strictObject({ kind: z.literal('cart_unpaid'), minutes }),
  /** One visit lasting `minutes` without an order paid during it. */
  z.strictObject({ kind: z.literal('watching'), minutes }),
  /** The `count`th click on one product within a visit. */
  z.strictObject({ kind: z.literal('clicks'), count: int(2, 100) }),
  /** A comment about price or discounts (topic 价格/优惠), once per product on air. */
  z.strictObject({ kind: z.literal('asked_price') }),
  /** An enter event, once per session. */
  z.strictObject({ kind: z.literal('entered') }),
]);

const roomTrigger = z
  .strictObject({
    /** The mean interaction rate of the last `recentMinutes` complete minutes is `dropPct`% or more below the mean of the `baselineMinutes` before them. */
    kind: z.literal('interaction_drop'),
    recentMinutes: int(1, 30).default(2),
    baselineMinutes: int(2, 120).default(10),
    dropPct: int(1, 100),
  })
  .refine((t) => t.baselineMinutes > t.recentMinutes, 'the baseline must be longer than the recent window');

const common = {
  id: slug,
  /** Bumped on every change; decisions record the version they were made under. */
  version: int(1, 1_000_000),
  name,
  /** Why the rule exists, for ops (Chinese in the default pack). */
  explain: z.string().max(1000).default(''),
  enabled: z.boolean().default(true),
  /** How long after a decision an order_paid counts as its conversion. */
  attributionMinutes: minutes.default(60),
};
const mode = z.enum(['auto', 'suggest']);
const action = {
  mode,
  template: slug,
  /** A suggestion not approved within this long expires. */
  expireMinutes: int(1, 240).default(5),
  /** A line for the anchor or ops to say with it. */
  say: z.string().max(200).optional(),
};
const quiet = z.array(window).max(8).default([]);

const personRule = z.strictObject({
  ...common,
  scope: z.literal('person'),
  trigger: personTrigger,
  where: z
    .strictObject({
      ...personConditions,
      /** The product of the cart or click (the one on air for a price question) is one of these. */
      products: z.array(name).min(1).max(200).optional(),
      onAir: z.array(name).min(1).max(200).optional(),
      hours: window.optional(),
    })
    .prefault({}),
  action: z.strictObject({
    ...action,
    channel: z.enum(['webhook', 'copy']),
    /** 千人千面: the first tier whose `when` holds for the person gives the coupon, else `template`. */
    tiers: z.array(tier).min(1).max(MAX_TIERS).optional(),
  }),
  guards: z
    .strictObject({
      /** Coupons a person may hold from every rule (fired, approved, pending, held out) before this rule stops: */
      perSession: int(1, 100).default(1),
      /** … in the last 24 hours, */
      perDay: int(1, 100).default(2),
      /** … in the last 7 days. */
      perWeek: int(1, 1000).default(4),
      /** Minutes after this rule decided for a person before it may again for them. */
      cooldownMinutes: int(0, 43_200).default(0),
      /** At most one decision of this rule per person, ever. */
      oncePerPerson: z.boolean().default(false),
      /** Per session, for this rule. */
      budget: budget.optional(),
      quiet,
    })
    .prefault({}),
  /** Share of persons held out (deterministically, by person, rule and salt). */
  holdoutShare: z.number().min(0).max(0.5).default(0.1),
});

const roomRule = z.strictObject({
  ...common,
  scope: z.literal('room'),
  trigger: roomTrigger,
  where: z
    .strictObject({
      minOnline: int(0, 1e9).optional(),
      onAir: z.array(name).min(1).max(200).optional(),
      hours: window.optional(),
    })
    .prefault({}),
  action: z.strictObject({ ...action, channel: z.enum(channels), quantity: int(1, 100_000).default(1) }),
  guards: z
    .strictObject({
      cooldownMinutes: int(0, 43_200).default(15),
      budget: budget.optional(),
      quiet,
    })
    .prefault({}),
  /** At most one decision per slice of this many minutes (aligned to the clock). */
  sliceMinutes: int(1, 120).default(10),
  /** Odd slices are held out (alternating slices, the room-wide holdout). */
  holdoutSlices: z.boolean().default(true),
});

const ruleShape = z.discriminatedUnion('scope', [personRule, roomRule]);
export type TriggerRule = z.output<typeof ruleShape>;
export type PersonRule = Extract<TriggerRule, { scope: 'person' }>;
export type RoomRule = Extract<TriggerRule, { scope: 'room' }>;
/** A rule as written (defaults may be left out). */
export type TriggerRuleInput = z.input<typeof ruleShape>;
export type CouponTemplateInput = z.input<typeof templateSchema>;

/** Every coupon template a rule names: its tiers' in order, then its own (the fallback). */
export function templateIdsOf(rule: TriggerRule): string[] {
  return [...(rule.scope === 'person' ? (rule.action.tiers ?? []).map((t) => t.template) : []), rule.action.template];
}

/** Rejects a value too deep or too large before the schema walks it. */
function bounded<T extends z.ZodType>(schema: T, maxDepth: number, maxNodes: number) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      const problem = sizeProblem(value, maxDepth, maxNodes);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .pipe(schema);
}

function sizeProblem(root: unknown, maxDepth: number, maxNodes: number): string | undefined {
  const stack: [unknown, number][] = [[root, 1]];
  let seen = 1;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return `nested deeper than ${maxDepth}`;
    if (hasLengthMember(value)) return 'an object with a length member (no rule or template field is called length)';
    const children = Array.isArray(value) ? value : Object.values(value);
    seen += children.length;
    if (seen > maxNodes) return `more than ${maxNodes} values`;
    for (const child of children) stack.push([child, depth + 1]);
  }
  return undefined;
}

function uniqueIds<T extends { id: string }>(list: T[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const item of list) {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', message: `id ${item.id} appears twice` });
    seen.add(item.id);
  }
}

/** One rule from outside (a rule ops saved). */
export const ruleSchema = bounded(ruleShape, MAX_JSON_DEPTH, MAX_JSON_NODES);
/** A list of rules, in evaluation order (an earlier rule takes a person's cap first); ids unique. */
export const rulesSchema = bounded(z.array(ruleShape).max(MAX_RULES).superRefine(uniqueIds), MAX_JSON_DEPTH + 1, MAX_LIST_NODES);
export const couponTemplateSchema = bounded(templateSchema, MAX_JSON_DEPTH, MAX_JSON_NODES);
export const templatesSchema = bounded(z.array(templateSchema).max(MAX_TEMPLATES).superRefine(uniqueIds), MAX_JSON_DEPTH + 1, MAX_LIST_NODES);

/** A schema error as one line: each problem with where it is. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.message}${i.path.length ? ` at ${i.path.join('.')}` : ''}`).join('; ');
}
