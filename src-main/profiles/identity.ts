// Identity resolution: which identifier types exist and how they may combine, junk filtering, and
// `resolve`, which finds or creates the person a record's identifiers belong to, merging persons
// into the oldest one and logging every merge, refusal and drop in `merge_log` so merges can be undone.
import type { Statement } from 'better-sqlite3';
import type { MergeView } from '../contract';
import type { Db } from '../storage/db';
import { hashPhone, normalisePhone, phoneSalt } from './phone';

export const platformUidTypes = [
  'douyin_uid',
  'kuaishou_uid',
  'wechat_uid',
  'bilibili_uid',
  'tiktok_uid',
  'taobao_uid',
] as const;
export const identityTypes = ['crm_id', 'union_id', 'phone', ...platformUidTypes, 'device_id'] as const;
export type IdentityType = (typeof identityTypes)[number];

export interface IdentityRule {
  /** 1 is the strongest. */
  priority: number;
  /** How many values of this type one person may hold. */
  limit: number;
  /** Two persons with different values of this type never merge. */
  unique: boolean;
}

const platformRule: IdentityRule = { priority: 4, limit: 1, unique: true };
export const identityRules: Record<IdentityType, IdentityRule> = {
  crm_id: { priority: 1, limit: 5, unique: false },
  union_id: { priority: 2, limit: 1, unique: true },
  phone: { priority: 3, limit: 2, unique: false },
  ...Object.fromEntries(platformUidTypes.map((t) => [t, platformRule])),
  device_id: { priority: 5, limit: 5, unique: false },
} as Record<IdentityType, IdentityRule>;

/** An identifier as stored: phones are already hashed. */
export interface Identifier {
  type: IdentityType;
  value: string;
}

const JUNK = new Set(['', '0', '-1', 'null', 'undefined', 'anonymous', '[object object]', 'nan']);

/** True for values that never identify anyone, quoted or not. */
export function isJunk(raw: string): boolean {
  let v = raw.trim();
  while (v.length >= 2 && /^(".*"|'.*')$/s.test(v)) v = v.slice(1, -1).trim();
  return JUNK.has(v.toLowerCase()) || /^0+$/.test(v);
}

export interface CleanedIdentifiers {
  ids: Identifier[];
  /** Types whose value was junk or failed the type's format. */
  rejected: IdentityType[];
}

/** Raw values by type → stored identifiers, with junk and malformed phones left out. */
export function cleanIdentifiers(db: Db, raw: Partial<Record<IdentityType, string>>): CleanedIdentifiers {
  const ids: Identifier[] = [];
  const rejected: IdentityType[] = [];
  for (const type of identityTypes) {
    const value = raw[type];
    if (value === undefined || value.trim() === '') continue;
    const stored = isJunk(value) ? undefined : storedValue(db, type, value);
    if (stored === undefined) rejected.push(type);
    else ids.push({ type, value: stored });
  }
  return { ids, rejected };
}

function storedValue(db: Db, type: IdentityType, value: string): string | undefined {
  if (type !== 'phone') return value.trim();
  const phone = normalisePhone(value);
  return phone === undefined ? undefined : hashPhone(phoneSalt(db), phone);
}

/** The statements a record's resolution runs, prepared once per database. */
interface Statements {
  personOf: Statement<[string, string], number>;
  identitiesOf: Statement<[number], Identifier>;
  insertIdentity: Statement<[string, string, number]>;
  insertPerson: Statement<[number, number]>;
  log: Statement<[number | null, number | null, string, number, string]>;
}

const prepared = new WeakMap<Db, Statements>();

function statements(db: Db): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      personOf: db
        .prepare<[string, string], number>('SELECT person_id FROM identities WHERE type = ? AND value = ?')
        .pluck(),
      identitiesOf: db.prepare<[number], Identifier>('SELECT type, value FROM identities WHERE person_id = ?'),
      insertIdentity: db.prepare('INSERT OR IGNORE INTO identities (type, value, person_id) VALUES (?, ?, ?)'),
      insertPerson: db.prepare("INSERT INTO persons (created_at, updated_at, traits) VALUES (?, ?, '{}')"),
      log: db.prepare('INSERT INTO merge_log (from_person, to_person, cause, ts, detail) VALUES (?, ?, ?, ?, ?)'),
    };
    prepared.set(db, s);
  }
  return s;
}

export type ResolveResult =
  | { personId: number; created: boolean; merged: number[]; dropped: Identifier[]; attached: number }
  | { refused: true; dropped: Identifier[] };

interface Violation {
  reason: 'unique_conflict' | 'limit_exceeded';
  type: IdentityType;
  persons: number[];
}

/**
 * The person `ids` belong to. While joining the matched persons and `ids` would break a rule, the
 * record's lowest-priority identifier (never crm_id) is dropped and the match retried; when nothing is
 * left to drop the record is refused. Matched persons merge into the oldest; new identifiers attach.
 */
export function resolve(db: Db, ids: Identifier[], now = Date.now()): ResolveResult {
  return resolveAmong(db, ids, now, matchingPersons);
}

/**
 * Resolution for one import, inside its transaction. When the store held no identifier as the import
 * began, only identifiers of the import's earlier records can be held, so a record carrying none of
 * those is resolved without looking its identifiers up; the rules still apply among them.
 */
export class ImportResolver {
  /**
   * Values of earlier records' identifiers, whatever their type (a value shared by two types only costs
   * a lookup); undefined when the store was not empty.
   */
  private readonly seen: Set<string> | undefined;

  constructor(private readonly db: Db) {
    const empty = db.prepare<[], number>('SELECT NOT EXISTS (SELECT 1 FROM identities)').pluck().get() === 1;
    this.seen = empty ? new Set() : undefined;
  }

  resolve(ids: Identifier[], now: number): ResolveResult {
    return resolveAmong(this.db, ids, now, this.unheld(ids) ? () => [] : matchingPersons);
  }

  /** Notes the identifiers; true when no person can hold any of them yet. */
  private unheld(ids: Identifier[]): boolean {
    const seen = this.seen;
    if (!seen) return false;
    let unheld = true;
    for (const id of ids) {
      const size = seen.size;
      if (seen.add(id.value).size === size) unheld = false;
    }
    return unheld;
  }
}

function resolveAmong(
  db: Db,
  ids: Identifier[],
  now: number,
  match: (db: Db, ids: Identifier[]) => number[],
): ResolveResult {
  let current = dedupe(ids);
  const dropped: Identifier[] = [];
  for (;;) {
    const persons = match(db, current);
    const violation = findViolation(db, persons, current);
    if (!violation) return settle(db, persons, current, dropped, now);
    log(db, null, null, 'refused', now, violation);
    const drop = lowestDroppable(current);
    if (!drop) return { refused: true, dropped };
    current = current.filter((id) => id !== drop);
    dropped.push(drop);
    log(db, null, null, 'dropped', now, { identifier: drop, because: violation.reason, type: violation.type });
  }
}

/** First occurrences only; a record has a handful of identifiers, so pairwise is cheapest. */
function dedupe(ids: Identifier[]): Identifier[] {
  return ids.filter((id, i) => ids.findIndex((other) => other.type === id.type && other.value === id.value) === i);
}

/** Persons holding any of `ids` (one each at most: the type and value are the key), oldest first. */
function matchingPersons(db: Db, ids: Identifier[]): number[] {
  const { personOf } = statements(db);
  const found = new Set<number>();
  for (const id of ids) {
    const person = personOf.get(id.type, id.value);
    if (person !== undefined) found.add(person);
  }
  if (found.size < 2) return [...found];
  const list = [...found];
  return db
    .prepare<number[], { id: number }>(
      `SELECT id FROM persons WHERE id IN (${list.map(() => '?').join(',')}) ORDER BY created_at, id`,
    )
    .all(...list)
    .map((r) => r.id);
}

function findViolation(db: Db, persons: number[], ids: Identifier[]): Violation | undefined {
  const values = new Map<IdentityType, Set<string>>();
  const add = (id: Identifier) => values.set(id.type, (values.get(id.type) ?? new Set()).add(id.value));
  for (const person of persons) identitiesOf(db, person).forEach(add);
  ids.forEach(add);
  for (const [type, set] of values) {
    const rule = identityRules[type];
    if (rule.unique && set.size > 1) return { reason: 'unique_conflict', type, persons };
    if (set.size > rule.limit) return { reason: 'limit_exceeded', type, persons };
  }
  return undefined;
}

function lowestDroppable(ids: Identifier[]): Identifier | undefined {
  const droppable = ids.filter((id) => id.type !== 'crm_id');
  return droppable.sort((a, b) => identityRules[b.type].priority - identityRules[a.type].priority)[0];
}

function settle(db: Db, persons: number[], ids: Identifier[], dropped: Identifier[], now: number): ResolveResult {
  const [oldest, ...others] = persons;
  const created = oldest === undefined;
  const personId = created ? createPerson(db, now) : oldest;
  for (const from of others) mergePersons(db, from, personId, now);
  const { insertIdentity } = statements(db);
  let attached = 0;
  for (const id of ids) attached += insertIdentity.run(id.type, id.value, personId).changes;
  return { personId, created, merged: others, dropped, attached };
}

function createPerson(db: Db, now: number): number {
  return Number(statements(db).insertPerson.run(now, now).lastInsertRowid);
}

interface PersonRow {
  id: number;
  created_at: number;
  updated_at: number;
  display_name: string | null;
  traits: string;
}

interface TagRow {
  tag: string;
  source: string;
  weight: number;
  expires_at: number | null;
}

interface MergeDetail {
  person: PersonRow;
  identities: Identifier[];
  tags: TagRow[];
  /** The from-person's tags the to-person did not already have. */
  movedTags: TagRow[];
}

function identitiesOf(db: Db, personId: number): Identifier[] {
  return statements(db).identitiesOf.all(personId);
}

function tagsOf(db: Db, personId: number): TagRow[] {
  return db
    .prepare<[number], TagRow>('SELECT tag, source, weight, expires_at FROM tags WHERE person_id = ?')
    .all(personId);
}

/** Moves everything of `from` into `to` (whose own traits win), deletes `from`, and logs how to undo it. */
function mergePersons(db: Db, from: number, to: number, now: number): void {
  const person = db.prepare<[number], PersonRow>('SELECT * FROM persons WHERE id = ?').get(from)!;
  const target = db.prepare<[number], PersonRow>('SELECT * FROM persons WHERE id = ?').get(to)!;
  const detail: MergeDetail = { person, identities: identitiesOf(db, from), tags: tagsOf(db, from), movedTags: [] };
  const held = new Set(tagsOf(db, to).map((t) => `${t.tag}\0${t.source}`));
  detail.movedTags = detail.tags.filter((t) => !held.has(`${t.tag}\0${t.source}`));
  db.prepare('UPDATE identities SET person_id = ? WHERE person_id = ?').run(to, from);
  db.prepare('UPDATE OR IGNORE tags SET person_id = ? WHERE person_id = ?').run(to, from);
  const traits = { ...JSON.parse(person.traits), ...JSON.parse(target.traits) } as Record<string, unknown>;
  db.prepare('UPDATE persons SET display_name = ?, traits = ?, updated_at = ? WHERE id = ?').run(
    target.display_name ?? person.display_name,
    JSON.stringify(traits),
    now,
    to,
  );
  db.prepare('DELETE FROM persons WHERE id = ?').run(from);
  log(db, from, to, 'merge', now, detail);
}

function log(db: Db, from: number | null, to: number | null, cause: string, ts: number, detail: object): void {
  statements(db).log.run(from, to, cause, ts, JSON.stringify(detail));
}

/**
 * Undoes merge `mergeId`: the from-person comes back with its row, identifiers and tags. Traits the
 * to-person gained from it stay.
 */
export function undoMerge(db: Db, mergeId: number): void {
  const row = db
    .prepare<[number], { to_person: number; cause: string; undone: number; detail: string }>(
      'SELECT to_person, cause, undone, detail FROM merge_log WHERE id = ?',
    )
    .get(mergeId);
  if (!row || row.cause !== 'merge') throw new Error(`no merge ${mergeId}`);
  if (row.undone) throw new Error(`merge ${mergeId} is already undone`);
  const { person, identities, tags, movedTags } = JSON.parse(row.detail) as MergeDetail;
  db.transaction(() => {
    db.prepare(
      'INSERT INTO persons (id, created_at, updated_at, display_name, traits) VALUES (@id, @created_at, @updated_at, @display_name, @traits)',
    ).run(person);
    const move = db.prepare('UPDATE identities SET person_id = ? WHERE type = ? AND value = ?');
    for (const id of identities) move.run(person.id, id.type, id.value);
    const unmove = db.prepare('DELETE FROM tags WHERE person_id = ? AND tag = ? AND source = ?');
    for (const t of movedTags) unmove.run(row.to_person, t.tag, t.source);
    const insert = db.prepare(
      'INSERT OR IGNORE INTO tags (person_id, tag, source, weight, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    for (const t of tags) insert.run(person.id, t.tag, t.source, t.weight, t.expires_at);
    db.prepare('UPDATE merge_log SET undone = 1 WHERE id = ?').run(mergeId);
  })();
}

/** The latest `limit` merge-log entries, newest first, described without identifier values. */
export function mergeLog(db: Db, limit: number): MergeView[] {
  return db
    .prepare<[number], { id: number; ts: number; cause: MergeView['cause']; from_person: number | null; to_person: number | null; undone: number; detail: string }>(
      'SELECT id, ts, cause, from_person, to_person, undone, detail FROM merge_log ORDER BY id DESC LIMIT ?',
    )
    .all(limit)
    .map((row) => ({
      id: row.id,
      ts: row.ts,
      cause: row.cause,
      fromPerson: row.from_person,
      toPerson: row.to_person,
      undone: row.undone === 1,
      detail: describe(row.cause, JSON.parse(row.detail) as Record<string, unknown>),
    }));
}

function describe(cause: MergeView['cause'], detail: Record<string, unknown>): string {
  if (cause === 'merge') {
    const { person, identities } = detail as unknown as MergeDetail;
    return [person.display_name ?? `#${person.id}`, ...new Set(identities.map((id) => id.type))].join(' · ');
  }
  if (cause === 'dropped') return `${(detail.identifier as Identifier | undefined)?.type ?? ''}: ${String(detail.because)}`;
  return `${String(detail.type)}: ${String(detail.reason)}`;
}
