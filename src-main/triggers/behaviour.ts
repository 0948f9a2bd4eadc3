// Per-person behaviour sequences that person-scope rules fire on, in event time: a cart not paid
// within N minutes, a visit lasting N minutes without an order, the k-th click on one product in a
// visit, a price question (once per product on air), an enter. Holds one track per person present or
// with an unpaid cart, at most `maxPersons` (persons beyond are not tracked); a person who leaves
// without an unpaid cart is forgotten. Emits occurrences; the engine decides what becomes of them.
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';
import { analyseChat } from '../text/chat';
import type { CompiledPersonRule } from './compile';

/** Due items this module schedules on the engine's timers. */
export type BehaviourDue =
  | { kind: 'cart'; wait: Wait; personId: number; productId: string; cartTs: number }
  | { kind: 'watch'; wait: Wait; personId: number; visitStart: number };

/** A cart_unpaid or watching rule with its wait. */
interface Wait {
  rule: CompiledPersonRule;
  ms: number;
}

/** An occurrence of a rule's trigger; `occurrence` names it within the session (part of the decision key). */
type Emit = (rule: CompiledPersonRule, person: PersonFacts, occurrence: string, productId: string | undefined, ts: number) => void;

/**
 * Every comment of topic 价格/优惠 has one of these characters (each alternative of the topic's
 * pattern in text/topics.ts does); only those comments are classified, which keeps the rest cheap.
 * test/triggers/behaviour.test.ts checks this against the labelled danmaku.
 */
export const PRICE_HINT = /[钱价宜优券减折赠送样袋奖低贵]/;
/** Products whose clicks are counted per person and visit. */
const MAX_PRODUCTS = 50;

interface Track {
  facts: PersonFacts;
  /** When the current visit began; NaN while away. */
  visitStart: number;
  paidInVisit: boolean;
  /** Unpaid carts: product → time of the cart_add. */
  carts: Map<string, number> | undefined;
  /** Clicks per product in this visit. */
  clicks: Map<string, number> | undefined;
  /** The product on air ('' for none) at the last price question in this visit. */
  askedOn: string | undefined;
  entered: boolean;
}

export class Behaviour {
  private readonly tracks = new Map<number, Track>();
  private readonly cartRules: Wait[] = [];
  private readonly watchRules: Wait[] = [];
  private readonly clickRules: CompiledPersonRule[];
  private readonly askRules: CompiledPersonRule[];
  private readonly enterRules: CompiledPersonRule[];
  /** The cart rule with the longest wait: when it is due, the cart is settled. */
  private readonly lastCartRule: Wait | undefined;

  constructor(
    rules: readonly CompiledPersonRule[],
    private readonly schedule: { push(due: number, item: BehaviourDue): void },
    private readonly emit: Emit,
    private readonly maxPersons: number,
  ) {
    const of = (kind: string) => rules.filter((r) => r.rule.trigger.kind === kind);
    for (const rule of rules) {
      const trigger = rule.rule.trigger;
      if (trigger.kind === 'cart_unpaid') this.cartRules.push({ rule, ms: trigger.minutes * 60_000 });
      else if (trigger.kind === 'watching') this.watchRules.push({ rule, ms: trigger.minutes * 60_000 });
    }
    this.clickRules = of('clicks');
    this.askRules = of('asked_price');
    this.enterRules = of('entered');
    this.lastCartRule = this.cartRules.reduce<Wait | undefined>((a, b) => (a && a.ms > b.ms ? a : b), undefined);
  }

  /** One event of a person; `onAir` is the product on air now. */
  observe(e: LiveEvent, person: PersonFacts, onAir: string | undefined): void {
    const kind = e.kind;
    let track = this.tracks.get(person.id);
    if (kind === 'leave') {
      if (track) this.leave(person.id, track);
      return;
    }
    if (kind === 'order_paid') {
      if (track) this.paid(person.id, track, e.productId);
      return;
    }
    if (kind === 'order_refund' || kind === 'coupon_redeemed') return;
    if (!track) {
      if (this.tracks.size >= this.maxPersons) return;
      track = { facts: person, visitStart: Number.NaN, paidInVisit: false, carts: undefined, clicks: undefined, askedOn: undefined, entered: false };
      this.tracks.set(person.id, track);
    }
    track.facts = person;
    if (Number.isNaN(track.visitStart)) this.visit(person.id, track, e.ts);
    switch (kind) {
      case 'enter':
        if (!track.entered && this.enterRules.length > 0) {
          track.entered = true;
          for (const rule of this.enterRules) this.emit(rule, person, 'enter', undefined, e.ts);
        }
        break;
      case 'product_click':
        if (this.clickRules.length > 0) this.click(track, e.productId, e.ts);
        break;
      case 'cart_add':
        if (this.cartRules.length > 0) this.cart(person.id, track, e.productId, e.ts);
        break;
      case 'chat':
        if (this.askRules.length > 0) this.chat(track, e.text, onAir, e.ts);
        break;
      default:
        break;
    }
  }

  /** A timer this module scheduled is due. */
  due(item: BehaviourDue): void {
    const track = this.tracks.get(item.personId);
    if (!track) return;
    if (item.kind === 'watch') {
      if (track.visitStart === item.visitStart && !track.paidInVisit) this.emit(item.wait.rule, track.facts, 'watch', undefined, item.visitStart + item.wait.ms);
      return;
    }
    if (track.carts?.get(item.productId) !== item.cartTs) return;
    this.emit(item.wait.rule, track.facts, `cart:${item.productId}:${item.cartTs}`, item.productId, item.cartTs + item.wait.ms);
    if (item.wait === this.lastCartRule) {
      track.carts.delete(item.productId);
      this.tidy(item.personId, track);
    }
  }

  private visit(personId: number, track: Track, ts: number): void {
    track.visitStart = ts;
    track.paidInVisit = false;
    for (const wait of this.watchRules) this.schedule.push(ts + wait.ms, { kind: 'watch', wait, personId, visitStart: ts });
  }

  private leave(personId: number, track: Track): void {
    track.visitStart = Number.NaN;
    track.clicks = undefined;
    track.askedOn = undefined;
    track.entered = false;
    this.tidy(personId, track);
  }

  private paid(personId: number, track: Track, productId: string): void {
    track.paidInVisit = true;
    track.carts?.delete(productId);
    this.tidy(personId, track);
  }

  private click(track: Track, productId: string, ts: number): void {
    const clicks = (track.clicks ??= new Map());
    const count = (clicks.get(productId) ?? 0) + 1;
    if (count > 1 || clicks.size < MAX_PRODUCTS) clicks.set(productId, count);
    else return;
    for (const rule of this.clickRules) {
      if (rule.rule.trigger.kind === 'clicks' && rule.rule.trigger.count === count) this.emit(rule, track.facts, `click:${productId}`, productId, ts);
    }
  }

  /** The first cart_add of a product starts its pay window; adding it again while unpaid changes nothing. */
  private cart(personId: number, track: Track, productId: string, ts: number): void {
    const carts = (track.carts ??= new Map());
    if (carts.has(productId) || carts.size >= MAX_PRODUCTS) return;
    carts.set(productId, ts);
    for (const wait of this.cartRules) this.schedule.push(ts + wait.ms, { kind: 'cart', wait, personId, productId, cartTs: ts });
  }

  private chat(track: Track, text: string, onAir: string | undefined, ts: number): void {
    const product = onAir ?? '';
    if (track.askedOn === product || !PRICE_HINT.test(text) || analyseChat(text).topic !== '价格/优惠') return;
    track.askedOn = product;
    for (const rule of this.askRules) this.emit(rule, track.facts, `ask:${product}`, onAir, ts);
  }

  /** Forgets a person who is away with no unpaid cart. */
  private tidy(personId: number, track: Track): void {
    if (track.carts?.size === 0) track.carts = undefined;
    if (Number.isNaN(track.visitStart) && !track.carts) this.tracks.delete(personId);
  }
}
