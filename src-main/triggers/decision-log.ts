// The decision audit: every evaluation outcome as a row of trigger_decisions, under an idempotent key
// (session, rule, version, target, occurrence), buffered and written in one transaction per flush; and
// the tallies the guards read, derived only from those outcomes so that they are the same after a
// restart: each person's history (this session's keys, and the decisions that count against caps
// in every session), each rule's spend this session, each template's stock used in all sessions.
// A person's history is read from the table the first time the engine needs it (not even that for a
// person a bit filter says the table has nothing of), and forgotten only right after a flush, when
// the table holds everything the memory did.
import { createHash } from 'node:crypto';
import { parseJson } from '../shared/values';
import type { Db } from '../storage/db';
import type { Channel, CouponTemplate, Outcome } from './rules';

export interface Decision {
  /** Idempotency key: the same occurrence of the same rule version for the same target always has it. */
  key: string;
  sessionId: string;
  ruleId: string;
  ruleVersion: number;
  ruleName: string;
  scope: 'person' | 'room';
  /** The person it targets; undefined for a room-wide rule. */
  personId?: number;
  /** The cart's or clicks' product; the product on air for a price question or a room-wide rule. */
  productId?: string;
  /** When it was decided, event time. */
  ts: number;
  outcome: Outcome;
  /** suppressed: the guard's name; duplicate: the first decision's outcome; delivery_failed: the error. */
  reason?: string;
  /** Intent to treat: treated (fired or suggested, whatever came of it) or holdout; none when suppressed or a duplicate. */
  arm?: 'treated' | 'holdout';
  channel: Channel;
  coupon: CouponTemplate;
  /** Which of the rule's coupon tiers chose `coupon` (its index in action.tiers); absent when the rule's own template was given. */
  tier?: number;
  /** Coupons released (room-wide rules; 1 for a person). */
  quantity: number;
  /** A line for the anchor or ops. */
  say?: string;
  /** A suggestion expires then unless approved. */
  expiresAt?: number;
  /** When a suggestion was approved, dismissed or expired, or a delivery was reported failed. */
  resolvedAt?: number;
}

/** A decision counting against a person's caps, once and cooldown (or a room rule's cooldown). */
interface Counted {
  key: string;
  ruleId: string;
  ts: number;
  thisSession: boolean;
}

export interface History {
  /** This session's decision keys and their outcomes. */
  readonly keys: Map<string, Outcome>;
  /** Decisions that count (fired, approved, suggested, holdout) in every session (the room's: this session). */
  readonly counted: Counted[];
}

interface Spend {
  count: number;
  valueFen: number;
}

/** Arms' numbers for the uplift report: decisions, units exposed, units converted. */
export interface ArmCounts {
  decisions: number;
  exposed: number;
  converted: number;
}

/** Outcomes that count against caps, once and cooldown. */
const COUNTED: ReadonlySet<Outcome> = new Set(['fired', 'approved', 'suggested', 'holdout']);
/** Outcomes that spend budget and stock (a holdout is given nothing). */
const SPENT: ReadonlySet<Outcome> = new Set(['fired', 'approved', 'suggested']);
const SPENT_SQL = "('fired', 'approved', 'suggested')";
/** Buffered rows that make a flush happen at once. */
const AUTO_FLUSH_ROWS = 5_000;
/** Bits of the filter of persons the table may hold decisions of (person id modulo its size). */
const KNOWN_BITS = 1 << 20;
/**
 * Histories kept in memory after a flush (fewer if maxPersons says so), the most recently read: a
 * long show decides something for most of its hundreds of thousands of viewers, and one read brings
 * a forgotten history back.
 */
const HISTORIES_KEPT = 20_000;

interface Buffered {
  decision: Decision;
  /** JSON: ruleName, scope, coupon, say, tier. */
  detail: string;
  attributionUntil: number;
  exposed: number | null;
  converted: number | null;
}

interface Change {
  outcome?: Outcome;
  reason?: string | null;
  resolvedAt?: number;
  exposed?: number;
  converted?: number;
}

interface DecisionRow {
  key: string;
  session_id: string;
  rule_id: string;
  rule_version: number;
  person_id: number | null;
  product_id: string | null;
  ts: number;
  outcome: Outcome;
  reason: string | null;
  arm: 'treated' | 'holdout' | null;
  channel: Channel;
  quantity: number;
  expires_at: number | null;
  resolved_at: number | null;
  detail: string;
}

/** The key of one occurrence of a rule version for a person (or the room): readable prefix, hashed rest. */
export function decisionKey(sessionId: string, rule: { id: string; version: number }, personId: number | undefined, occurrence: string): string {
  const digest = createHash('sha256').update(`${sessionId}\n${occurrence}`).digest('hex').slice(0, 24);
  return `${rule.id}@${rule.version}:${personId ?? 'room'}:${digest}`;
}

export class DecisionLog {
  private readonly rows = new Map<string, Buffered>();
  private readonly changes = new Map<string, Change>();
  private holds: { personId: number; ts: number; reason: string }[] = [];
  private readonly histories = new Map<number, History>();
  private readonly roomHistory: History = { keys: new Map(), counted: [] };
  private readonly spend = new Map<string, Spend>();
  private readonly stock = new Map<string, number>();
  /** Set for every person with a decision in the table or the buffer; a clear bit spares a read. */
  private readonly known = new Uint8Array(KNOWN_BITS / 8);
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly sessionId: string,
    private readonly maxPersons: number,
  ) {
    const columns =
      'key, session_id, rule_id, rule_version, person_id, product_id, ts, outcome, reason, arm, channel, quantity, expires_at, resolved_at, detail';
    this.q = {
      insert: db.prepare(
        `INSERT INTO trigger_decisions (key, session_id, rule_id, rule_version, person_id, product_id, ts, outcome, reason, arm,
           channel, coupon_id, face_value_fen, quantity, expires_at, resolved_at, attribution_until, exposed, converted, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO NOTHING`,
      ),
      update: db.prepare(
        `UPDATE trigger_decisions SET
           outcome = coalesce(@outcome, outcome),
           reason = CASE WHEN @outcome IS NULL THEN reason ELSE @reason END,
           resolved_at = coalesce(@resolvedAt, resolved_at),
           exposed = coalesce(@exposed, exposed),
           converted = coalesce(@converted, converted)
         WHERE key = @key`,
      ),
      hold: db.prepare('INSERT INTO trigger_holds (session_id, person_id, ts, reason) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      history: db.prepare<[number], { key: string; session_id: string; rule_id: string; ts: number; outcome: Outcome }>(
        'SELECT key, session_id, rule_id, ts, outcome FROM trigger_decisions WHERE person_id = ?',
      ),
      byKey: db.prepare<[string], DecisionRow>(`SELECT ${columns} FROM trigger_decisions WHERE key = ?`),
      recent: db.prepare<[string, number], DecisionRow>(`SELECT ${columns} FROM trigger_decisions WHERE session_id = ? ORDER BY ts DESC, rowid DESC LIMIT ?`),
      pending: db.prepare<[string], DecisionRow>(`SELECT ${columns} FROM trigger_decisions WHERE session_id = ? AND outcome = 'suggested' ORDER BY ts, rowid`),
    };
    this.load();
  }

  /** The history of a person, or of the room when `personId` is undefined. */
  history(personId: number | undefined): History {
    if (personId === undefined) return this.roomHistory;
    let history = this.histories.get(personId);
    if (history) return history;
    history = { keys: new Map(), counted: [] };
    this.histories.set(personId, history);
    const bit = personId & (KNOWN_BITS - 1);
    if ((this.known[bit >> 3] & (1 << (bit & 7))) === 0) {
      this.known[bit >> 3] |= 1 << (bit & 7);
      return history;
    }
    for (const row of this.q.history.all(personId)) {
      const thisSession = row.session_id === this.sessionId;
      if (thisSession) history.keys.set(row.key, row.outcome);
      if (COUNTED.has(row.outcome)) history.counted.push({ key: row.key, ruleId: row.rule_id, ts: row.ts, thisSession });
    }
    return history;
  }

  /** What a rule spent this session. */
  spent(ruleId: string): Spend {
    return this.spend.get(ruleId) ?? { count: 0, valueFen: 0 };
  }

  /** Coupons of a template given (or reserved by a pending suggestion) in every session. */
  stockUsed(templateId: string): number {
    return this.stock.get(templateId) ?? 0;
  }

  /** A new decision of this session; `detail` is its coupon's (Coupon.detail, compile.ts), `attributionUntil` ends its attribution window. */
  add(decision: Decision, detail: string, attributionUntil: number): void {
    const personRow = decision.arm !== undefined && decision.personId !== undefined;
    this.rows.set(decision.key, { decision, detail, attributionUntil, exposed: personRow ? 1 : null, converted: personRow ? 0 : null });
    this.history(decision.personId).keys.set(decision.key, decision.outcome);
    this.tally(decision, decision.outcome, 1);
    if (this.rows.size >= AUTO_FLUSH_ROWS) this.flush();
  }

  /** A decision moves on (approved, dismissed, expired, suppressed at approval, delivery failed). */
  resolve(decision: Decision, outcome: Outcome, ts: number, reason?: string): void {
    // The history is read before the row changes, so that a history read from the table agrees.
    if (decision.sessionId === this.sessionId) this.history(decision.personId);
    this.tally(decision, decision.outcome, -1);
    decision.outcome = outcome;
    decision.reason = reason;
    decision.resolvedAt = ts;
    this.tally(decision, outcome, 1);
    if (decision.sessionId === this.sessionId) this.history(decision.personId).keys.set(decision.key, outcome);
    if (!this.rows.has(decision.key)) this.change(decision.key, { outcome, reason: reason ?? null, resolvedAt: ts });
  }

  /** A person converted within a decision's attribution window. */
  converted(key: string): void {
    const row = this.rows.get(key);
    if (row) row.converted = 1;
    else this.change(key, { converted: 1 });
  }

  /** A room-wide decision's window closed: persons seen in it, and those of them who paid. */
  exposure(key: string, exposed: number, converted: number): void {
    const row = this.rows.get(key);
    if (row) Object.assign(row, { exposed, converted });
    else this.change(key, { exposed, converted });
  }

  /** A person held back for the rest of the session. */
  hold(personId: number, ts: number, reason: string): void {
    this.holds.push({ personId, ts, reason });
  }

  /** A decision of this engine's buffer, or any stored one (with its changes not yet written). */
  find(key: string): Decision | undefined {
    const buffered = this.rows.get(key);
    if (buffered) return buffered.decision;
    const row = this.q.byKey.get(key);
    if (!row) return undefined;
    const decision = decisionOf(row);
    const change = this.changes.get(key);
    if (change?.outcome) Object.assign(decision, { outcome: change.outcome, reason: change.reason ?? undefined, resolvedAt: change.resolvedAt });
    return decision;
  }

  /** Writes everything buffered in one transaction; then forgets the oldest histories beyond the limit. */
  flush(): void {
    if (this.rows.size === 0 && this.changes.size === 0 && this.holds.length === 0) return;
    this.db.transaction(() => {
      for (const row of this.rows.values()) this.q.insert.run(...rowOf(row));
      for (const [key, change] of this.changes) {
        this.q.update.run({ key, outcome: null, reason: null, resolvedAt: null, exposed: null, converted: null, ...change });
      }
      for (const h of this.holds) this.q.hold.run(this.sessionId, h.personId, h.ts, h.reason);
    })();
    this.rows.clear();
    this.changes.clear();
    this.holds = [];
    const kept = Math.min(this.maxPersons, HISTORIES_KEPT);
    for (const personId of this.histories.keys()) {
      if (this.histories.size <= kept) break;
      this.histories.delete(personId);
    }
  }

  /** This session's decisions, newest first (flushes first). */
  recent(limit: number): Decision[] {
    this.flush();
    return this.q.recent.all(this.sessionId, limit).map(decisionOf);
  }

  /** This session's suggestions still waiting for ops, oldest first. */
  pendingSuggestions(): Decision[] {
    return this.q.pending.all(this.sessionId).map(decisionOf);
  }

  /** Persons held back this session. */
  heldPersons(): number[] {
    return this.db.prepare<[string], number>('SELECT person_id FROM trigger_holds WHERE session_id = ?').pluck().all(this.sessionId);
  }

  /** When each person (undefined: the room) was last sent a coupon this session, for the tolerance signal. */
  lastDeliveries(): { personId: number | undefined; at: number }[] {
    return this.db
      .prepare<[string], { personId: number | null; at: number }>(
        `SELECT person_id AS personId, max(coalesce(resolved_at, ts)) AS at FROM trigger_decisions
         WHERE session_id = ? AND outcome IN ('fired', 'approved') GROUP BY person_id`,
      )
      .all(this.sessionId)
      .map((row) => ({ personId: row.personId ?? undefined, at: row.at }));
  }

  /**
   * This session's person decisions whose attribution window may still be open when the engine
   * restarts (it ends after the session's last decision) and that have not converted yet.
   */
  openAttributions(): { key: string; personId: number; from: number; until: number }[] {
    return this.db
      .prepare<[string, string], { key: string; personId: number; from: number; until: number }>(
        `SELECT key, person_id AS personId, ts AS "from", attribution_until AS until FROM trigger_decisions
         WHERE session_id = ? AND arm IS NOT NULL AND person_id IS NOT NULL AND converted = 0
           AND attribution_until > (SELECT max(ts) FROM trigger_decisions WHERE session_id = ?)
         ORDER BY attribution_until`,
      )
      .all(this.sessionId, this.sessionId);
  }

  /** This session's room-wide decisions in an arm whose window has not been counted yet. */
  openRoomWindows(): { key: string; from: number; until: number }[] {
    return this.db
      .prepare<[string], { key: string; from: number; until: number }>(
        `SELECT key, ts AS "from", attribution_until AS until FROM trigger_decisions
         WHERE session_id = ? AND person_id IS NULL AND arm IS NOT NULL AND exposed IS NULL ORDER BY ts`,
      )
      .all(this.sessionId);
  }

  /**
   * Both arms of a rule, over every session, counting decisions whose attribution window closed by
   * `now`: for a person-scope rule, distinct persons and those who converted after any of their
   * decisions; for a room-wide rule, persons seen in each decision's window summed, and payers among them.
   */
  armCounts(ruleId: string, scope: 'person' | 'room', now: number): { treated: ArmCounts; holdout: ArmCounts } {
    this.flush();
    return armCountsOf(this.db, ruleId, scope, now);
  }

  /** Spend and stock from the table, and the room's history this session. */
  private load(): void {
    const spend = this.db.prepare<[string], { rule_id: string; count: number; valueFen: number }>(
      `SELECT rule_id, sum(quantity) AS count, sum(quantity * face_value_fen) AS valueFen FROM trigger_decisions
       WHERE session_id = ? AND outcome IN ${SPENT_SQL} GROUP BY rule_id`,
    );
    for (const row of spend.all(this.sessionId)) this.spend.set(row.rule_id, { count: row.count, valueFen: row.valueFen });
    const stock = this.db.prepare<[], { coupon_id: string; used: number }>(
      `SELECT coupon_id, sum(quantity) AS used FROM trigger_decisions WHERE outcome IN ${SPENT_SQL} GROUP BY coupon_id`,
    );
    for (const row of stock.all()) this.stock.set(row.coupon_id, row.used);
    const room = this.db.prepare<[string], { key: string; rule_id: string; ts: number; outcome: Outcome }>(
      'SELECT key, rule_id, ts, outcome FROM trigger_decisions WHERE session_id = ? AND person_id IS NULL ORDER BY ts',
    );
    for (const row of room.all(this.sessionId)) {
      this.roomHistory.keys.set(row.key, row.outcome);
      if (COUNTED.has(row.outcome)) this.roomHistory.counted.push({ key: row.key, ruleId: row.rule_id, ts: row.ts, thisSession: true });
    }
    const persons = this.db.prepare<[], number>('SELECT DISTINCT person_id FROM trigger_decisions WHERE person_id IS NOT NULL').pluck();
    for (const personId of persons.iterate()) {
      const bit = personId & (KNOWN_BITS - 1);
      this.known[bit >> 3] |= 1 << (bit & 7);
    }
  }

  /** Adds (sign 1) or takes back (sign -1) what a decision with this outcome counts for. */
  private tally(d: Decision, outcome: Outcome, sign: 1 | -1): void {
    if (COUNTED.has(outcome) && d.sessionId === this.sessionId) {
      const history = d.personId === undefined ? this.roomHistory : this.histories.get(d.personId);
      if (history && sign === 1) history.counted.push({ key: d.key, ruleId: d.ruleId, ts: d.ts, thisSession: true });
      else if (history) {
        const at = history.counted.findIndex((c) => c.key === d.key);
        if (at >= 0) history.counted.splice(at, 1);
      }
    }
    if (!SPENT.has(outcome)) return;
    if (d.sessionId === this.sessionId) {
      const spend = this.spent(d.ruleId);
      this.spend.set(d.ruleId, { count: spend.count + sign * d.quantity, valueFen: spend.valueFen + sign * d.quantity * d.coupon.faceValueFen });
    }
    this.stock.set(d.coupon.id, this.stockUsed(d.coupon.id) + sign * d.quantity);
  }

  private change(key: string, change: Change): void {
    this.changes.set(key, { ...this.changes.get(key), ...change });
  }
}

/** The insert's values, in the order of its columns. */
function rowOf({ decision: d, detail, attributionUntil, exposed, converted }: Buffered) {
  return [
    d.key,
    d.sessionId,
    d.ruleId,
    d.ruleVersion,
    d.personId ?? null,
    d.productId ?? null,
    d.ts,
    d.outcome,
    d.reason ?? null,
    d.arm ?? null,
    d.channel,
    d.coupon.id,
    d.coupon.faceValueFen,
    d.quantity,
    d.expiresAt ?? null,
    d.resolvedAt ?? null,
    attributionUntil,
    exposed,
    converted,
    detail,
  ] as const;
}

function decisionOf(row: DecisionRow): Decision {
  const detail = parseJson(row.detail) as { ruleName: string; scope: 'person' | 'room'; coupon: CouponTemplate; say?: string; tier?: number };
  return {
    key: row.key,
    sessionId: row.session_id,
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    ruleName: detail.ruleName,
    scope: detail.scope,
    personId: row.person_id ?? undefined,
    productId: row.product_id ?? undefined,
    ts: row.ts,
    outcome: row.outcome,
    reason: row.reason ?? undefined,
    arm: row.arm ?? undefined,
    channel: row.channel,
    coupon: detail.coupon,
    tier: detail.tier,
    quantity: row.quantity,
    say: detail.say,
    expiresAt: row.expires_at ?? undefined,
    resolvedAt: row.resolved_at ?? undefined,
  };
}

/**
 * Treated and holdout arms of a rule, counting decisions whose attribution window closed by `until`:
 * over every session, or over one.
 */
export function armCountsOf(db: Db, ruleId: string, scope: 'person' | 'room', until: number, sessionId?: string): { treated: ArmCounts; holdout: ArmCounts } {
  const where = `rule_id = ? AND arm IS NOT NULL AND attribution_until <= ?${sessionId === undefined ? '' : ' AND session_id = ?'}`;
  const sql =
    scope === 'person'
      ? `SELECT arm, count(*) AS decisions, count(DISTINCT person_id) AS exposed,
           count(DISTINCT CASE WHEN converted > 0 THEN person_id END) AS converted
         FROM trigger_decisions WHERE ${where} AND person_id IS NOT NULL GROUP BY arm`
      : `SELECT arm, count(*) AS decisions, sum(exposed) AS exposed, sum(converted) AS converted
         FROM trigger_decisions WHERE ${where} AND person_id IS NULL AND exposed IS NOT NULL GROUP BY arm`;
  const empty = (): ArmCounts => ({ decisions: 0, exposed: 0, converted: 0 });
  const counts = { treated: empty(), holdout: empty() };
  const params = sessionId === undefined ? [ruleId, until] : [ruleId, until, sessionId];
  for (const row of db.prepare<unknown[], ArmCounts & { arm: 'treated' | 'holdout' }>(sql).all(...params)) {
    counts[row.arm] = { decisions: row.decisions, exposed: row.exposed, converted: row.converted };
  }
  return counts;
}

/** A session's decisions per rule: its name and scope as decided, and how many of each outcome. */
export function sessionOutcomes(db: Db, sessionId: string): { ruleId: string; name: string; scope: 'person' | 'room'; outcomes: Partial<Record<Outcome, number>> }[] {
  const rows = db
    .prepare<[string], { rule_id: string; name: string | null; scope: 'person' | 'room' | null; outcome: Outcome; n: number }>(
      `SELECT rule_id, max(json_extract(detail, '$.ruleName')) AS name, max(json_extract(detail, '$.scope')) AS scope, outcome, count(*) AS n
       FROM trigger_decisions WHERE session_id = ? GROUP BY rule_id, outcome ORDER BY rule_id`,
    )
    .all(sessionId);
  const rules = new Map<string, { ruleId: string; name: string; scope: 'person' | 'room'; outcomes: Partial<Record<Outcome, number>> }>();
  for (const row of rows) {
    let rule = rules.get(row.rule_id);
    if (!rule) rules.set(row.rule_id, (rule = { ruleId: row.rule_id, name: row.name ?? row.rule_id, scope: row.scope ?? 'person', outcomes: {} }));
    rule.outcomes[row.outcome] = row.n;
  }
  return [...rules.values()];
}
