// One CRM record applied to the profile store, the same way whether it came from an imported file or
// an incremental sync: identifiers resolved into a person, then name, numeric traits, tags and order
// lines written — to the database, or to an import's plan (import.ts) through the same `RecordStore`
// interface. Also the tombstone of a sync: a CRM record deleted upstream.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/db';
import {
  cleanIdentifiers,
  DbIdentityStore,
  identityTypes,
  resolveIn,
  type IdentityStore,
  type IdentityType,
} from './identity';

export type ProfileField = IdentityType | 'name' | 'tags' | 'level' | 'ltv_fen' | 'orders';
export type RecordFields = Partial<Record<ProfileField, string>>;

/** Every field a column can be mapped to. */
export const profileFields: readonly ProfileField[] = [...identityTypes, 'name', 'tags', 'level', 'ltv_fen', 'orders'];

/** An order line of a customer, as a CRM reports it (LiveDeck adds the ones it sees live). */
export interface Purchase {
  orderId: string;
  productId: string;
  amountFen: number;
  paidAt: number;
  /** Bought with a coupon or at a discount. */
  coupon?: boolean;
}

export interface CrmRecord {
  fields: RecordFields;
  purchases?: Purchase[];
}

/** What a record did; any other string is the reason it was rejected. */
export type RecordOutcome = 'inserted' | 'updated' | 'unchanged' | (string & {});

const TAG_SEPARATORS = /[,;|、]/;
/** Numeric fields, each with the trait it is kept as. */
const NUMBER_FIELDS = [
  ['level', 'level'],
  ['ltv_fen', 'ltvFen'],
  ['orders', 'orders'],
] as const;
export const CRM_SOURCE = 'crm';

export interface ProfileRow {
  display_name: string | null;
  traits: string;
}

/** What `resolve` writes for a person it creates. */
const NEW_PERSON: ProfileRow = { display_name: null, traits: '{}' };

/** The rows a record changes beyond its identifiers: the database, or an import's plan (import.ts). */
export interface RecordStore extends IdentityStore {
  profile(person: number): ProfileRow;
  /** Adds the tag unless the person has it; true when it did. */
  addTag(person: number, tag: string, source: string): boolean;
  /** Adds or updates the order line; true when it changed. */
  putOrder(person: number, purchase: Purchase): boolean;
}

interface OrderRow {
  orderId: string;
  personId: number;
  productId: string;
  amountFen: number;
  paidAt: number;
  coupon: number;
}

/** The statements of `DbRecordStore`, prepared once per database. */
interface Statements {
  profile: Statement<[number], ProfileRow>;
  insertTag: Statement<[number, string, string]>;
  upsertOrder: Statement<[OrderRow]>;
}

const prepared = new WeakMap<Db, Statements>();

function statements(db: Db): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      profile: db.prepare<[number], ProfileRow>('SELECT display_name, traits FROM persons WHERE id = ?'),
      insertTag: db.prepare('INSERT OR IGNORE INTO tags (person_id, tag, source) VALUES (?, ?, ?)'),
      upsertOrder: db.prepare<[OrderRow]>(
        `INSERT INTO person_orders (order_id, person_id, product_id, amount_fen, paid_at, coupon, source)
         VALUES (@orderId, @personId, @productId, @amountFen, @paidAt, @coupon, '${CRM_SOURCE}')
         ON CONFLICT (order_id) DO UPDATE SET person_id = excluded.person_id, product_id = excluded.product_id,
           amount_fen = excluded.amount_fen, paid_at = excluded.paid_at, coupon = excluded.coupon
         WHERE (person_id, product_id, amount_fen, paid_at, coupon)
           IS NOT (excluded.person_id, excluded.product_id, excluded.amount_fen, excluded.paid_at, excluded.coupon)`,
      ),
    };
    prepared.set(db, s);
  }
  return s;
}

/** The database as the store records are applied to. */
export class DbRecordStore extends DbIdentityStore implements RecordStore {
  private readonly r: Statements;

  constructor(db: Db) {
    super(db);
    this.r = statements(db);
  }

  profile(person: number): ProfileRow {
    return this.r.profile.get(person)!;
  }

  addTag(person: number, tag: string, source: string): boolean {
    return this.r.insertTag.run(person, tag, source).changes > 0;
  }

  putOrder(person: number, p: Purchase): boolean {
    return this.r.upsertOrder.run({ ...p, personId: person, coupon: p.coupon ? 1 : 0 }).changes > 0;
  }
}

const dbStores = new WeakMap<Db, DbRecordStore>();

/** The database's record store. */
export function dbRecordStore(db: Db): DbRecordStore {
  let store = dbStores.get(db);
  if (!store) dbStores.set(db, (store = new DbRecordStore(db)));
  return store;
}

export function applyRecord(db: Db, record: CrmRecord, now: number): RecordOutcome {
  return applyRecordIn(dbRecordStore(db), record, now);
}

/** `applyRecord` over a store: the database, or an import's plan. */
export function applyRecordIn(store: RecordStore, record: CrmRecord, now: number): RecordOutcome {
  const { fields } = record;
  const traits = numberTraits(fields);
  if (typeof traits === 'string') return traits;
  const { ids, rejected } = cleanIdentifiers(store.db, fields);
  if (ids.length === 0) return rejected.length > 0 ? `junk ids only: ${rejected.join(', ')}` : 'no usable identifier';
  const resolved = resolveIn(store, ids, now);
  if ('refused' in resolved) return 'identity conflict';
  const { personId, created } = resolved;
  const changedProfile = applyProfile(store, personId, created, fields.name?.trim(), traits, now);
  const changedTags = addTags(store, personId, fields.tags ?? '');
  const changedOrders = addPurchases(store, personId, record.purchases ?? []);
  if (created) return 'inserted';
  const changed = changedProfile || changedTags || changedOrders || resolved.attached > 0 || resolved.merged.length > 0;
  return changed ? 'updated' : 'unchanged';
}

/**
 * A CRM record deleted upstream: its CRM id is detached; when the person holds no other CRM id, what
 * the CRM gave (name, traits, CRM tags and order lines) goes too, and a person left with no identifier
 * is deleted. Returns false when no person held the id.
 */
export function removeRecord(db: Db, crmId: string, now: number): boolean {
  const person = db
    .prepare<[string], number>("SELECT person_id FROM identities WHERE type = 'crm_id' AND value = ?")
    .pluck()
    .get(crmId.trim());
  if (person === undefined) return false;
  db.prepare("DELETE FROM identities WHERE type = 'crm_id' AND value = ?").run(crmId.trim());
  const remaining = db.prepare<[number], { type: string }>('SELECT type FROM identities WHERE person_id = ?').all(person);
  if (remaining.some((r) => r.type === 'crm_id')) return true;
  if (remaining.length === 0) {
    db.prepare('DELETE FROM persons WHERE id = ?').run(person);
    return true;
  }
  db.prepare('DELETE FROM tags WHERE person_id = ? AND source = ?').run(person, CRM_SOURCE);
  db.prepare('DELETE FROM person_orders WHERE person_id = ? AND source = ?').run(person, CRM_SOURCE);
  db.prepare("UPDATE persons SET display_name = NULL, traits = '{}', updated_at = ? WHERE id = ?").run(now, person);
  return true;
}

/** The numeric traits of a record, or the rejection reason when one is not a non-negative integer. */
function numberTraits(fields: RecordFields): Record<string, number> | string {
  const traits: Record<string, number> = {};
  for (const [field, trait] of NUMBER_FIELDS) {
    const raw = fields[field]?.trim();
    if (!raw) continue;
    if (!/^\d+$/.test(raw)) return `bad number: ${field}`;
    traits[trait] = Number(raw);
  }
  return traits;
}

/** Name and numeric traits onto the person; a person `resolve` just created is known without a query. */
function applyProfile(
  store: RecordStore,
  personId: number,
  created: boolean,
  name: string | undefined,
  traits: object,
  now: number,
): boolean {
  const person = created ? NEW_PERSON : store.profile(personId);
  const nextName = name || person.display_name;
  const nextTraits = JSON.stringify(person.traits === '{}' ? traits : { ...JSON.parse(person.traits), ...traits });
  if (nextName === person.display_name && nextTraits === person.traits) return false;
  store.setProfile(personId, nextName, nextTraits, now);
  return true;
}

function addTags(store: RecordStore, personId: number, raw: string): boolean {
  let added = false;
  for (const tag of raw.split(TAG_SEPARATORS)) {
    const trimmed = tag.trim();
    if (trimmed !== '' && store.addTag(personId, trimmed, CRM_SOURCE)) added = true;
  }
  return added;
}

/** Order lines by order id: a line already known (from the CRM or seen live) is updated, never doubled. */
function addPurchases(store: RecordStore, personId: number, purchases: Purchase[]): boolean {
  let changed = false;
  for (const p of purchases) if (store.putOrder(personId, p)) changed = true;
  return changed;
}
