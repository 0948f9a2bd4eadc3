// Segments as condition trees over a person's facts: the tree's schema (bounded in depth and size, for
// rules a user writes), how a tree matches a person, the built-in segments, and the badges shown next
// to a person in the live feed. Pure: no database, no clock.
import { z } from 'zod';
import { badges, type Badge } from '../contract/types';
import { HIGH_INTENT, rfmSegments, type PersonFacts, type RfmSegment } from './person';
import { daysSince } from './traits';
import { hasLengthMember } from '../shared/values';

export const traitNames = ['orders', 'ltvFen', 'lastPurchaseDays', 'level', 'couponShare'] as const;
export type TraitName = (typeof traitNames)[number];
export const comparisons = ['>', '>=', '<', '<=', '=', '!='] as const;
export type Comparison = (typeof comparisons)[number];

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { tag: string }
  | { trait: TraitName; op: Comparison; value: number }
  | { rfm: RfmSegment[] }
  | { platform: string }
  | { crossPlatform: boolean }
  | { bought: string }
  | { provisional: boolean };

export interface Segment {
  /** A stable ascii slug. */
  id: string;
  name: string;
  tree: Condition;
}

/** Condition nodes on the longest path from the root, and in the whole tree. */
export const MAX_TREE_DEPTH = 12;
export const MAX_TREE_NODES = 200;

const name = z.string().min(1).max(128);

const node: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(node) }),
    z.strictObject({ any: z.array(node) }),
    z.strictObject({ not: node }),
    z.strictObject({ tag: name }),
    z.strictObject({ trait: z.enum(traitNames), op: z.enum(comparisons), value: z.number() }),
    z.strictObject({ rfm: z.array(z.enum(rfmSegments)).max(rfmSegments.length) }),
    z.strictObject({ platform: name }),
    z.strictObject({ crossPlatform: z.boolean() }),
    z.strictObject({ bought: name }),
    z.strictObject({ provisional: z.boolean() }),
  ]),
);

/**
 * A condition tree from outside (a rule a user saved). Depth and size are measured without recursion
 * before the tree is parsed, so a hostile tree is rejected instead of exhausting the stack.
 */
export const conditionSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const problem = sizeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .pipe(node);

/** Why the tree is too deep or too large, or undefined when it is within bounds. */
function sizeProblem(root: unknown): string | undefined {
  const stack: [unknown, number][] = [[root, 1]];
  let seen = 1;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > MAX_TREE_DEPTH) return `condition tree deeper than ${MAX_TREE_DEPTH}`;
    if (typeof value === 'object' && value !== null && Object.values(value).some(hasLengthMember)) return 'a condition field holding an object with a length member';
    for (const child of childrenOf(value)) {
      if (++seen > MAX_TREE_NODES) return `condition tree larger than ${MAX_TREE_NODES} nodes`;
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

/** The subtrees of an all, any or not node (of anything, untrusted). */
function* childrenOf(value: unknown): Generator<unknown> {
  if (typeof value !== 'object' || value === null) return;
  const { all, any, not } = value as Record<string, unknown>;
  if (Array.isArray(all)) yield* all;
  if (Array.isArray(any)) yield* any;
  if (not !== undefined) yield not;
}

/** Whether the person is in the tree's segment at time now (for lastPurchaseDays). */
export function matches(cond: Condition, person: PersonFacts, now: number): boolean {
  if ('all' in cond) return cond.all.every((c) => matches(c, person, now));
  if ('any' in cond) return cond.any.some((c) => matches(c, person, now));
  if ('not' in cond) return !matches(cond.not, person, now);
  if ('tag' in cond) return person.tags.has(cond.tag);
  if ('trait' in cond) return compare(traitOf(person, cond.trait, now), cond.op, cond.value);
  if ('rfm' in cond) return person.traits.rfm !== undefined && cond.rfm.includes(person.traits.rfm.segment);
  if ('platform' in cond) return person.platforms.includes(cond.platform);
  if ('crossPlatform' in cond) return isCrossPlatform(person) === cond.crossPlatform;
  if ('bought' in cond) return person.bought.has(cond.bought);
  return person.provisional === cond.provisional;
}

/**
 * A trait's value: lastPurchaseDays is Infinity for a person with no known purchase date; a person
 * without a CRM level has none, and no level comparison matches them (not even !=).
 */
function traitOf(person: PersonFacts, trait: TraitName, now: number): number | undefined {
  if (trait === 'lastPurchaseDays') return daysSince(person.traits.lastPurchaseAt, now);
  if (trait === 'level') return person.level;
  return person.traits[trait];
}

function compare(actual: number | undefined, op: Comparison, value: number): boolean {
  if (actual === undefined) return false;
  switch (op) {
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
  }
}

function isCrossPlatform(person: PersonFacts): boolean {
  return new Set(person.platforms).size >= 2;
}

const VIP: Condition = { any: [{ tag: 'VIP' }, { trait: 'level', op: '>=', value: 5 }] };
const REPEAT: Condition = { trait: 'orders', op: '>=', value: 2 };
const NEVER_BOUGHT: Condition = { trait: 'orders', op: '=', value: 0 };
/** The live tag of a person who comments, clicks, shares or sends gifts often (live-tags.ts). */
const ENGAGED: Condition = { tag: '高参与' };
/** VIP, or a lifetime value of ¥1,000 or more (RFM monetary score 4 and up). */
const HIGH_VALUE: Condition = { any: [VIP, { trait: 'ltvFen', op: '>=', value: 100_000 }] };

/** Marked lost (已流失) by the CRM, with either of its usual tags: no outreach may target them. */
const CHURNED: Condition = { any: [{ tag: '已流失' }, { tag: '流失' }] };

export const builtinSegments: readonly Segment[] = [
  { id: 'past_buyers', name: '过往买家', tree: { trait: 'orders', op: '>=', value: 1 } },
  { id: 'never_bought', name: '从未购买', tree: NEVER_BOUGHT },
  { id: 'repeat_buyers', name: '复购', tree: REPEAT },
  { id: 'vip', name: 'VIP', tree: VIP },
  { id: 'fans', name: '粉丝', tree: { tag: '粉丝' } },
  { id: 'cross_platform', name: '跨平台', tree: { crossPlatform: true } },
  { id: 'churned', name: '已流失', tree: CHURNED },
  {
    id: 'lapsed',
    name: '沉睡',
    tree: { all: [{ trait: 'lastPurchaseDays', op: '>', value: 180 }, { trait: 'orders', op: '>=', value: 1 }] },
  },
  { id: 'prospects', name: '潜客', tree: { all: [ENGAGED, NEVER_BOUGHT] } },
  { id: 'engaged_high_value', name: '高参与-高价值', tree: { all: [ENGAGED, HIGH_VALUE] } },
];

/** Whether the CRM marks the person as lost (已流失): the trigger guards send them no coupon. */
export function isChurned(person: PersonFacts): boolean {
  return matches(CHURNED, person, 0);
}

/** The segments a person is in: bit i for segments[i]. */
export function segmentMask(person: PersonFacts, segments: readonly Segment[], now: number): number {
  let mask = 0;
  segments.forEach((segment, i) => {
    if (matches(segment.tree, person, now)) mask |= 1 << i;
  });
  return mask;
}

/** Whether each badge applies; none of these trees reads the clock, so `now` is irrelevant to them. */
const BADGE_TESTS: Record<Badge, (person: PersonFacts, productOnAir: string | undefined) => boolean> = {
  vip: (person) => matches(VIP, person, 0),
  repeat: (person) => matches(REPEAT, person, 0),
  bought_this: (person, productOnAir) => productOnAir !== undefined && person.bought.has(productOnAir),
  new: (person) => person.provisional || matches(NEVER_BOUGHT, person, 0),
  cross_platform: isCrossPlatform,
  high_intent: (person) => (person.intent ?? 0) >= HIGH_INTENT,
};

/** The badges of a person in the live feed, in the contract's fixed order of `badges`. */
export function badgesOf(person: PersonFacts, productOnAir?: string): Badge[] {
  return badges.filter((badge) => BADGE_TESTS[badge](person, productOnAir));
}
