// Computed traits: a person's order count, lifetime value, last purchase, coupon share and RFM scores
// and group, read from their order lines and the CRM's own figures. Pure: no database, no clock.
import type { ComputedTraits, RfmSegment } from './person';
import type { Purchase } from './records';

export const DAY_MS = 86_400_000;

/** What the CRM itself says, when it says it; never lowered by the order lines LiveDeck holds. */
export interface CrmFigures {
  orders?: number;
  ltvFen?: number;
}

export function computeTraits(lines: Purchase[], crm: CrmFigures, now: number): ComputedTraits {
  const orders = Math.max(crm.orders ?? 0, lines.length);
  const ltvFen = Math.max(crm.ltvFen ?? 0, lines.reduce((sum, line) => sum + line.amountFen, 0));
  const lastPurchaseAt = lines.reduce<number | undefined>((last, line) => Math.max(last ?? line.paidAt, line.paidAt), undefined);
  const couponShare = lines.length > 0 ? lines.filter((line) => line.coupon).length / lines.length : 0;
  const traits: ComputedTraits = { orders, ltvFen, couponShare };
  if (lastPurchaseAt !== undefined) traits.lastPurchaseAt = lastPurchaseAt;
  if (orders > 0) traits.rfm = rfmOf(daysSince(lastPurchaseAt, now), orders, ltvFen);
  return traits;
}

/** Days (fractional) since the last purchase; Infinity when no purchase date is known. */
export function daysSince(lastPurchaseAt: number | undefined, now: number): number {
  return lastPurchaseAt === undefined ? Infinity : (now - lastPurchaseAt) / DAY_MS;
}

/*
 * Fixed RFM thresholds for Chinese live commerce, where most viewers buy once, a typical order is
 * ¥50–300, and a buyer who has not come back within half a year is counted as lapsed (沉睡):
 *   R, days since the last purchase: ≤ 7 → 5 (this week), ≤ 30 → 4, ≤ 90 → 3, ≤ 180 → 2, older or unknown → 1
 *   F, orders:                       ≥ 12 → 5 (about monthly), ≥ 6 → 4, ≥ 3 → 3, 2 → 2, 1 → 1
 *   M, lifetime value:               ≥ ¥3000 → 5, ≥ ¥1000 → 4, ≥ ¥300 → 3, ≥ ¥100 → 2, less → 1
 * Each of R, F, M is high when its score is at least 3.
 */
const RECENCY_MAX_DAYS = [7, 30, 90, 180] as const;
const FREQUENCY_MIN_ORDERS = [12, 6, 3, 2] as const;
const MONETARY_MIN_FEN = [300_000, 100_000, 30_000, 10_000] as const;
const HIGH_SCORE = 3;

/** Groups by R, F, M high (H) or low (L). */
const RFM_GROUPS: Readonly<Record<string, RfmSegment>> = {
  HHH: '重要价值',
  HLH: '重要发展',
  LHH: '重要保持',
  LLH: '重要挽留',
  HHL: '一般价值',
  HLL: '一般发展',
  LHL: '一般保持',
  LLL: '一般挽留',
};

function rfmOf(days: number, orders: number, ltvFen: number): NonNullable<ComputedTraits['rfm']> {
  const r = scoreBy(RECENCY_MAX_DAYS, (max) => days <= max);
  const f = scoreBy(FREQUENCY_MIN_ORDERS, (min) => orders >= min);
  const m = scoreBy(MONETARY_MIN_FEN, (min) => ltvFen >= min);
  const key = [r, f, m].map((score) => (score >= HIGH_SCORE ? 'H' : 'L')).join('');
  return { r, f, m, segment: RFM_GROUPS[key] };
}

/** 5 for the first threshold passed, 4 for the second, …, 1 for none. */
function scoreBy(thresholds: readonly number[], passes: (threshold: number) => boolean): number {
  const index = thresholds.findIndex(passes);
  return index === -1 ? 1 : 5 - index;
}
