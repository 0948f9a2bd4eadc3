// Rules made ready for evaluation: each enabled rule with its coupon template (and a person rule's
// coupon tiers), its segment selectors as bitmasks over the caller's segment list (the list
// PersonFacts.segments is a mask over), its windows in minutes of the local day, whether a person or
// the room matches its `where`, and which coupon a person gets. Local time is Asia/Shanghai, UTC+8 all
// year (no daylight saving since 1991). Pure.
import type { PersonFacts } from '../profiles/person';
import { templateIdsOf, type CouponTemplate, type PersonConditions, type PersonRule, type RoomRule, type TriggerRule } from './rules';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** What a room-wide rule reads of the room; implemented by the caller over its live metrics. */
export interface RoomView {
  /** Viewers online now, all platforms together. */
  readonly online: number;
  /** The product being explained now. */
  readonly productOnAir: string | undefined;
  /**
   * Interaction rate of each complete minute, oldest first (the current, partial minute left out):
   * interactions (comments, likes, gifts, shares, follows) per online viewer, or any measure that is
   * comparable from minute to minute. Read only on room ticks (every 5 s of event time).
   */
  readonly interactionRate: readonly number[];
}

/** Minutes since local midnight; `to` before `from` wraps past midnight. */
interface Window {
  from: number;
  to: number;
}

interface Selector {
  any: number;
  all: number;
  none: number;
}

/** What a person must be: a person rule's `where` or a tier's `when`, segments as bitmasks. */
type Conditions = Omit<PersonConditions, 'segments'> & { segments?: Selector };

/** A coupon a decision of the rule can give. */
export interface Coupon {
  template: CouponTemplate;
  /** The index of the tier that chose it; undefined for the rule's own template. */
  tier?: number;
  /** The audit row's detail, the same for every decision of the rule that gives this coupon. */
  detail: string;
}

interface CompiledBase {
  /** Position in the rule list: earlier rules are evaluated first. */
  index: number;
  /** The rule's own template: a room rule's coupon, a person rule's when no tier holds. */
  coupon: Coupon;
  onAir?: ReadonlySet<string>;
  hours?: Window;
  quiet: readonly Window[];
  attributionMs: number;
}

export interface CompiledPersonRule extends CompiledBase {
  rule: PersonRule;
  who: Conditions;
  products?: ReadonlySet<string>;
  /** In order; the first whose `when` holds gives its coupon. */
  tiers: readonly { when: Conditions; coupon: Coupon }[];
}

export interface CompiledRoomRule extends CompiledBase {
  rule: RoomRule;
}

export type CompiledRule = CompiledPersonRule | CompiledRoomRule;

/** The enabled rules, compiled; throws naming every unknown template or segment a rule refers to. */
export function compileRules(rules: readonly TriggerRule[], templates: readonly CouponTemplate[], segments: readonly { id: string }[]): CompiledRule[] {
  const problems: string[] = [];
  const byId = new Map(templates.map((t) => [t.id, t]));
  const bits = new Map(segments.map((s, i) => [s.id, i]));
  const ids = new Set<string>();
  const mask = (rule: TriggerRule, list: readonly string[] | undefined): number => {
    let m = 0;
    for (const id of list ?? []) {
      const bit = bits.get(id);
      if (bit === undefined || bit > 30) problems.push(`rule ${rule.id}: unknown segment ${id}`);
      else m |= 1 << bit;
    }
    return m;
  };
  const conditions = (rule: TriggerRule, { segments, tags, intent, couponShare, ltvFen, orders }: PersonConditions): Conditions => ({
    segments: segments && { any: mask(rule, segments.any), all: mask(rule, segments.all), none: mask(rule, segments.none) },
    tags,
    intent,
    couponShare,
    ltvFen,
    orders,
  });
  const compiled: CompiledRule[] = [];
  for (const rule of rules) {
    if (ids.has(rule.id)) problems.push(`rule ${rule.id} appears twice`);
    ids.add(rule.id);
    if (!rule.enabled) continue;
    const unknown = templateIdsOf(rule).filter((id) => !byId.has(id));
    if (unknown.length > 0) {
      problems.push(...[...new Set(unknown)].map((id) => `rule ${rule.id}: unknown coupon template ${id}`));
      continue;
    }
    const coupon = (id: string, tier?: number): Coupon => {
      const template = byId.get(id)!;
      return { template, tier, detail: JSON.stringify({ ruleName: rule.name, scope: rule.scope, coupon: template, say: rule.action.say, tier }) };
    };
    const base = {
      index: compiled.length,
      coupon: coupon(rule.action.template),
      onAir: rule.where.onAir && new Set(rule.where.onAir),
      hours: rule.where.hours && windowOf(rule.where.hours),
      quiet: rule.guards.quiet.map(windowOf),
      attributionMs: rule.attributionMinutes * MINUTE_MS,
    };
    if (rule.scope === 'room') {
      compiled.push({ ...base, rule });
      continue;
    }
    compiled.push({
      ...base,
      rule,
      who: conditions(rule, rule.where),
      products: rule.where.products && new Set(rule.where.products),
      tiers: (rule.action.tiers ?? []).map((t, i) => ({ when: conditions(rule, t.when), coupon: coupon(t.template, i) })),
    });
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return compiled;
}

/** Minutes since midnight in Asia/Shanghai (event times are never negative). */
export function localMinute(ts: number): number {
  return Math.floor(((ts + SHANGHAI_OFFSET_MS) % DAY_MS) / MINUTE_MS);
}

export function inWindow(ts: number, w: Window): boolean {
  const m = localMinute(ts);
  return w.from < w.to ? m >= w.from && m < w.to : m >= w.from || m < w.to;
}

/** Whether a person's occurrence (about `productId`, if any) meets the rule's `where` at `ts`. */
export function personMatches(c: CompiledPersonRule, person: PersonFacts, productId: string | undefined, onAir: string | undefined, ts: number): boolean {
  if (!holdsFor(c.who, person)) return false;
  if (c.products && (productId === undefined || !c.products.has(productId))) return false;
  return sharedMatches(c, onAir, ts);
}

/** The coupon a person gets from a rule: the first tier whose `when` holds, else the rule's own template. */
export function couponFor(c: CompiledRule, person: PersonFacts | undefined): Coupon {
  if (person && 'tiers' in c) for (const t of c.tiers) if (holdsFor(t.when, person)) return t.coupon;
  return c.coupon;
}

/** Whether every condition given holds for the person. */
function holdsFor(w: Conditions, person: PersonFacts): boolean {
  const s = w.segments;
  if (s) {
    const m = person.segments;
    if ((s.any !== 0 && (m & s.any) === 0) || (m & s.all) !== s.all || (m & s.none) !== 0) return false;
  }
  const t = w.tags;
  if (t) {
    if (t.any && !t.any.some((tag) => person.tags.has(tag))) return false;
    if (t.all && !t.all.every((tag) => person.tags.has(tag))) return false;
    if (t.none && t.none.some((tag) => person.tags.has(tag))) return false;
  }
  const { traits } = person;
  return inRange(person.intent, w.intent) && inRange(traits.couponShare, w.couponShare) && inRange(traits.ltvFen, w.ltvFen) && inRange(traits.orders, w.orders);
}

/** No range always holds; a range never holds for a value the person does not have. */
function inRange(value: number | undefined, r: { min?: number; max?: number } | undefined): boolean {
  if (!r) return true;
  return value !== undefined && (r.min === undefined || value >= r.min) && (r.max === undefined || value <= r.max);
}

/** Whether the room meets a room-wide rule's trigger and `where` now. */
export function roomMatches(c: CompiledRoomRule, room: RoomView, ts: number): boolean {
  const { where, trigger } = c.rule;
  if (where.minOnline !== undefined && room.online < where.minOnline) return false;
  if (!sharedMatches(c, room.productOnAir, ts)) return false;
  return interactionDropped(room.interactionRate, trigger.recentMinutes, trigger.baselineMinutes, trigger.dropPct);
}

function sharedMatches(c: CompiledBase, onAir: string | undefined, ts: number): boolean {
  if (c.onAir && (onAir === undefined || !c.onAir.has(onAir))) return false;
  return !c.hours || inWindow(ts, c.hours);
}

/** The recent mean is at least dropPct% below the baseline mean before it (a baseline of 0 never drops). */
export function interactionDropped(series: readonly number[], recent: number, baseline: number, dropPct: number): boolean {
  const n = series.length;
  if (n < recent + baseline) return false;
  let recentSum = 0;
  for (let i = n - recent; i < n; i++) recentSum += series[i];
  let baseSum = 0;
  for (let i = n - recent - baseline; i < n - recent; i++) baseSum += series[i];
  const base = baseSum / baseline;
  return base > 0 && recentSum / recent <= base * (1 - dropPct / 100);
}

function windowOf({ from, to }: { from: string; to: string }): Window {
  return { from: minutesOf(from), to: minutesOf(to) };
}

function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}
