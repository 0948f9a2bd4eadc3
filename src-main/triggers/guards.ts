// The guards between an eligible occurrence and a coupon, checked in the order of `guardNames`: the
// first that holds the decision back names it. Consent and churned (the CRM marks the person 已流失)
// exclude a person from all outreach. Caps count a person's decisions from every rule
// (fired, approved, pending suggestions and holdouts) in this session and in the rolling last 24 hours
// and 7 days; cooldown and once look at this rule's; quiet periods are local (Asia/Shanghai) times;
// budget is this rule's spend this session and stock the template's in every session, both counting
// the coupon this decision would give (a tier's, for a tiered rule). Pure: the decision log keeps the
// tallies.
import type { PersonFacts } from '../profiles/person';
import { isChurned } from '../profiles/segments';
import { inWindow, type CompiledRule } from './compile';
import type { DecisionLog, History } from './decision-log';
import type { CouponTemplate, GuardName } from './rules';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** The guard that holds back this decision to give `coupon`, or undefined when none does. */
export function guardFor(
  c: CompiledRule,
  coupon: CouponTemplate,
  person: PersonFacts | undefined,
  heldBack: boolean,
  history: History,
  log: DecisionLog,
  ts: number,
): GuardName | undefined {
  const rule = c.rule;
  if (person?.suppressed) return 'consent';
  if (person && isChurned(person)) return 'churned';
  if (heldBack) return 'tolerance';
  let session = 0;
  let day = 0;
  let week = 0;
  let ofRule = 0;
  let lastOfRule = -Infinity;
  for (const counted of history.counted) {
    if (counted.thisSession) session++;
    if (ts - counted.ts < DAY_MS) day++;
    if (ts - counted.ts < WEEK_MS) week++;
    if (counted.ruleId === rule.id) {
      ofRule++;
      lastOfRule = Math.max(lastOfRule, counted.ts);
    }
  }
  if (rule.scope === 'person' && rule.guards.oncePerPerson && ofRule > 0) return 'once';
  const cooldownMs = rule.guards.cooldownMinutes * MINUTE_MS;
  if (cooldownMs > 0 && ts - lastOfRule < cooldownMs) return 'cooldown';
  if (rule.scope === 'person') {
    if (session >= rule.guards.perSession) return 'cap_session';
    if (day >= rule.guards.perDay) return 'cap_day';
    if (week >= rule.guards.perWeek) return 'cap_week';
  }
  if (c.quiet.some((w) => inWindow(ts, w))) return 'quiet';
  const quantity = rule.scope === 'room' ? rule.action.quantity : 1;
  const budget = rule.guards.budget;
  const spent = log.spent(rule.id);
  if (budget?.count !== undefined && spent.count + quantity > budget.count) return 'budget_count';
  if (budget?.faceValueFen !== undefined && spent.valueFen + quantity * coupon.faceValueFen > budget.faceValueFen) return 'budget_value';
  if (log.stockUsed(coupon.id) + quantity > coupon.stock) return 'stock';
  return undefined;
}
