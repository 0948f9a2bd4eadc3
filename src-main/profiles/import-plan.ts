// A planned import (the bulk path of import.ts): into a store that holds no identifier yet, the rows
// are applied to a plan in memory — the same rules deciding, over the same `RecordStore` interface as
// the database — and the plan is then written out in an order the database's B-trees take cheaply
// (see `ImportPlan.writes`), with ids reserved up front and a pending marker so that an import cut
// short is cleaned up before the next one.

import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/db';
import { readValue, removeValue, writeValue } from '../storage/settings-store';
import { reservePersonIds } from './person-ids';
import { compareText, identityTypes, type Identifier, type IdentityType, type PersonRow, type TagRow } from './identity';
import type { ProfileRow, RecordStore } from './records';

/**
 * How long one transaction of a plan's writes runs (its commit comes on top) before letting the
 * event loop turn.
 */
export const SLICE_MS = 30;
/** Persons per group of a plan's writes (see `ImportPlan.writes`). */
const WRITE_GROUP_PERSONS = 25_000;
/** Rows per INSERT statement of a plan's writes. */
const ROWS_PER_INSERT = 32;
/** Rows of a plan's writes between looks at the clock; a transaction may end at each. */
const STEP_ROWS = 256;
/** The settings key of a planned import that has begun and not finished (see `recoverInterruptedImport`). */
const PENDING_KEY = 'profile_import_pending';

export function holdsNoIdentifier(db: Db): boolean {
  return db.prepare<[], number>('SELECT NOT EXISTS (SELECT 1 FROM identities)').pluck().get() === 1;
}

/** A planned import under way: the person ids it reserved, the merge-log ids it wrote, the last person it wrote. */
interface Pending {
  persons: [number, number];
  log?: [number, number];
  written?: number;
}


/**
 * Clears up after a planned import cut short (a crash, a failed write): its persons that got no
 * identifier written are deleted (nothing can reach them), and so are the merges it logged into
 * persons it never wrote or just deleted. Persons that got some of their identifiers stay, with their
 * merges: importing the file again completes them, as it would after a row-by-row import cut short.
 */
export function recoverInterruptedImport(db: Db): void {
  const pending = readValue(db, PENDING_KEY) as Pending | undefined;
  if (pending === undefined) return;
  const { persons, log, written = persons[0] - 1 } = pending;
  db.transaction(() => {
    const unreached = db
      .prepare<[number, number], number>(
        'SELECT id FROM persons WHERE id BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM identities WHERE person_id = persons.id)',
      )
      .pluck()
      .all(...persons);
    const remove = db.prepare('DELETE FROM persons WHERE id = ?');
    for (const id of unreached) remove.run(id);
    if (log) {
      const gone = new Set(unreached);
      const merges = db
        .prepare<[number, number], { id: number; from_person: number; to_person: number }>(
          "SELECT id, from_person, to_person FROM merge_log WHERE id BETWEEN ? AND ? AND cause = 'merge' ORDER BY id",
        )
        .all(...log);
      const into = new Map(merges.map((m) => [m.from_person, m.to_person]));
      const unlog = db.prepare('DELETE FROM merge_log WHERE id = ?');
      for (const m of merges) {
        let person = m.to_person;
        while (into.has(person)) person = into.get(person)!;
        if (person > written || gone.has(person)) unlog.run(m.id);
      }
    }
    removeValue(db, PENDING_KEY);
  })();
}

/** A person of a plan: the row, identifiers and tags it will be written with. */
interface PlannedPerson {
  row: PersonRow;
  ids: Identifier[];
  tags: TagRow[];
}

type LogEntry = [from: number | null, to: number | null, cause: string, ts: number, detail: string];

/** Identifier types in the order the identities key sorts them. */
const TYPES_IN_KEY_ORDER = [...identityTypes].sort();

/**
 * An import into a store that held no identifier, applied in memory: the rows it would write, kept as
 * the database would keep them, so that the rules decide exactly as they would over the database.
 * Person ids are those the database would give (the block is reserved up front, so that nothing
 * takes them meanwhile) and merge-log entries come in the same order, so the plan, once written, is
 * what applying the rows one by one would have left.
 */
export class ImportPlan implements RecordStore {
  private readonly people: (PlannedPerson | undefined)[] = [];
  private readonly holders = new Map<IdentityType, Map<string, number>>(identityTypes.map((t) => [t, new Map()]));
  private readonly entries: LogEntry[] = [];
  private writing?: { steps: Generator<void, void, void>; inserters: Inserter[] };
  private written = 0;
  private toWrite = 0;
  /** The pending mark as written last, and the last person the writes have added. */
  private pending: Pending;
  private lastPerson?: number;

  private constructor(
    readonly db: Db,
    /** The first person id, and the last one reserved. */
    private readonly first: number,
    private readonly reserved: number,
    /** A new person's row: every column, at its default. */
    private readonly template: PersonRow,
  ) {
    this.pending = { persons: [first, reserved] };
  }

  /** A plan of `rows` rows: an id per row reserved and the import marked pending, in one transaction. */
  static begin(db: Db, rows: number): ImportPlan {
    return db.transaction(() => {
      const first = reservePersonIds(db, rows);
      const reserved = first - 1 + rows;
      const plan = new ImportPlan(db, first, reserved, personTemplate(db));
      writeValue(db, PENDING_KEY, plan.pending);
      return plan;
    })();
  }

  holder(id: Identifier): number | undefined {
    return this.holders.get(id.type)!.get(id.value);
  }

  oldestFirst(persons: number[]): number[] {
    return [...persons].sort((a, b) => this.planned(a).row.created_at - this.planned(b).row.created_at || a - b);
  }

  identitiesOf(person: number): Identifier[] {
    return [...this.planned(person).ids].sort((a, b) => compareText(a.type, b.type) || compareText(a.value, b.value));
  }

  tagsOf(person: number): TagRow[] {
    return this.planned(person)
      .tags.map((t) => ({ ...t }))
      .sort((a, b) => compareText(a.tag, b.tag) || compareText(a.source, b.source));
  }

  person(id: number): PersonRow {
    return { ...this.planned(id).row };
  }

  profile(person: number): ProfileRow {
    return this.planned(person).row;
  }

  createPerson(now: number): number {
    const id = this.first + this.people.length;
    if (id > this.reserved) throw new Error('an import made more persons than it has rows');
    this.people.push({ row: { ...this.template, id, created_at: now, updated_at: now }, ids: [], tags: [] });
    return id;
  }

  attach(id: Identifier, person: number): boolean {
    const held = this.holders.get(id.type)!;
    if (held.has(id.value)) return false;
    held.set(id.value, person);
    this.planned(person).ids.push(id);
    return true;
  }

  moveInto(from: number, to: number): void {
    const source = this.planned(from);
    const target = this.planned(to);
    for (const id of source.ids) this.holders.get(id.type)!.set(id.value, to);
    target.ids.push(...source.ids);
    source.ids = [];
    const left: TagRow[] = [];
    for (const t of source.tags) (hasTag(target.tags, t.tag, t.source) ? left : target.tags).push(t);
    source.tags = left;
  }

  setProfile(person: number, name: string | null, traits: string, now: number): void {
    const { row } = this.planned(person);
    row.display_name = name;
    row.traits = traits;
    row.updated_at = now;
  }

  deletePerson(id: number): void {
    this.planned(id);
    this.people[id - this.first] = undefined;
  }

  addTag(person: number, tag: string, source: string): boolean {
    const { tags } = this.planned(person);
    if (hasTag(tags, tag, source)) return false;
    tags.push({ tag, source, weight: 1, expires_at: null });
    return true;
  }

  putOrder(): boolean {
    throw new Error('an imported file has no order lines');
  }

  log(from: number | null, to: number | null, cause: string, ts: number, detail: object): void {
    this.entries.push([from, to, cause, ts, JSON.stringify(detail)]);
  }

  /**
   * Writes the plan on, in one transaction of about `SLICE_MS`; false once all of it is written.
   * Foreign keys are not checked meanwhile: every row a plan writes refers to a person it wrote
   * before (`Inserter`'s parent), and unchecked, the identities and tags go in several to a
   * statement without SQLite journaling each statement — together about a third cheaper. Only the
   * import's own statements run with them off; the setting is put back before anything else runs.
   */
  writeSlice(): boolean {
    const db = this.db;
    this.writing ??= this.startWrites();
    const { steps, inserters } = this.writing;
    const checked = db.pragma('foreign_keys', { simple: true }) === 1;
    if (checked) db.pragma('foreign_keys = OFF');
    try {
      return db.transaction(() => {
        const stop = performance.now() + SLICE_MS;
        let more: boolean;
        do more = !steps.next().done;
        while (more && performance.now() < stop);
        for (const inserter of inserters) inserter.flush();
        if (this.lastPerson !== this.pending.written) this.markPending({ written: this.lastPerson });
        return more;
      })();
    } finally {
      if (checked) db.pragma('foreign_keys = ON');
    }
  }

  /** The share of the plan's rows written. */
  get writtenShare(): number {
    return this.toWrite === 0 ? 1 : this.written / this.toWrite;
  }

  /** In the import's last transaction: the pending mark goes, and reserved ids no person got are given back. */
  finish(): void {
    const last = this.first + this.people.length - 1;
    this.db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'persons' AND seq = ?").run(last, this.reserved);
    removeValue(this.db, PENDING_KEY);
  }

  private startWrites(): NonNullable<ImportPlan['writing']> {
    const db = this.db;
    const log = new Inserter(db, 'merge_log', ['id', 'from_person', 'to_person', 'cause', 'ts', 'detail']);
    const persons = new Inserter(db, 'persons', ['id', 'created_at', 'updated_at', 'display_name', 'traits']);
    const tags = new Inserter(db, 'tags', ['person_id', 'tag', 'source', 'weight', 'expires_at'], persons);
    const identities = new Inserter(db, 'identities', ['type', 'value', 'person_id'], persons);
    return { steps: this.writes(log, persons, tags, identities), inserters: [log, persons, tags, identities] };
  }

  /**
   * The plan's inserts, in steps of about `STEP_ROWS` rows. The merge log comes first, in the order it
   * was made, with its ids in the pending mark. Then the persons, in groups of `WRITE_GROUP_PERSONS`
   * by id: each group's persons, then their tags (both appended: both keys start with the person id),
   * then its identifiers in (type, value) order, near enough. Identifiers in file order land at random
   * places of the identities key; sorted all at once by that key, they would land at random places of
   * its index by person instead (measured slower still). Per group, the index grows at its end and the
   * key takes one ordered pass per type.
   */
  private *writes(log: Inserter, persons: Inserter, tags: Inserter, identities: Inserter): Generator<void, void, void> {
    const db = this.db;
    const people = this.people.filter((p) => p !== undefined);
    this.toWrite = this.entries.length + people.reduce((n, p) => n + 1 + p.tags.length + p.ids.length, 0);
    let rows = 0;
    const stepEnds = (added: number): boolean => {
      this.written += added;
      rows += added;
      if (rows < STEP_ROWS) return false;
      rows = 0;
      return true;
    };
    if (this.entries.length > 0) {
      const firstLog = (db.prepare<[], number | null>('SELECT max(id) FROM merge_log').pluck().get() ?? 0) + 1;
      this.markPending({ log: [firstLog, firstLog + this.entries.length - 1] });
      for (const [i, entry] of this.entries.entries()) {
        log.values.push(firstLog + i, ...entry);
        log.added();
        if (stepEnds(1)) yield;
      }
    }
    for (let start = 0; start < people.length; start += WRITE_GROUP_PERSONS) {
      const group = people.slice(start, start + WRITE_GROUP_PERSONS);
      const byType = new Map<IdentityType, { values: string[]; heldBy: number[] }>(
        TYPES_IN_KEY_ORDER.map((t) => [t, { values: [], heldBy: [] }]),
      );
      for (const { row } of group) {
        persons.values.push(row.id, row.created_at, row.updated_at, row.display_name, row.traits);
        persons.added();
        this.lastPerson = row.id;
        if (stepEnds(1)) yield;
      }
      for (const { row, tags: personTags, ids } of group) {
        for (const t of personTags) {
          tags.values.push(row.id, t.tag, t.source, t.weight, t.expires_at);
          tags.added();
        }
        for (const id of ids) {
          const list = byType.get(id.type)!;
          list.values.push(id.value);
          list.heldBy.push(row.id);
        }
        if (stepEnds(personTags.length)) yield;
      }
      for (const [type, { values, heldBy }] of byType) {
        for (const i of nearlySorted(values)) {
          identities.values.push(type, values[i], heldBy[i]);
          identities.added();
          if (stepEnds(1)) yield;
        }
      }
    }
  }

  private markPending(change: Partial<Pending>): void {
    this.pending = { ...this.pending, ...change };
    writeValue(this.db, PENDING_KEY, this.pending);
  }

  private planned(id: number): PlannedPerson {
    const person = this.people[id - this.first];
    if (!person) throw new Error(`no planned person ${id}`);
    return person;
  }
}

/** Inserts into a table `ROWS_PER_INSERT` rows a statement, which costs SQLite a good deal less than a statement a row. */
class Inserter {
  /** The values of the rows added and not inserted yet, row after row. */
  readonly values: unknown[] = [];
  private readonly many: Statement<unknown[]>;
  private readonly one: Statement<unknown[]>;

  constructor(
    db: Db,
    table: string,
    private readonly columns: string[],
    /** The inserter of the rows these refer to: flushed first. */
    private readonly parent?: Inserter,
  ) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    // OR FAIL: SQLite need not journal a statement to undo just its own rows, as it must for the
    // default ABORT. The rows never conflict; if one did, the error rolls the transaction back.
    const sql = `INSERT OR FAIL INTO ${table} (${columns.join(', ')}) VALUES `;
    this.many = db.prepare(sql + Array<string>(ROWS_PER_INSERT).fill(row).join(', '));
    this.one = db.prepare(sql + row);
  }

  /** After a row's values are pushed: inserts a statement's worth of rows once there are enough. */
  added(): void {
    if (this.values.length < this.columns.length * ROWS_PER_INSERT) return;
    this.parent?.flush();
    this.many.run(this.values);
    this.values.length = 0;
  }

  /** Inserts every row added. */
  flush(): void {
    if (this.values.length === 0) return;
    this.parent?.flush();
    const width = this.columns.length;
    for (let i = 0; i < this.values.length; i += width) this.one.run(this.values.slice(i, i + width));
    this.values.length = 0;
  }
}

/**
 * Positions of `values` in order of their first few characters past the prefix all of them share:
 * near enough to the key's order for consecutive inserts to land on the same pages (only speed depends
 * on it), and several times cheaper than sorting the strings. Each value's leading characters (7 bits
 * each, higher ones capped) and its position are packed into one number, and the numbers sorted.
 */
function nearlySorted(values: string[]): Uint32Array {
  const n = values.length;
  let shared = n === 0 ? 0 : values[0].length;
  for (const v of values) {
    let i = 0;
    while (i < shared && v.charCodeAt(i) === values[0].charCodeAt(i)) i++;
    shared = i;
  }
  const positionBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const chars = Math.floor((53 - positionBits) / 7);
  const slots = 2 ** positionBits;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let key = 0;
    for (let c = shared; c < shared + chars; c++) key = key * 128 + (c < v.length ? Math.min(v.charCodeAt(c), 127) : 0);
    keys[i] = key * slots + i;
  }
  keys.sort();
  return Uint32Array.from(keys, (k) => k % slots);
}

function hasTag(tags: TagRow[], tag: string, source: string): boolean {
  return tags.some((t) => t.tag === tag && t.source === source);
}

/** A row of `persons` with every column at its default, as a row the database creates starts. */
function personTemplate(db: Db): PersonRow {
  const columns = db
    .prepare<[], { name: string; dflt_value: string | null }>("SELECT name, dflt_value FROM pragma_table_info('persons')")
    .all();
  const value = (sql: string | null) => (sql === null ? null : db.prepare(`SELECT ${sql}`).pluck().get());
  return Object.fromEntries(columns.map((c) => [c.name, value(c.dflt_value)])) as unknown as PersonRow;
}

