// Shared helpers for the trigger tests: persons, a room, rules and templates written as JSON with
// their defaults filled in, and an engine on a real database that collects every decision it reports.
import type { EventBody, LiveEvent } from '../../src-main/events/live-event';
import type { ComputedTraits, PersonFacts } from '../../src-main/profiles/person';
import type { Db } from '../../src-main/storage/db';
import type { Decision } from '../../src-main/triggers/decision-log';
import { ruleSchema, templateSchema, type CouponTemplate, type CouponTemplateInput, type Outcome, type TriggerRule } from '../../src-main/triggers/rules';
import { TriggerEngine, type TriggerEngineOptions } from '../../src-main/triggers/trigger-engine';
import { ev } from '../helpers/events';
import { freshDb } from '../profiles/helpers';

/** 2026-01-05 20:00 in Asia/Shanghai. */
export const T0 = Date.UTC(2026, 0, 5, 12);
export const MIN = 60_000;
export const at = (minutes: number): number => T0 + minutes * MIN;

export const SEGMENTS = [{ id: 'past_buyers' }, { id: 'never_bought' }, { id: 'vip' }];

export interface PersonInit {
  tags?: string[];
  segments?: number;
  suppressed?: boolean;
  /** Purchase intent this session (none: not scored). */
  intent?: number;
  traits?: Partial<ComputedTraits>;
}

export function person(id: number, init: PersonInit = {}): PersonFacts {
  return {
    id,
    provisional: false,
    platforms: ['douyin'],
    tags: new Set(init.tags ?? []),
    traits: { orders: 0, ltvFen: 0, couponShare: 0, ...init.traits },
    bought: new Set(),
    suppressed: init.suppressed ?? false,
    segments: init.segments ?? 0,
    intent: init.intent,
  };
}

export interface MutableRoom {
  online: number;
  productOnAir: string | undefined;
  interactionRate: number[];
}

export function room(init: Partial<MutableRoom> = {}): MutableRoom {
  return { online: 1_000, productOnAir: 'p1', interactionRate: [], ...init };
}

export function template(init: Partial<CouponTemplateInput> = {}): CouponTemplate {
  return templateSchema.parse({ id: 'c10', name: '满99减10', faceValueFen: 1_000, thresholdFen: 9_900, validMinutes: 30, stock: 100_000, ...init });
}

/** A person-scope rule with no holdout and no caps to speak of, unless the test says otherwise. */
export function personRule(init: Record<string, unknown> = {}): TriggerRule {
  return ruleSchema.parse({
    id: 'cart',
    version: 1,
    name: '加购未付',
    scope: 'person',
    trigger: { kind: 'cart_unpaid', minutes: 10 },
    action: { mode: 'auto', channel: 'webhook', template: 'c10' },
    guards: { perSession: 100, perDay: 100, perWeek: 1000 },
    holdoutShare: 0,
    ...init,
  });
}

export function roomRule(init: Record<string, unknown> = {}): TriggerRule {
  return ruleSchema.parse({
    id: 'bag',
    version: 1,
    name: '互动下滑',
    scope: 'room',
    trigger: { kind: 'interaction_drop', recentMinutes: 2, baselineMinutes: 10, dropPct: 30 },
    where: { minOnline: 500 },
    action: { mode: 'auto', channel: 'anchor', template: 'c10', quantity: 50 },
    guards: { cooldownMinutes: 0 },
    holdoutSlices: false,
    ...init,
  });
}

export interface Harness {
  db: Db;
  engine: TriggerEngine;
  /** Everything the engine reported, in order. */
  seen: Decision[];
  room: MutableRoom;
  /** One event of person `id` (user u<id>) at `ts`. */
  send(ts: number, body: EventBody, id: number, facts?: PersonFacts): LiveEvent;
  of(outcome: Outcome, ruleId?: string): Decision[];
}

export interface HarnessOptions extends Partial<Omit<TriggerEngineOptions, 'onDecision'>> {
  db?: Db;
  persons?: Map<number, PersonFacts>;
}

export function harness(options: HarnessOptions = {}): Harness {
  const db = options.db ?? freshDb().db;
  const seen: Decision[] = [];
  const persons = options.persons ?? new Map<number, PersonFacts>();
  const engine = new TriggerEngine(db, {
    sessionId: 's1',
    rules: [personRule()],
    templates: [template()],
    segments: SEGMENTS,
    salt: 'salt',
    ...options,
    onDecision: (d) => seen.push(d),
  });
  const r = room();
  return {
    db,
    engine,
    seen,
    room: r,
    send(ts, body, id, facts) {
      if (facts) persons.set(id, facts);
      let p = persons.get(id);
      if (!p) persons.set(id, (p = person(id)));
      const e = ev(ts, body, `u${id}`);
      engine.observe(e, p, r);
      return e;
    },
    of: (outcome, ruleId) => seen.filter((d) => d.outcome === outcome && (ruleId === undefined || d.ruleId === ruleId)),
  };
}

export const cart = (productId = 'p1'): EventBody => ({ kind: 'cart_add', productId, quantity: 1 });
export const paid = (productId = 'p1', orderId = `o-${productId}`): EventBody => ({ kind: 'order_paid', productId, orderId, amountFen: 9_900 });
export const chat = (text: string): EventBody => ({ kind: 'chat', text });
export const click = (productId = 'p1'): EventBody => ({ kind: 'product_click', productId });
export const enter: EventBody = { kind: 'enter' };
export const leave: EventBody = { kind: 'leave' };
export const like: EventBody = { kind: 'like', count: 1 };

/** Rows of trigger_decisions as stored. */
export function stored(db: Db): { key: string; outcome: string; reason: string | null; person_id: number | null; arm: string | null }[] {
  return db.prepare('SELECT key, outcome, reason, person_id, arm FROM trigger_decisions ORDER BY rowid').all() as never;
}
