// Live tags: tags a person earns by what they do in this session (问尺码, 反复点击, 加购未付, 高参与 for
// many comments, clicks, shares and gifts, and 粉丝 when the platform shows them following or in the
// fan club), each with an expiry. Driven only by event timestamps, never the wall clock, so a replay
// gives the same tags. One tagger per session: it never gives a person the same tag twice in it.
// Pure: no database, no timers.
import type { EventOf, LiveEvent } from '../events/live-event';
import { analyseChat } from '../text/chat';
import { DAY_MS } from './traits';

export const liveTags = ['问尺码', '反复点击', '加购未付', '粉丝', '高参与'] as const;
export type LiveTag = (typeof liveTags)[number];

export type LiveTagChange =
  | { kind: 'assign'; personId: number; tag: LiveTag; at: number; expiresAt: number }
  | { kind: 'remove'; personId: number; tag: LiveTag; at: number };

export interface LiveTaggerOptions {
  /** Persons with state at once; beyond it new persons are not tagged (default 100 000). */
  maxPersons?: number;
}

const MINUTE_MS = 60_000;
const EXPIRY_MS: Readonly<Record<LiveTag, number>> = { 问尺码: 7 * DAY_MS, 反复点击: 3 * DAY_MS, 加购未付: 7 * DAY_MS, 粉丝: 30 * DAY_MS, 高参与: 7 * DAY_MS };
const TAG_BIT: Readonly<Record<LiveTag, number>> = { 问尺码: 1, 反复点击: 2, 加购未付: 4, 粉丝: 8, 高参与: 16 };
/** Comments, product clicks, shares and gifts in a session that make 高参与 (likes are taps, not counted). */
const ENGAGED_ACTIONS = 10;
/** Clicks on one product that make 反复点击. */
const REPEAT_CLICKS = 3;
/** A cart not paid within this long after the cart_add makes 加购未付. */
const PAY_WINDOW_MS = 10 * MINUTE_MS;
/** Distinct products counted per person, for clicks and for carts. */
const MAX_PRODUCTS = 200;
/** Spent queue entries kept before the queue is compacted. */
const QUEUE_SLACK = 1024;

interface PersonState {
  /** Bits of the tags given this session (TAG_BIT). */
  given: number;
  /** Comments, clicks, shares and gifts so far, until 高参与 is given. */
  actions?: number;
  /** Clicks per product, until 反复点击 is given. */
  clicks?: Map<string, number>;
  /** Unpaid carts: product → time of the first cart_add. */
  carts?: Map<string, number>;
  /** While 加购未付 is in force: the overdue products still unpaid. */
  unpaid?: Set<string>;
}

interface CartDeadline {
  personId: number;
  productId: string;
  cartTs: number;
}

export class LiveTagger {
  private readonly persons = new Map<number, PersonState>();
  /** Pending carts in arrival order; deadlines are cartTs + PAY_WINDOW_MS. */
  private readonly queue: CartDeadline[] = [];
  private head = 0;
  /** The latest event time seen. */
  private clock = 0;
  private readonly maxPersons: number;

  constructor(
    private readonly onChange: (change: LiveTagChange) => void,
    options: LiveTaggerOptions = {},
  ) {
    this.maxPersons = options.maxPersons ?? 100_000;
  }

  /**
   * One event of the person: advances the event clock to its time, then reads what the person did.
   * The person's state is looked up once, and only for an event that can tag them (most events are
   * likes and entries, which cannot).
   */
  observe(event: LiveEvent, personId: number): void {
    this.advance(event.ts);
    const kind = event.kind;
    const fan = event.user?.fansClub || event.user?.following || kind === 'fansclub' || kind === 'follow';
    const engaged = kind === 'chat' || kind === 'product_click' || kind === 'share' || kind === 'gift';
    // A payment only settles what a person has; anything else that can tag makes room for them.
    const state = fan || engaged || kind === 'cart_add' ? this.stateOf(personId) : kind === 'order_paid' ? this.persons.get(personId) : undefined;
    if (!state) return;
    if (fan) this.assign(personId, state, '粉丝', event.ts);
    if (engaged) this.engage(event, personId, state);
    if (kind === 'chat') this.chat(event, personId, state);
    else if (kind === 'product_click') this.click(event, personId, state);
    else if (kind === 'cart_add') this.cart(event, personId, state);
    else if (kind === 'order_paid') this.paid(event, personId, state);
  }

  /** Moves the event clock to now (e.g. the last event's time when a session ends): overdue carts are tagged. */
  advance(now: number): void {
    this.clock = Math.max(this.clock, now);
    while (this.head < this.queue.length && this.queue[this.head].cartTs + PAY_WINDOW_MS < this.clock) {
      this.overdue(this.queue[this.head++]);
    }
    if (this.head > QUEUE_SLACK && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private engage(event: LiveEvent, personId: number, state: PersonState): void {
    if (has(state, '高参与')) return;
    state.actions = (state.actions ?? 0) + 1;
    if (state.actions < ENGAGED_ACTIONS) return;
    state.actions = undefined;
    this.assign(personId, state, '高参与', event.ts);
  }

  private chat(event: EventOf<'chat'>, personId: number, state: PersonState): void {
    if (analyseChat(event.text).topic === '尺码') this.assign(personId, state, '问尺码', event.ts);
  }

  private click(event: EventOf<'product_click'>, personId: number, state: PersonState): void {
    if (has(state, '反复点击')) return;
    const clicks = (state.clicks ??= new Map());
    const count = (clicks.get(event.productId) ?? 0) + 1;
    if (count < REPEAT_CLICKS) {
      if (clicks.has(event.productId) || clicks.size < MAX_PRODUCTS) clicks.set(event.productId, count);
      return;
    }
    state.clicks = undefined;
    this.assign(personId, state, '反复点击', event.ts);
  }

  /** A cart is tracked unless 加购未付 was given and taken back already: it could not be given again. */
  private cart(event: EventOf<'cart_add'>, personId: number, state: PersonState): void {
    if (has(state, '加购未付') && !state.unpaid) return;
    const carts = (state.carts ??= new Map());
    if (carts.has(event.productId) || carts.size >= MAX_PRODUCTS) return;
    carts.set(event.productId, event.ts);
    this.queue.push({ personId, productId: event.productId, cartTs: event.ts });
  }

  private paid(event: EventOf<'order_paid'>, personId: number, state: PersonState): void {
    state.carts?.delete(event.productId);
    if (state.unpaid?.delete(event.productId) && state.unpaid.size === 0) {
      state.unpaid = undefined;
      this.onChange({ kind: 'remove', personId, tag: '加购未付', at: event.ts });
    }
    this.tidy(personId, state);
  }

  /** A cart's pay window has passed: unless it was paid (or is a stale entry), the person is 加购未付. */
  private overdue({ personId, productId, cartTs }: CartDeadline): void {
    const state = this.persons.get(personId);
    if (!state || state.carts?.get(productId) !== cartTs) return;
    state.carts.delete(productId);
    if (state.unpaid) state.unpaid.add(productId);
    else if (!has(state, '加购未付')) {
      state.unpaid = new Set([productId]);
      this.assign(personId, state, '加购未付', cartTs + PAY_WINDOW_MS);
    }
    this.tidy(personId, state);
  }

  private assign(personId: number, state: PersonState, tag: LiveTag, at: number): void {
    if (has(state, tag)) return;
    state.given |= TAG_BIT[tag];
    this.onChange({ kind: 'assign', personId, tag, at, expiresAt: at + EXPIRY_MS[tag] });
  }

  /** The person's state, created when there is room; undefined when the tagger is full. */
  private stateOf(personId: number): PersonState | undefined {
    let state = this.persons.get(personId);
    if (!state && this.persons.size < this.maxPersons) this.persons.set(personId, (state = { given: 0 }));
    return state;
  }

  /** Drops a settled cart map, and the person when nothing is left to remember. */
  private tidy(personId: number, state: PersonState): void {
    if (state.carts?.size === 0) state.carts = undefined;
    if (state.given === 0 && !state.actions && !state.clicks && !state.carts && !state.unpaid) this.persons.delete(personId);
  }
}

function has(state: PersonState, tag: LiveTag): boolean {
  return (state.given & TAG_BIT[tag]) !== 0;
}
