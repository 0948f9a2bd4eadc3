// Who buys in the demo room: each viewer's lean to go down the funnel (click a product they see, add
// it to the cart) against the average viewer's, from what a brand knows of them (past orders and how
// recent the last one is, VIP, price sensitivity with or without a coupon for the product in hand)
// and from this visit: whether they came to shop (more likely the more they lean; shoppers are busier
// and ask more questions) and the questions they asked about the product on air. The configured
// funnel rates stay the room's averages: a step's chance is its rate times the viewer's lean over the
// mean lean of the viewers who reached that step. Deterministic: no draws of its own.
import { HISTORY_END, type DemoProfile } from './audience';

const DAY = 86_400_000;
/** Each past order (up to four) adds this to a lean of 1. */
const PER_ORDER = 0.35;
const MAX_ORDERS = 4;
/** A last order this recent (before the history's end) multiplies the lean. */
const RECENT_DAYS = 60;
const RECENT = 1.3;
const VIP = 1.2;
/** Of a visit: the chance that the viewer came to shop is this times their profile's lean, at most MAX_SHOPPER. */
const SHOPPER_SHARE = 0.2;
const MAX_SHOPPER = 0.8;
/** The lean of a shopper's visit, and of a visit just to watch. */
const SHOPPER = 2;
const BROWSER = 0.5;
/** How often a viewer who came to watch lets another viewer act in their place (shoppers are busier). */
export const BROWSER_PASSES = 0.5;
/** Of the chats of shoppers and of the others: questions. */
export const SHOPPER_QUESTION_SHARE = 0.7;
export const BROWSER_QUESTION_SHARE = 0.35;
/** Each question about the product on air in this visit (up to two) adds this share. */
const PER_QUESTION = 0.5;
const MAX_QUESTIONS = 2;
/** A price-sensitive viewer, with and without a coupon for the product. */
const PRICE_SENSITIVE_WITH_COUPON = 1.6;
const PRICE_SENSITIVE_WITHOUT = 0.6;
/** No viewer leans more than this (so that a step's chance stays under 1 at the usual rates). */
const MAX_LEAN = 6;

/** What a viewer brings to every visit: 1 for an anonymous viewer or a customer who never bought. */
export function profileLean(profile: DemoProfile | undefined): number {
  if (!profile) return 1;
  let lean = 1 + PER_ORDER * Math.min(profile.orders.length, MAX_ORDERS);
  const last = profile.orders.at(-1);
  if (last && HISTORY_END - last.ts <= RECENT_DAYS * DAY) lean *= RECENT;
  if (profile.tags.includes('VIP')) lean *= VIP;
  return lean;
}

/** The chance that a visit of a viewer of this profile lean is to shop. */
export function shopperChance(base: number): number {
  return Math.min(MAX_SHOPPER, SHOPPER_SHARE * base);
}

/** The lean now: the profile's, moved by why they came, the questions they asked and price sensitivity. */
export function visitLean(base: number, shopper: boolean, asked: number, priceSensitive: boolean, couponInHand: boolean): number {
  let lean = base * (shopper ? SHOPPER : BROWSER) * (1 + PER_QUESTION * Math.min(asked, MAX_QUESTIONS));
  if (priceSensitive) lean *= couponInHand ? PRICE_SENSITIVE_WITH_COUPON : PRICE_SENSITIVE_WITHOUT;
  return Math.min(lean, MAX_LEAN);
}

/** One step of the funnel (exposure → click, click → cart) at its configured average rate. */
export class FunnelStep {
  private leans = 0;
  private viewers = 0;

  constructor(private readonly rate: number) {}

  /** The chance that a viewer of this lean takes the step: the rate scaled by lean over the mean lean seen here (theirs included). */
  chance(lean: number): number {
    this.leans += lean;
    this.viewers++;
    return Math.min(1, (this.rate * lean * this.viewers) / this.leans);
  }
}
