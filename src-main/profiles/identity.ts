// Identity resolution: which identifier types exist and how they may combine, junk filtering, and
// `resolve`, which finds or creates the person a record's identifiers belong to, merging persons
// into the oldest one and logging every merge, refusal and drop in `merge_log` so merges can be undone.
// The rules work over an `IdentityStore`: the database, or an import's plan in memory (import.ts).
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
const LONGEST_JUNK = Math.max(...[...JUNK].map((j) => j.length));
/** The first character of each junk value, ASCII letters in lower case (`| 0x20`): most values are let through on it. */
const JUNK_STARTS = new Set([...JUNK].filter((j) => j !== '').map((j) => j.charCodeAt(0) | 0x20));
const [QUOTE, APOSTROPHE, ZERO] = [0x22, 0x27, 0x30];

/** True for values that never identify anyone, quoted or not. */
export function isJunk(raw: string): boolean {
  let v = raw.trim();
  while (v.length >= 2 && (v.charCodeAt(0) === QUOTE || v.charCodeAt(0) === APOSTROPHE) && /^(".*"|'.*')$/s.test(v)) v = v.slice(1, -1).trim();
  if (v.charCodeAt(0) === ZERO) return /^0+$/.test(v);
  return v.length <= LONGEST_JUNK && (v.length === 0 || JUNK_STARTS.has(v.charCodeAt(0) | 0x20)) && JUNK.has(v.toLowerCase());
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

/** A person's row, as `SELECT *` gives it (columns added by later migrations come along). */
export interface PersonRow {
  id: number;
  created_at: number;
  updated_at: number;
  display_name: string | null;
  traits: string;
}

export interface TagRow {
  tag: string;
  source: string;
  weight: number;
  expires_at: number | null;
}

/**
 * The rows resolution reads and changes: the database itself (`DbIdentityStore`), or the plan of an
 * import into a store that held no identifier, kept in memory and written out afterwards in key order
 * (import.ts). The rules below decide the same way over either; a store only keeps rows.
 */
export interface IdentityStore {
  readonly db: Db;
  /** The person holding the identifier. */
  holder(id: Identifier): number | undefined;
  /** `persons` oldest first: by creation time, then id. */
  oldestFirst(persons: number[]): number[];
  /** A person's identifiers, in (type, value) order as the database's key orders them. */
  identitiesOf(person: number): Identifier[];
  /** A person's tags, in (tag, source) order as the database's key orders them. */
  tagsOf(person: number): TagRow[];
  person(id: number): PersonRow;
  createPerson(now: number): number;
  /** Gives the person the identifier unless someone holds it already; true when it did. */
  attach(id: Identifier, person: number): boolean;
  /** Moves every identifier of `from` to `to`, and the tags `to` lacks (the rest stay with `from`). */
  moveInto(from: number, to: number): void;
  setProfile(person: number, name: string | null, traits: string, now: number): void;
  /** Deletes the person, with what still refers to it. */
  deletePerson(id: number): void;
  log(from: number | null, to: number | null, cause: string, ts: number, detail: object): void;
}

/** The statements of `DbIdentityStore`, prepared once per database. */
interface Statements {
  holder: Statement<[string, string], number>;
  identitiesOf: Statement<[number], Identifier>;
  tagsOf: Statement<[number], TagRow>;
  person: Statement<[number], PersonRow>;
  insertIdentity: Statement<[string, string, number]>;
  insertPerson: Statement<[number, number]>;
  moveIdentities: Statement<[number, number]>;
  moveTags: Statement<[number, number]>;
  setProfile: Statement<[string | null, string, number, number]>;
  deletePerson: Statement<[number]>;
  log: Statement<[number | null, number | null, string, number, string]>;
}

const prepared = new WeakMap<Db, Statements>();

function statements(db: Db): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      holder: db.prepare<[string, string], number>('SELECT person_id FROM identities WHERE type = ? AND value = ?').pluck(),
      identitiesOf: db.prepare<[number], Identifier>('SELECT type, value FROM identities WHERE person_id = ? ORDER BY type, value'),
      tagsOf: db.prepare<[number], TagRow>(
        'SELECT tag, source, weight, expires_at FROM tags WHERE person_id = ? ORDER BY tag, source',
      ),
      person: db.prepare<[number], PersonRow>('SELECT * FROM persons WHERE id = ?'),
      insertIdentity: db.prepare('INSERT OR IGNORE INTO identities (type, value, person_id) VALUES (?, ?, ?)'),
      insertPerson: db.prepare("INSERT INTO persons (created_at, updated_at, traits) VALUES (?, ?, '{}')"),
      moveIdentities: db.prepare('UPDATE identities SET person_id = ? WHERE person_id = ?'),
      moveTags: db.prepare('UPDATE OR IGNORE tags SET person_id = ? WHERE person_id = ?'),
      setProfile: db.prepare('UPDATE persons SET display_name = ?, traits = ?, updated_at = ? WHERE id = ?'),
      deletePerson: db.prepare('DELETE FROM persons WHERE id = ?'),
      log: db.prepare('INSERT INTO merge_log (from_person, to_person, cause, ts, detail) VALUES (?, ?, ?, ?, ?)'),
    };
    prepared.set(db, s);
  }
  return s;
}

/** The database as the store resolution works on. */
export class DbIdentityStore implements IdentityStore {
  private readonly s: Statements;

  constructor(readonly db: Db) {
    this.s = statements(db);
  }

  holder(id: Identifier): number | undefined {
    return this.s.holder.get(id.type, id.value);
  }

  oldestFirst(persons: number[]): number[] {
    return this.db
      .prepare<number[], number>(`SELECT id FROM persons WHERE id IN (${persons.map(() => '?').join(',')}) ORDER BY created_at, id`)
      .pluck()
      .all(...persons);
  }

  identitiesOf(person: number): Identifier[] {
    return this.s.identitiesOf.all(person);
  }

  tagsOf(person: number): TagRow[] {
    return this.s.tagsOf.all(person);
  }

  person(id: number): PersonRow {
    return this.s.person.get(id)!;
  }

  createPerson(now: number): number {
    return Number(this.s.insertPerson.run(now, now).lastInsertRowid);
  }

  attach(id: Identifier, person: number): boolean {
    return this.s.insertIdentity.run(id.type, id.value, person).changes > 0;
  }

  moveInto(from: number, to: number): void {
    this.s.moveIdentities.run(to, from);
    this.s.moveTags.run(to, from);
  }

  setProfile(person: number, name: string | null, traits: string, now: number): void {
    this.s.setProfile.run(name, traits, now, person);
  }

  deletePerson(id: number): void {
    this.s.deletePerson.run(id);
  }

  log(from: number | null, to: number | null, cause: string, ts: number, detail: object): void {
    this.s.log.run(from, to, cause, ts, JSON.stringify(detail));
  }
}

const dbStores = new WeakMap<Db, DbIdentityStore>();

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
  let store = dbStores.get(db);
  if (!store) dbStores.set(db, (store = new DbIdentityStore(db)));
  return resolveIn(store, ids, now);
}

/** `resolve` over a store: the database, or an import's plan. */
export function resolveIn(store: IdentityStore, ids: Identifier[], now: number): ResolveResult {
  let current = dedupe(ids);
  const dropped: Identifier[] = [];
  for (;;) {
    const persons = matchingPersons(store, current);
    const violation = findViolation(store, persons, current);
    if (!violation) return settle(store, persons, current, dropped, now);
    store.log(null, null, 'refused', now, violation);
    const drop = lowestDroppable(current);
    if (!drop) return { refused: true, dropped };
    current = current.filter((id) => id !== drop);
    dropped.push(drop);
    store.log(null, null, 'dropped', now, { identifier: drop, because: violation.reason, type: violation.type });
  }
}

/** First occurrences only; a record has a handful of identifiers, so pairwise is cheapest. */
function dedupe(ids: Identifier[]): Identifier[] {
  if (distinctTypes(ids)) return ids;
  return ids.filter((id, i) => ids.findIndex((other) => other.type === id.type && other.value === id.value) === i);
}

/** True when no two of `ids` have the same type, as in any record. */
function distinctTypes(ids: Identifier[]): boolean {
  for (let i = 1; i < ids.length; i++) for (let j = 0; j < i; j++) if (ids[i].type === ids[j].type) return false;
  return true;
}

/** Persons holding any of `ids` (one each at most: the type and value are the key), oldest first. */
function matchingPersons(store: IdentityStore, ids: Identifier[]): number[] {
  const found: number[] = [];
  for (const id of ids) {
    const person = store.holder(id);
    if (person !== undefined && !found.includes(person)) found.push(person);
  }
  return found.length < 2 ? found : store.oldestFirst(found);
}

function findViolation(store: IdentityStore, persons: number[], ids: Identifier[]): Violation | undefined {
  // Alone, one value of each type breaks no rule: every type's limit is at least one.
  if (persons.length === 0 && distinctTypes(ids)) return undefined;
  const values = new Map<IdentityType, Set<string>>();
  const add = (id: Identifier) => values.set(id.type, (values.get(id.type) ?? new Set()).add(id.value));
  for (const person of persons) store.identitiesOf(person).forEach(add);
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

function settle(store: IdentityStore, persons: number[], ids: Identifier[], dropped: Identifier[], now: number): ResolveResult {
  const [oldest, ...others] = persons;
  const created = oldest === undefined;
  const personId = created ? store.createPerson(now) : oldest;
  for (const from of others) mergePersons(store, from, personId, now);
  let attached = 0;
  for (const id of ids) if (store.attach(id, personId)) attached++;
  return { personId, created, merged: others, dropped, attached };
}

interface MergeDetail {
  person: PersonRow;
  identities: Identifier[];
  tags: TagRow[];
  /** The from-person's tags the to-person did not already have. */
  movedTags: TagRow[];
}

/** Moves everything of `from` into `to` (whose own traits win), deletes `from`, and logs how to undo it. */
function mergePersons(store: IdentityStore, from: number, to: number, now: number): void {
  const person = store.person(from);
  const target = store.person(to);
  const detail: MergeDetail = { person, identities: store.identitiesOf(from), tags: store.tagsOf(from), movedTags: [] };
  const held = new Set(store.tagsOf(to).map((t) => `${t.tag}\0${t.source}`));
  detail.movedTags = detail.tags.filter((t) => !held.has(`${t.tag}\0${t.source}`));
  store.moveInto(from, to);
  const traits = { ...JSON.parse(person.traits), ...JSON.parse(target.traits) } as Record<string, unknown>;
  store.setProfile(to, target.display_name ?? person.display_name, JSON.stringify(traits), now);
  store.deletePerson(from);
  store.log(from, to, 'merge', now, detail);
}

/**
 * Compares text as SQLite's BINARY collation orders it: by UTF-8 bytes, that is by code point, where
 * JavaScript's `<` compares UTF-16 units (a character above U+FFFF would sort before U+E000–U+FFFF).
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    return x >= 0xd800 && y >= 0xd800 ? codePointRank(x) - codePointRank(y) : x - y;
  }
  return a.length - b.length;
}

/** A UTF-16 unit from U+D800 up, ranked so that surrogates come after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
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
