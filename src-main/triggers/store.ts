// The saved trigger configuration: coupon templates (coupon_templates) and versioned rules in their
// evaluation order (trigger_rules), each stored as its checked JSON. A first start seeds the default
// pack; a rule is saved only under a higher version than the stored one, so that every decision's
// (rule id, version) names exactly the rule that made it.
import { parseJson } from '../shared/values';
import type { Db } from '../storage/db';
import { defaultRules, defaultTemplates } from './default-pack';
import { couponTemplateSchema, describeIssues, ruleSchema, templateIdsOf, templateSchema, MAX_RULES, MAX_TEMPLATES, type CouponTemplate, type TriggerRule } from './rules';

export interface TriggerConfig {
  rules: TriggerRule[];
  templates: CouponTemplate[];
}

/** Rules and templates as saved; with none saved yet (a first start), the default pack is saved and returned. */
export function loadTriggerConfig(db: Db): TriggerConfig {
  const empty = db.prepare('SELECT NOT EXISTS (SELECT 1 FROM trigger_rules) AND NOT EXISTS (SELECT 1 FROM coupon_templates)').pluck().get() === 1;
  if (empty) {
    db.transaction(() => {
      for (const template of defaultTemplates) insertTemplate(db, template);
      defaultRules.forEach((rule, i) => insertRule(db, rule, i + 1));
    })();
  }
  return {
    rules: stored(db, 'SELECT config FROM trigger_rules ORDER BY position', (v) => ruleSchema.safeParse(v)),
    templates: stored(db, 'SELECT config FROM coupon_templates ORDER BY id', (v) => templateSchema.safeParse(v)),
  };
}

/**
 * Saves a rule (a new one goes last) after checking it: its JSON, its templates, and its version,
 * which must be above the stored one's (or equal, with nothing changed). Returns the rule as stored.
 */
export function saveRule(db: Db, value: unknown): TriggerRule {
  const parsed = ruleSchema.safeParse(value);
  if (!parsed.success) throw new Error(`invalid rule: ${describeIssues(parsed.error)} (see docs/triggers.md)`);
  const rule = parsed.data;
  const template = db.prepare('SELECT 1 FROM coupon_templates WHERE id = ?');
  const missing = templateIdsOf(rule).find((id) => !template.get(id));
  if (missing) throw new Error(`rule ${rule.id}: no coupon template ${missing}`);
  const current = db.prepare<[string], { version: number; config: string }>('SELECT version, config FROM trigger_rules WHERE id = ?').get(rule.id);
  const config = JSON.stringify(rule);
  if (current && (rule.version < current.version || (rule.version === current.version && config !== current.config))) {
    throw new Error(`rule ${rule.id} is at version ${current.version}: save a change as version ${current.version + 1}`);
  }
  if (!current && (db.prepare('SELECT count(*) FROM trigger_rules').pluck().get() as number) >= MAX_RULES) throw new Error(`at most ${MAX_RULES} rules`);
  db.prepare(
    `INSERT INTO trigger_rules (id, version, position, config)
     VALUES (@id, @version, (SELECT coalesce(max(position), 0) + 1 FROM trigger_rules), @config)
     ON CONFLICT (id) DO UPDATE SET version = excluded.version, config = excluded.config`,
  ).run({ id: rule.id, version: rule.version, config });
  return rule;
}

/** Saves a coupon template, new or changed (stock already used stays used). Returns it as stored. */
export function saveTemplate(db: Db, value: unknown): CouponTemplate {
  const parsed = couponTemplateSchema.safeParse(value);
  if (!parsed.success) throw new Error(`invalid coupon template: ${describeIssues(parsed.error)} (see docs/triggers.md)`);
  const exists = db.prepare('SELECT 1 FROM coupon_templates WHERE id = ?').get(parsed.data.id);
  if (!exists && (db.prepare('SELECT count(*) FROM coupon_templates').pluck().get() as number) >= MAX_TEMPLATES) throw new Error(`at most ${MAX_TEMPLATES} coupon templates`);
  insertTemplate(db, parsed.data);
  return parsed.data;
}

function insertTemplate(db: Db, template: CouponTemplate): void {
  db.prepare('INSERT INTO coupon_templates (id, config) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET config = excluded.config').run(template.id, JSON.stringify(template));
}

function insertRule(db: Db, rule: TriggerRule, position: number): void {
  db.prepare('INSERT INTO trigger_rules (id, version, position, config) VALUES (?, ?, ?, ?)').run(rule.id, rule.version, position, JSON.stringify(rule));
}

/** Stored configs that still pass their schema (a row written by a newer LiveDeck may not). */
function stored<T>(db: Db, sql: string, parse: (value: unknown) => { success: true; data: T } | { success: false }): T[] {
  return (db.prepare(sql).pluck().all() as string[]).flatMap((config) => {
    const result = parse(parseJson(config));
    return result.success ? [result.data] : [];
  });
}
