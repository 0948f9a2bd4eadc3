// Writing a planned import (import-plan.ts) into the database: a transaction of about
// `WRITE_SLICE_MS` per turn of the event loop, rows in an order the B-trees take cheaply (see
// `PlanWriter.inserts`: identifiers in key order, with the index of identities by person dropped
// meanwhile and made again after them), WAL checkpoints in turns of their own; and the pending mark
// that lets an import cut short be cleaned up (`recoverInterruptedImport`).
import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/db';
import { readValue, removeValue, writeValue } from '../storage/settings-store';
import { identityTypes, type IdentityType } from './identity';
import { keyOrder } from './key-order';
import type { PlanRows } from './import-plan';

/** How long one transaction of a plan's writes runs (its commit comes on top) before the event loop turns. */
const WRITE_SLICE_MS = 30;
/** Write transactions between two WAL checkpoints (each in a turn of its own). */
const CHECKPOINT_EVERY = 6;
/** Rows per INSERT statement. */
const ROWS_PER_INSERT = 64;
/** Rows between looks at the clock; a transaction may end at each. */
const STEP_ROWS = 256;
/** The settings key of a planned import that has begun and not finished (see `recoverInterruptedImport`). */
const PENDING_KEY = 'profile_import_pending';
/** The index of identities by person, which a planned import drops while it writes identifiers. */
const PERSON_INDEX = 'identities_person';

/**
 * A planned import under way: the person ids it reserved, the merge-log ids it wrote, the last person
 * it wrote, and the index it dropped (its SQL).
 */
export interface Pending {
  persons: [number, number];
  log?: [number, number];
  written?: number;
  index?: string;
}

export function markPending(db: Db, pending: Pending): void {
  writeValue(db, PENDING_KEY, pending);
}

export function clearPending(db: Db): void {
  removeValue(db, PENDING_KEY);
}

/**
 * Clears up after a planned import cut short (a crash, a failed write): the index it dropped is made
 * again; its persons that got no identifier written are deleted (nothing can reach them), and so are
 * the merges it logged into persons it never wrote or just deleted. Persons that got some of their
 * identifiers stay, with their merges: importing the file again completes them, as it would after a
 * row-by-row import cut short.
 */
export function recoverInterruptedImport(db: Db): void {
  const pending = readValue(db, PENDING_KEY) as Pending | undefined;
  if (pending === undefined) return;
  const { persons, log, written = persons[0] - 1, index } = pending;
  db.transaction(() => {
    if (index !== undefined && !hasIndex(db, PERSON_INDEX)) db.exec(index);
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
    clearPending(db);
  })();
}

function hasIndex(db: Db, name: string): boolean {
  return db.prepare<[string], number>("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck().get(name) === 1;
}

/** Identifier types in the order the identities key sorts them. */
const TYPES_IN_KEY_ORDER = [...identityTypes].sort();

/** A type's identifiers, with their holders, and the order of their values in the key. */
interface Sorted {
  type: IdentityType;
  values: string[];
  heldBy: number[];
  order: Uint32Array;
}

/**
 * Writes a plan out, a turn's worth at a time (`slice`). Foreign keys are not checked meanwhile:
 * every row written refers to a person written before it (persons go first, and only the identifiers
 * and tags of persons the plan keeps are written), and unchecked, SQLite need not look each parent
 * up nor journal each statement. Only the import's own statements run with them off; the setting is
 * put back before anything else runs.
 */
export class PlanWriter {
  private readonly turns: Generator<void, void, void>;
  private readonly inserters: Inserter[] = [];
  private readonly total: number;
  private written = 0;
  private lastPerson?: number;
  private autoCheckpoint?: number;

  constructor(
    private readonly db: Db,
    private readonly plan: PlanRows,
    private pending: Pending,
  ) {
    let rows = plan.entries.length + plan.identifiers;
    for (let slot = 0; slot < plan.persons; slot++) {
      if (plan.gone[slot]) continue;
      rows++;
      for (let t = plan.tags.first(slot); t !== -1; t = plan.tags.next(t)) rows++;
    }
    this.total = rows;
    this.turns = this.allTurns();
  }

  /** Does the next turn's work: false once all of it is done. */
  slice(): boolean {
    const db = this.db;
    const checked = db.pragma('foreign_keys', { simple: true }) === 1;
    if (checked) db.pragma('foreign_keys = OFF');
    try {
      return !this.turns.next().done;
    } finally {
      if (checked) db.pragma('foreign_keys = ON');
    }
  }

  /** The share of the plan's rows written. */
  get share(): number {
    return this.total === 0 ? 1 : this.written / this.total;
  }

  /** Puts back the checkpoint setting, whether the writes finished or not. */
  close(): void {
    if (this.autoCheckpoint !== undefined) this.db.pragma(`wal_autocheckpoint = ${this.autoCheckpoint}`);
    this.autoCheckpoint = undefined;
  }

  /**
   * Each turn's work: the identifiers sorted (a turn per type), the rows written in transactions of
   * about `WRITE_SLICE_MS` (see `inserts`), the index by person made again, and the WAL checkpointed.
   * SQLite would checkpoint within the commit of every write transaction (each writes more than its
   * 1,000-page threshold); instead every `CHECKPOINT_EVERY` transactions a turn does.
   */
  private *allTurns(): Generator<void, void, void> {
    const db = this.db;
    const sorted: Sorted[] = [];
    for (const [type, { values, heldBy }] of this.identifiersByType()) {
      if (values.length === 0) continue;
      yield;
      sorted.push({ type, values, heldBy, order: keyOrder(values) });
    }
    this.autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 0');
    const inserts = this.inserts(sorted);
    for (let more = true, transactions = 1; more; transactions++) {
      yield;
      more = db.transaction(() => {
        const stop = performance.now() + WRITE_SLICE_MS;
        let going: boolean;
        do going = !inserts.next().done;
        while (going && performance.now() < stop);
        for (const inserter of this.inserters) inserter.flush();
        if (this.lastPerson !== this.pending.written) this.mark({ written: this.lastPerson });
        return going;
      })();
      if (more && transactions % CHECKPOINT_EVERY === 0) {
        yield;
        db.pragma('wal_checkpoint(PASSIVE)');
      }
    }
    if (this.pending.index !== undefined) {
      yield;
      db.pragma('wal_checkpoint(PASSIVE)');
      yield;
      db.transaction(() => {
        db.exec(this.pending.index!);
        this.mark({ index: undefined });
      })();
    }
    yield;
    db.pragma('wal_checkpoint(PASSIVE)');
    this.close();
  }

  /** Each type's identifiers (of the persons the plan keeps) and who holds them, types in key order. */
  private identifiersByType(): Map<IdentityType, { values: string[]; heldBy: number[] }> {
    const { plan } = this;
    const byType = new Map(TYPES_IN_KEY_ORDER.map((t) => [t, { values: [] as string[], heldBy: [] as number[] }]));
    for (let slot = 0; slot < plan.persons; slot++) {
      for (let i = plan.ids.first(slot); i !== -1; i = plan.ids.next(i)) {
        const list = byType.get(plan.idTypes[i])!;
        list.values.push(plan.idValues[i]);
        list.heldBy.push(plan.first + slot);
      }
    }
    return byType;
  }

  /**
   * The inserts, in steps of about `STEP_ROWS` rows. The merge log comes first, in the order it was
   * made, with its ids in the pending mark; then every person, then their tags, both in id order
   * (both keys start with the person id, so both grow at their end). Then the identifiers, one type
   * after the other, each type's in value order, so that the identities key grows at its end too; its
   * index by person, which would take them at random places, is dropped meanwhile and made again
   * afterwards in one sorted pass (`allTurns`). In any other order, some of the rows land at random
   * places of a B-tree, and as each transaction writes every page it changed, a page is written
   * many times over (in groups of 25,000 persons, each group's identifiers in key order, the best
   * such order measured: about 6 times the database's size in all, against 2 times).
   */
  private *inserts(sorted: Sorted[]): Generator<void, void, void> {
    const { db, plan } = this;
    if (plan.entries.length > 0) {
      const log = this.inserter('merge_log', ['id', 'from_person', 'to_person', 'cause', 'ts', 'detail']);
      const firstLog = (db.prepare<[], number | null>('SELECT max(id) FROM merge_log').pluck().get() ?? 0) + 1;
      this.mark({ log: [firstLog, firstLog + plan.entries.length - 1] });
      for (const [i, entry] of plan.entries.entries()) {
        log.values.push(firstLog + i, ...entry);
        log.added();
        this.written++;
        if (i % STEP_ROWS === STEP_ROWS - 1) yield;
      }
    }
    const persons = this.inserter('persons', ['id', 'created_at', 'updated_at', 'display_name', 'traits']);
    for (let start = 0; start < plan.persons; start += STEP_ROWS) {
      for (let slot = start, end = Math.min(plan.persons, start + STEP_ROWS); slot < end; slot++) {
        if (plan.gone[slot]) continue;
        const id = plan.first + slot;
        persons.values.push(id, plan.createdAt[slot], plan.updatedAt[slot], plan.names[slot], plan.traits[slot]);
        persons.added();
        this.written++;
        this.lastPerson = id;
      }
      yield;
    }
    const tags = this.inserter('tags', ['person_id', 'tag', 'source'], persons);
    for (let start = 0; start < plan.persons; start += STEP_ROWS) {
      for (let slot = start, end = Math.min(plan.persons, start + STEP_ROWS); slot < end; slot++) {
        for (let t = plan.tags.first(slot); t !== -1; t = plan.tags.next(t)) {
          tags.values.push(plan.first + slot, plan.tagTexts[t], plan.tagSources[t]);
          tags.added();
          this.written++;
        }
      }
      yield;
    }
    const index = db.prepare<[string], string>("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck().get(PERSON_INDEX);
    if (index !== undefined) {
      this.mark({ index });
      db.exec(`DROP INDEX ${PERSON_INDEX}`);
    }
    for (const { type, values, heldBy, order } of sorted) {
      const identities = this.inserter('identities', ['value', 'person_id'], persons, { type });
      for (let start = 0; start < order.length; start += STEP_ROWS) {
        const end = Math.min(order.length, start + STEP_ROWS);
        for (let k = start; k < end; k++) {
          identities.values.push(values[order[k]], heldBy[order[k]]);
          identities.added();
        }
        this.written += end - start;
        yield;
      }
    }
  }

  private inserter(table: string, columns: string[], parent?: Inserter, fixed: Record<string, string> = {}): Inserter {
    const inserter = new Inserter(this.db, table, columns, parent, fixed);
    this.inserters.push(inserter);
    return inserter;
  }

  private mark(change: Partial<Pending>): void {
    this.pending = { ...this.pending, ...change };
    markPending(this.db, this.pending);
  }
}

/**
 * Inserts into a table `ROWS_PER_INSERT` rows a statement, which costs SQLite a good deal less than a
 * statement a row; columns whose value is the same for every row (`fixed`) are written into the
 * statement rather than bound row by row.
 */
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
    private readonly parent: Inserter | undefined,
    fixed: Record<string, string>,
  ) {
    const literals = Object.values(fixed).map((v) => `'${v.replaceAll("'", "''")}'`);
    const row = `(${[...literals, ...columns.map(() => '?')].join(', ')})`;
    // OR FAIL: SQLite need not journal a statement to undo just its own rows, as it must for the
    // default ABORT. The rows never conflict; if one did, the error rolls the transaction back.
    const sql = `INSERT OR FAIL INTO ${table} (${[...Object.keys(fixed), ...columns].join(', ')}) VALUES `;
    this.many = db.prepare(sql + Array<string>(ROWS_PER_INSERT).fill(row).join(', '));
    this.one = db.prepare(sql + row);
  }

  /** After a row's values are pushed: inserts a statement's worth of rows once there are enough. */
  added(): void {
    if (this.values.length < this.columns.length * ROWS_PER_INSERT) return;
    this.parent?.flush();
    this.many.run(...this.values);
    this.values.length = 0;
  }

  /** Inserts every row added. */
  flush(): void {
    if (this.values.length === 0) return;
    this.parent?.flush();
    const width = this.columns.length;
    for (let i = 0; i < this.values.length; i += width) this.one.run(...this.values.slice(i, i + width));
    this.values.length = 0;
  }
}
