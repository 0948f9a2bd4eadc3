// The coupon trigger engine of one session: it reads the events the caller passes (with the person
// behind each and a view of the room), in event time only, so a replay decides exactly the same;
// turns rule triggers into decisions through the guards and the holdout, each giving the coupon of the
// first of its rule's tiers that fits the person (else the rule's template); keeps suggestions until
// ops approve or dismiss them or they expire; tracks conversions for the uplift report; and audits
// every outcome in trigger_decisions under an idempotent key, so that a new engine on the same
// database and session repeats nothing and counts every cap, budget and stock already used. Delivery
// is not here: a fired or approved decision carries what a delivery needs, through `onDecision`.
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';
import type { Db } from '../storage/db';
import { Attribution } from './attribution';
import { Behaviour, type BehaviourDue } from './behaviour';
import { compileRules, couponFor, roomMatches, personMatches, type CompiledPersonRule, type CompiledRoomRule, type CompiledRule, type RoomView } from './compile';
import { DecisionLog, decisionKey, type Decision } from './decision-log';
import { guardFor } from './guards';
import { personHeldOut, sliceHeldOut, sliceOf } from './holdout';
import type { CouponTemplate, TriggerRule } from './rules';
import { Timers } from './timers';
import { Tolerance } from './tolerance';
import { upliftReport, type UpliftReport } from './uplift';

export type { RoomView } from './compile';
export type { Decision } from './decision-log';

export interface TriggerEngineOptions {
  /** The session decisions belong to; a new engine with the same id carries on where the last stopped. */
  sessionId: string;
  /** In evaluation order (rulesSchema); disabled ones are ignored. */
  rules: readonly TriggerRule[];
  templates: readonly CouponTemplate[];
  /** The segment list PersonFacts.segments is a bitmask over (bit i: segments[i]). */
  segments: readonly { id: string }[];
  /** Salt of the holdout hash: the same salt assigns the same persons to the holdout. */
  salt: string;
  /** Every outcome, as it happens (a copy); fired and approved ones are to be delivered. Do not call the engine back from it. */
  onDecision?: (decision: Decision) => void;
  /** Persons tracked at once, for behaviour and for histories kept in memory (default 200 000). */
  maxPersons?: number;
}

/** Timers: the behaviour module's, a suggestion's expiry, a decision's attribution window. */
type Due = BehaviourDue | { kind: 'expire'; decision: Decision } | { kind: 'close'; key: string; personId: number | undefined };

/** Room-wide rules are evaluated at most this often, in event time. */
const ROOM_TICK_MS = 5_000;
const MINUTE_MS = 60_000;

export class TriggerEngine {
  private readonly sessionId: string;
  private readonly salt: string;
  private readonly onDecision: (decision: Decision) => void;
  private readonly rules: ReadonlyMap<string, CompiledRule>;
  private readonly roomRules: CompiledRoomRule[];
  private readonly log: DecisionLog;
  private readonly timers = new Timers<Due>();
  private readonly behaviour: Behaviour;
  private readonly tolerance: Tolerance;
  private readonly attribution: Attribution;
  private readonly suggestions = new Map<string, Decision>();
  /** The slice each room-wide rule last decided in. */
  private readonly decidedSlice = new Map<CompiledRoomRule, number>();
  private room: RoomView | undefined;
  private clock = 0;
  private nextRoomTick = 0;

  constructor(db: Db, options: TriggerEngineOptions) {
    const maxPersons = options.maxPersons ?? 200_000;
    const compiled = compileRules(options.rules, options.templates, options.segments);
    this.sessionId = options.sessionId;
    this.salt = options.salt;
    this.onDecision = options.onDecision ?? (() => {});
    this.rules = new Map(compiled.map((c) => [c.rule.id, c]));
    this.roomRules = compiled.filter((c): c is CompiledRoomRule => !isPersonRule(c));
    const personRules = compiled.filter(isPersonRule);
    this.log = new DecisionLog(db, this.sessionId, maxPersons);
    this.tolerance = new Tolerance(maxPersons);
    this.attribution = new Attribution(this.log, maxPersons);
    this.behaviour = new Behaviour(personRules, this.timers, (c, person, occurrence, productId, ts) => this.decide(c, person, occurrence, productId, ts), maxPersons);
    for (const personId of this.log.heldPersons()) this.tolerance.hold(personId);
    for (const { personId, at } of this.log.lastDeliveries()) {
      if (personId === undefined) this.tolerance.couponToRoom(at);
      else this.tolerance.couponTo(personId, at);
    }
    for (const d of this.log.pendingSuggestions()) {
      this.suggestions.set(d.key, d);
      this.timers.push(d.expiresAt ?? d.ts, { kind: 'expire', decision: d });
    }
    for (const open of this.log.openRoomWindows()) {
      this.attribution.openForRoom(open.key, open.from, open.until);
      this.timers.push(open.until, { kind: 'close', key: open.key, personId: undefined });
    }
    for (const open of this.log.openAttributions()) {
      this.attribution.openForPerson(open.key, open.personId, open.from, open.until);
      this.timers.push(open.until, { kind: 'close', key: open.key, personId: open.personId });
    }
  }

  /** One event, with the person behind it (undefined for none or a masked user) and the room as it is now. */
  observe(event: LiveEvent, person: PersonFacts | undefined, room: RoomView): void {
    const ts = event.ts;
    this.room = room;
    this.advance(ts);
    if (event.kind === 'coupon_issued') this.tolerance.couponToRoom(ts);
    if (!person) return;
    this.attribution.seen(person.id, ts);
    if (event.kind === 'order_paid') this.attribution.paid(person.id, ts);
    else if (event.kind === 'chat' && this.tolerance.comment(person.id, event.text, ts)) this.log.hold(person.id, ts, event.text.slice(0, 200));
    this.behaviour.observe(event, person, room.productOnAir);
  }

  /**
   * Moves the event clock to `ts` (never back): carts, visits, suggestions and attribution windows
   * due before it are settled in time order, then room-wide rules are evaluated on the last room seen.
   */
  advance(ts: number): void {
    if (ts > this.clock) this.clock = ts;
    for (let due = this.timers.popBefore(this.clock); due; due = this.timers.popBefore(this.clock)) {
      if (due.kind === 'expire') this.expire(due.decision);
      else if (due.kind === 'close') this.attribution.close(due.key, due.personId);
      else this.behaviour.due(due);
    }
    if (this.clock >= this.nextRoomTick && this.room) {
      this.nextRoomTick = (Math.floor(this.clock / ROOM_TICK_MS) + 1) * ROOM_TICK_MS;
      for (const c of this.roomRules) this.evaluateRoom(c, this.room);
    }
  }

  /** Ops approve a suggestion: the decision to deliver, or its end if it expired or the person was held back meanwhile; undefined if not pending. */
  approve(key: string): Decision | undefined {
    const d = this.suggestions.get(key);
    if (!d) return undefined;
    if (this.clock >= d.expiresAt!) return this.expire(d);
    if (d.personId !== undefined && this.tolerance.isHeld(d.personId)) return this.end(d, 'suppressed', 'tolerance');
    const approved = this.end(d, 'approved');
    this.delivered(d, this.clock);
    return approved;
  }

  /** Ops dismiss a suggestion; undefined if not pending. */
  dismiss(key: string): Decision | undefined {
    const d = this.suggestions.get(key);
    return d && this.end(d, 'dismissed');
  }

  /** The delivery of a fired or approved decision of this session failed: it no longer counts against caps, budget or stock. */
  deliveryFailed(key: string, error: string): Decision | undefined {
    const d = this.log.find(key);
    if (!d || d.sessionId !== this.sessionId || (d.outcome !== 'fired' && d.outcome !== 'approved')) return undefined;
    this.log.resolve(d, 'delivery_failed', this.clock, error.slice(0, 500));
    return this.emit(d);
  }

  /** Suggestions waiting for ops, oldest first (copies). */
  pending(): Decision[] {
    return [...this.suggestions.values()].map((d) => ({ ...d }));
  }

  /** Writes buffered decisions in one transaction. Call it on a cadence and when the session ends. */
  flush(): void {
    this.log.flush();
  }

  /** This session's decisions, newest first (flushes first). */
  decisions(limit = 100): Decision[] {
    return this.log.recent(limit);
  }

  /** Treated against holdout for a rule, over every session, counting decisions whose attribution window closed by the event clock (flushes first). */
  uplift(ruleId: string): UpliftReport {
    const c = this.rules.get(ruleId);
    if (!c) throw new Error(`no rule ${ruleId}`);
    const { treated, holdout } = this.log.armCounts(ruleId, c.rule.scope, this.clock);
    return upliftReport(ruleId, c.rule.scope, treated, holdout);
  }

  private evaluateRoom(c: CompiledRoomRule, room: RoomView): void {
    const slice = sliceOf(this.clock, c.rule.sliceMinutes);
    if (this.decidedSlice.get(c) === slice || !roomMatches(c, room, this.clock)) return;
    this.decidedSlice.set(c, slice);
    this.decide(c, undefined, `slice:${slice}`, room.productOnAir, this.clock);
  }

  /** An occurrence of a rule's trigger for a person (or the room): its one decision. */
  private decide(c: CompiledRule, person: PersonFacts | undefined, occurrence: string, productId: string | undefined, ts: number): void {
    const rule = c.rule;
    if (person && isPersonRule(c) && !personMatches(c, person, productId, this.room?.productOnAir, ts)) return;
    const personId = person?.id;
    const coupon = couponFor(c, person);
    const history = this.log.history(personId);
    const key = decisionKey(this.sessionId, rule, personId, occurrence);
    const d: Decision = {
      key,
      sessionId: this.sessionId,
      ruleId: rule.id,
      ruleVersion: rule.version,
      ruleName: rule.name,
      scope: rule.scope,
      personId,
      productId,
      ts,
      outcome: 'suppressed',
      channel: rule.action.channel,
      coupon: coupon.template,
      tier: coupon.tier,
      quantity: rule.scope === 'room' ? rule.action.quantity : 1,
      say: rule.action.say,
    };
    const prior = history.keys.get(key);
    if (prior !== undefined) {
      d.key = `${key}#dup`;
      if (!history.keys.has(d.key)) this.record({ ...d, outcome: 'duplicate', reason: prior }, c, coupon.detail);
      return;
    }
    const guard = guardFor(c, coupon.template, person, personId !== undefined && this.tolerance.isHeld(personId), history, this.log, ts);
    if (guard) {
      this.record({ ...d, reason: guard }, c, coupon.detail);
      return;
    }
    const heldOut =
      rule.scope === 'person'
        ? personId !== undefined && personHeldOut(personId, rule.id, this.salt, rule.holdoutShare)
        : rule.holdoutSlices && sliceHeldOut(sliceOf(ts, rule.sliceMinutes));
    d.arm = heldOut ? 'holdout' : 'treated';
    d.outcome = heldOut ? 'holdout' : rule.action.mode === 'auto' ? 'fired' : 'suggested';
    if (d.outcome === 'suggested') {
      d.expiresAt = ts + rule.action.expireMinutes * MINUTE_MS;
      this.suggestions.set(key, d);
      this.timers.push(d.expiresAt, { kind: 'expire', decision: d });
    }
    this.record(d, c, coupon.detail);
    const until = ts + c.attributionMs;
    if (personId !== undefined) this.attribution.openForPerson(key, personId, ts, until);
    else this.attribution.openForRoom(key, ts, until);
    this.timers.push(until, { kind: 'close', key, personId });
    if (d.outcome === 'fired') this.delivered(d, ts);
  }

  /** `detail`: the audit detail of the coupon the decision gives (Coupon.detail). */
  private record(d: Decision, c: CompiledRule, detail: string): void {
    this.log.add(d, detail, d.ts + c.attributionMs);
    this.emit(d);
  }

  private expire(d: Decision): Decision | undefined {
    return this.suggestions.has(d.key) ? this.end(d, 'expired', undefined, d.expiresAt) : undefined;
  }

  /** A suggestion's end: approved, dismissed, expired, or suppressed at approval. */
  private end(d: Decision, outcome: 'approved' | 'dismissed' | 'expired' | 'suppressed', reason?: string, at = this.clock): Decision {
    this.suggestions.delete(d.key);
    this.log.resolve(d, outcome, at, reason);
    return this.emit(d);
  }

  /** A coupon went out: a negative comment from now on may hold its person (or anyone, for a room-wide one) back. */
  private delivered(d: Decision, ts: number): void {
    if (d.personId === undefined) this.tolerance.couponToRoom(ts);
    else this.tolerance.couponTo(d.personId, ts);
  }

  /** Hands a copy on (the engine's own changes as a suggestion is resolved). */
  private emit(d: Decision): Decision {
    const copy = { ...d };
    this.onDecision(copy);
    return copy;
  }
}

function isPersonRule(c: CompiledRule): c is CompiledPersonRule {
  return c.rule.scope === 'person';
}
