// A planned import (the bulk path of import.ts): into a store that holds no identifier yet, the rows
// are applied to a plan in memory — the same rules deciding, over the same `RecordStore` interface as
// the database — kept as parallel arrays rather than an object per row, and then written out in bulk
// (import-write.ts), with ids reserved up front and a pending mark so that an import cut short is
// cleaned up before the next one.
import type { Db } from '../storage/db';
import { clearPending, markPending, type Pending } from './import-write';
import { reservePersonIds } from './person-ids';
import { compareText, identityTypes, type Identifier, type IdentityType, type PersonRow, type TagRow } from './identity';
import type { ProfileRow, RecordStore } from './records';

/** How long the import works on (reading, resolving rows) before letting the event loop turn. */
export const SLICE_MS = 30;
/** Identifiers per row a plan's table of identifiers is first made for. */
const EXPECTED_IDS_PER_ROW = 4;

export function holdsNoIdentifier(db: Db): boolean {
  return db.prepare<[], number>('SELECT NOT EXISTS (SELECT 1 FROM identities)').pluck().get() === 1;
}

export type LogEntry = [from: number | null, to: number | null, cause: string, ts: number, detail: string];

/**
 * A plan's identifiers by type and value: an open-addressing table of 32-bit hashes (`valueHash`),
 * each beside its identifier's number, checked against the type and value on a match. A lookup that
 * finds nothing, as most do in a first load, costs one look at the table where a `Map` of strings
 * costs several, and the table holds numbers only.
 */
class IdentifierTable {
  /** Per slot: the hash, then the identifier's number + 1 (0 for an empty slot, -1 where one was removed: probes go on past it). */
  private cells: Int32Array;
  private used = 0;
  size = 0;
  /** Where the last `find` stopped, and the hash it looked for: where `addFound` puts an identifier. */
  private lastSlot = 0;
  private lastHash = 0;

  constructor(
    private readonly types: readonly string[],
    private readonly values: readonly string[],
    /** How many identifiers the table is first made for (it grows past that). */
    expected: number,
  ) {
    let slots = 1024;
    while (slots < expected * 2) slots *= 2;
    this.cells = new Int32Array(slots * 2);
  }

  /** The identifier with this type and value, whose `valueHash` is `h`, or -1. */
  find(type: string, value: string, h: number): number {
    const { cells } = this;
    const mask = cells.length / 2 - 1;
    let slot = h & mask;
    for (let tag = cells[2 * slot + 1]; tag !== 0; slot = (slot + 1) & mask, tag = cells[2 * slot + 1]) {
      if (cells[2 * slot] === h && tag > 0 && this.values[tag - 1] === value && this.types[tag - 1] === type) return tag - 1;
    }
    this.lastSlot = slot;
    this.lastHash = h;
    return -1;
  }

  /** Adds identifier `item`, whose type and value the last `find` looked for and did not find. */
  addFound(item: number): void {
    this.cells[2 * this.lastSlot] = this.lastHash;
    this.cells[2 * this.lastSlot + 1] = item + 1;
    this.size++;
    if (++this.used * 2 > this.cells.length / 2) this.grow();
  }

  remove(item: number): void {
    const mask = this.cells.length / 2 - 1;
    let slot = valueHash(this.types[item], this.values[item]) & mask;
    while (this.cells[2 * slot + 1] !== item + 1) slot = (slot + 1) & mask;
    this.cells[2 * slot + 1] = -1;
    this.size--;
  }

  private grow(): void {
    const old = this.cells;
    this.cells = new Int32Array(old.length * 2);
    const mask = this.cells.length / 2 - 1;
    this.used = 0;
    for (let at = 0; at < old.length; at += 2) {
      if (old[at + 1] <= 0) continue;
      let slot = old[at] & mask;
      while (this.cells[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      this.cells[2 * slot] = old[at];
      this.cells[2 * slot + 1] = old[at + 1];
      this.used++;
    }
  }
}

/** A seed per identifier type, so that equal values of two types hash apart. */
const TYPE_SEEDS = new Map<string, number>(identityTypes.map((t, i) => [t, Math.imul(0x811c9dc5 ^ (i + 1), 0x9e3779b1)]));

/** A 32-bit hash of an identifier: FNV-1a steps over the value from its type's seed, then murmur3's finaliser. */
function valueHash(type: string, value: string): number {
  let h = TYPE_SEEDS.get(type)!;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Items (a plan's identifiers, or its tags) kept in one list per person slot, numbered as they are
 * added: a few numbers in typed arrays per item rather than an object, so that a plan of hundreds of
 * thousands of rows costs the garbage collector little.
 */
export class Lists {
  /** Each slot's first item, -1 for none. */
  private readonly heads: Int32Array;
  /** Each item's slot, and the next item of that slot (-1 for none). */
  private slots: Int32Array;
  private nexts: Int32Array;
  /** Items added. */
  size = 0;

  constructor(slots: number, expected: number) {
    this.heads = new Int32Array(slots).fill(-1);
    this.slots = new Int32Array(Math.max(16, expected));
    this.nexts = new Int32Array(Math.max(16, expected));
  }

  /** A new item at the head of `slot`'s list; returns its number. */
  add(slot: number): number {
    const item = this.size++;
    if (item === this.nexts.length) {
      this.slots = grown(this.slots);
      this.nexts = grown(this.nexts);
    }
    this.nexts[item] = this.heads[slot];
    this.slots[item] = slot;
    this.heads[slot] = item;
    return item;
  }

  first(slot: number): number {
    return this.heads[slot];
  }

  next(item: number): number {
    return this.nexts[item];
  }

  slot(item: number): number {
    return this.slots[item];
  }

  /** Moves `from`'s items into `to`'s list, but those `stays` holds for. */
  move(from: number, to: number, stays: (item: number) => boolean = () => false): void {
    let kept = -1;
    for (let item = this.heads[from]; item !== -1; ) {
      const next = this.nexts[item];
      if (stays(item)) {
        this.nexts[item] = kept;
        kept = item;
      } else {
        this.nexts[item] = this.heads[to];
        this.heads[to] = item;
        this.slots[item] = to;
      }
      item = next;
    }
    this.heads[from] = kept;
  }

  clear(slot: number): void {
    this.heads[slot] = -1;
  }
}

function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** What a plan will write: persons by slot (id - first), and their tags and identifiers, listed by slot. */
export interface PlanRows {
  readonly first: number;
  /** Slots used. */
  readonly persons: number;
  readonly createdAt: Float64Array;
  readonly updatedAt: Float64Array;
  readonly names: readonly (string | null)[];
  readonly traits: readonly string[];
  /** 1 for a person deleted since (merged into another). */
  readonly gone: Uint8Array;
  readonly ids: Lists;
  readonly idTypes: readonly IdentityType[];
  readonly idValues: readonly string[];
  /** How many identifiers persons hold. */
  readonly identifiers: number;
  readonly tags: Lists;
  readonly tagTexts: readonly string[];
  readonly tagSources: readonly string[];
  /** Merge-log entries, in the order they were made. */
  readonly entries: readonly LogEntry[];
}

/**
 * An import into a store that held no identifier, applied in memory: the rows it would write, kept as
 * the database would keep them, so that the rules decide exactly as they would over the database.
 * Person ids are those the database would give (the block is reserved up front, so that nothing
 * takes them meanwhile) and merge-log entries come in the same order, so the plan, once written, is
 * what applying the rows one by one would have left.
 */
export class ImportPlan implements RecordStore, PlanRows {
  persons = 0;
  readonly createdAt: Float64Array;
  readonly updatedAt: Float64Array;
  readonly names: (string | null)[];
  readonly traits: string[];
  readonly gone: Uint8Array;
  readonly ids: Lists;
  readonly idTypes: IdentityType[];
  readonly idValues: string[];
  private readonly held: IdentifierTable;
  /** The identifiers `hashOf` saw last (as many as a record can have), their values then, and their hashes. */
  private readonly recentIds: (Identifier | undefined)[] = Array<undefined>(identityTypes.length).fill(undefined);
  private readonly recentValues: string[] = Array<string>(identityTypes.length).fill('');
  private readonly recentHashes = new Int32Array(identityTypes.length);
  private recent = 0;
  readonly tags: Lists;
  readonly tagTexts: string[];
  readonly tagSources: string[];
  /** Each distinct tag text, kept once however many rows give it. */
  private readonly texts = new Map<string, string>();
  readonly entries: LogEntry[] = [];
  /** The pending mark as it was written. */
  readonly pending: Pending;

  private constructor(
    readonly db: Db,
    readonly first: number,
    /** The last person id reserved. */
    private readonly reserved: number,
    /** A new person's row: every column, at its default. */
    private readonly template: PersonRow,
  ) {
    this.pending = { persons: [first, reserved] };
    const size = reserved - first + 1;
    this.createdAt = new Float64Array(size);
    this.updatedAt = new Float64Array(size);
    this.gone = new Uint8Array(size);
    // Arrays made at the size they are expected to reach (an item past it is added at the end).
    this.names = Array<string | null>(size).fill(template.display_name);
    this.traits = Array<string>(size).fill(template.traits);
    this.ids = new Lists(size, size * EXPECTED_IDS_PER_ROW);
    this.idTypes = Array<IdentityType>(size * EXPECTED_IDS_PER_ROW).fill(identityTypes[0]);
    this.idValues = Array<string>(size * EXPECTED_IDS_PER_ROW).fill('');
    this.tags = new Lists(size, size);
    this.tagTexts = Array<string>(size).fill('');
    this.tagSources = Array<string>(size).fill('');
    this.held = new IdentifierTable(this.idTypes, this.idValues, size * EXPECTED_IDS_PER_ROW);
  }

  /** How many identifiers the plan holds. */
  get identifiers(): number {
    return this.held.size;
  }

  /** A plan of `rows` rows: an id per row reserved and the import marked pending, in one transaction. */
  static begin(db: Db, rows: number): ImportPlan {
    return db.transaction(() => {
      const first = reservePersonIds(db, rows);
      const reserved = first - 1 + rows;
      const plan = new ImportPlan(db, first, reserved, personTemplate(db));
      markPending(db, plan.pending);
      return plan;
    })();
  }

  holder(id: Identifier): number | undefined {
    const item = this.held.find(id.type, id.value, this.hashOf(id));
    return item === -1 ? undefined : this.first + this.ids.slot(item);
  }

  oldestFirst(persons: number[]): number[] {
    return [...persons].sort((a, b) => this.createdAt[this.slot(a)] - this.createdAt[this.slot(b)] || a - b);
  }

  identitiesOf(person: number): Identifier[] {
    const found: Identifier[] = [];
    for (let i = this.ids.first(this.slot(person)); i !== -1; i = this.ids.next(i)) found.push({ type: this.idTypes[i], value: this.idValues[i] });
    return found.sort((a, b) => compareText(a.type, b.type) || compareText(a.value, b.value));
  }

  tagsOf(person: number): TagRow[] {
    const found: TagRow[] = [];
    for (let t = this.tags.first(this.slot(person)); t !== -1; t = this.tags.next(t)) {
      found.push({ tag: this.tagTexts[t], source: this.tagSources[t], weight: 1, expires_at: null });
    }
    return found.sort((a, b) => compareText(a.tag, b.tag) || compareText(a.source, b.source));
  }

  person(id: number): PersonRow {
    const slot = this.slot(id);
    const row = { created_at: this.createdAt[slot], updated_at: this.updatedAt[slot], display_name: this.names[slot], traits: this.traits[slot] };
    return { ...this.template, id, ...row };
  }

  profile(person: number): ProfileRow {
    const slot = this.slot(person);
    return { display_name: this.names[slot], traits: this.traits[slot] };
  }

  createPerson(now: number): number {
    const slot = this.persons;
    if (this.first + slot > this.reserved) throw new Error('an import made more persons than it has rows');
    this.persons++;
    this.createdAt[slot] = now;
    this.updatedAt[slot] = now;
    this.names[slot] = this.template.display_name;
    this.traits[slot] = this.template.traits;
    return this.first + slot;
  }

  attach(id: Identifier, person: number): boolean {
    if (this.held.find(id.type, id.value, this.hashOf(id)) !== -1) return false;
    const item = this.ids.add(this.slot(person));
    this.idTypes[item] = id.type;
    this.idValues[item] = id.value;
    this.held.addFound(item);
    return true;
  }

  moveInto(from: number, to: number): void {
    const target = this.slot(to);
    this.ids.move(this.slot(from), target);
    this.tags.move(this.slot(from), target, (t) => this.tagIn(target, this.tagTexts[t], this.tagSources[t]));
  }

  setProfile(person: number, name: string | null, traits: string, now: number): void {
    const slot = this.slot(person);
    this.names[slot] = name;
    this.traits[slot] = traits;
    this.updatedAt[slot] = now;
  }

  deletePerson(id: number): void {
    const slot = this.slot(id);
    for (let i = this.ids.first(slot); i !== -1; i = this.ids.next(i)) this.held.remove(i);
    this.ids.clear(slot);
    this.tags.clear(slot);
    this.gone[slot] = 1;
  }

  addTag(person: number, tag: string, source: string): boolean {
    const slot = this.slot(person);
    if (this.tagIn(slot, tag, source)) return false;
    let text = this.texts.get(tag);
    if (text === undefined) this.texts.set(tag, (text = tag));
    const item = this.tags.add(slot);
    this.tagTexts[item] = text;
    this.tagSources[item] = source;
    return true;
  }

  putOrder(): boolean {
    throw new Error('an imported file has no order lines');
  }

  log(from: number | null, to: number | null, cause: string, ts: number, detail: object): void {
    this.entries.push([from, to, cause, ts, JSON.stringify(detail)]);
  }

  /** In the import's last transaction: the pending mark goes, and reserved ids no person got are given back. */
  finish(): void {
    const last = this.first + this.persons - 1;
    this.db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'persons' AND seq = ?").run(last, this.reserved);
    clearPending(this.db);
  }

  /**
   * `valueHash` of an identifier, remembered for the last few identifiers asked about:
   * resolving a record looks each of its identifiers up, then again as it attaches them.
   */
  private hashOf(id: Identifier): number {
    const at = this.recentIds.indexOf(id);
    if (at !== -1 && this.recentValues[at] === id.value) return this.recentHashes[at];
    this.recent = (this.recent + 1) % this.recentIds.length;
    this.recentIds[this.recent] = id;
    this.recentValues[this.recent] = id.value;
    return (this.recentHashes[this.recent] = valueHash(id.type, id.value));
  }

  /** A planned person's slot (id - first). */
  private slot(id: number): number {
    const slot = id - this.first;
    if (!(slot >= 0 && slot < this.persons) || this.gone[slot]) throw new Error(`no planned person ${id}`);
    return slot;
  }

  /** Whether the person in `slot` has the tag. */
  private tagIn(slot: number, tag: string, source: string): boolean {
    for (let t = this.tags.first(slot); t !== -1; t = this.tags.next(t)) if (this.tagTexts[t] === tag && this.tagSources[t] === source) return true;
    return false;
  }
}

/** A row of `persons` with every column at its default, as a row the database creates starts. */
function personTemplate(db: Db): PersonRow {
  const columns = db
    .prepare<[], { name: string; dflt_value: string | null }>("SELECT name, dflt_value FROM pragma_table_info('persons')")
    .all();
  const value = (sql: string | null) => (sql === null ? null : db.prepare(`SELECT ${sql}`).pluck().get());
  return Object.fromEntries(columns.map((c) => [c.name, value(c.dflt_value)])) as unknown as PersonRow;
}

