// CRM profile import: a CSV or JSON-lines file, mapped column → field, resolved into persons,
// identifiers, traits and tags in one transaction, with an `import_runs` row reporting what was
// inserted, updated and rejected (and why). Importing the same file twice changes nothing.
import type { Db } from '../storage/db';
import { readCsv } from './csv';
import { decodeText, type TextEncodingName } from './decode';
import { cleanIdentifiers, identityTypes, resolve, type IdentityType } from './identity';
import { isRecord, parseJson } from '../shared/values';

export type ProfileField = IdentityType | 'name' | 'tags' | 'level' | 'ltv_fen' | 'orders';
export type ProfileMapping = Record<string, ProfileField>;
export type FileFormat = 'csv' | 'jsonl';

export interface ImportOptions {
  fileName: string;
  mapping: ProfileMapping;
}

export interface Rejection {
  /** 1-based data row (the header is not counted). */
  row: number;
  reason: string;
}

export interface ImportReport {
  runId: number;
  encoding: TextEncodingName;
  format: FileFormat;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: Rejection[];
}

export interface ProfilePreview {
  encoding: TextEncodingName;
  format: FileFormat;
  header: string[];
  rows: string[][];
}

interface TableRow {
  row: number;
  values?: Record<string, string>;
  error?: string;
}

interface Table {
  encoding: TextEncodingName;
  format: FileFormat;
  header: string[];
  rows: TableRow[];
}

const TAG_SEPARATORS = /[,;|、]/;
const NUMBER_FIELDS = { level: 'level', ltv_fen: 'ltvFen', orders: 'orders' } as const;
const TAG_SOURCE = 'crm';

/** The detected encoding and format, the header and the first `limit` rows, for the mapping step. */
export function previewProfiles(bytes: Uint8Array, limit = 20): ProfilePreview {
  const { encoding, format, header, rows } = readTable(bytes);
  const shown = rows.slice(0, limit).map((r) => header.map((h) => r.values?.[h] ?? ''));
  return { encoding, format, header, rows: shown };
}

export function importProfiles(db: Db, bytes: Uint8Array, options: ImportOptions): ImportReport {
  const table = readTable(bytes);
  const startedAt = Date.now();
  return db.transaction(() => {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const rejections: Rejection[] = [];
    for (const r of table.rows) {
      const outcome = r.values ? importRow(db, r.values, options.mapping, startedAt) : r.error!;
      if (outcome in counts) counts[outcome as keyof typeof counts]++;
      else rejections.push({ row: r.row, reason: outcome });
    }
    const report = { encoding: table.encoding, format: table.format, rows: table.rows.length, ...counts };
    const full = { ...report, rejected: rejections.length, rejections };
    const info = db
      .prepare(
        'INSERT INTO import_runs (file, started_at, inserted, updated, rejected, report) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(options.fileName, startedAt, counts.inserted, counts.updated, rejections.length, JSON.stringify(full));
    return { runId: Number(info.lastInsertRowid), ...full };
  })();
}

function readTable(bytes: Uint8Array): Table {
  const { encoding, text } = decodeText(bytes);
  return text.trimStart().startsWith('{') ? { encoding, ...readJsonLines(text) } : { encoding, ...readCsvTable(text) };
}

function readCsvTable(text: string): Omit<Table, 'encoding'> {
  const [header = [], ...records] = readCsv(text);
  const names = header.map((h) => h.trim());
  const rows = records.map((fields, i) => ({
    row: i + 1,
    values: Object.fromEntries(names.map((h, j) => [h, fields[j] ?? ''])),
  }));
  return { format: 'csv', header: names, rows };
}

function readJsonLines(text: string): Omit<Table, 'encoding'> {
  const header = new Set<string>();
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const rows = lines.map((line, i): TableRow => {
    const values = parseJsonObject(line);
    if (!values) return { row: i + 1, error: 'bad json' };
    Object.keys(values).forEach((k) => header.add(k));
    return { row: i + 1, values };
  });
  return { format: 'jsonl', header: [...header], rows };
}

function parseJsonObject(line: string): Record<string, string> | undefined {
  const parsed = parseJson(line);
  return isRecord(parsed) ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, jsonValueText(v)])) : undefined;
}

function jsonValueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(jsonValueText).join(',');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

type RowOutcome = 'inserted' | 'updated' | 'unchanged' | string;

function importRow(db: Db, values: Record<string, string>, mapping: ProfileMapping, now: number): RowOutcome {
  const fields = mappedFields(values, mapping);
  const traits = numberTraits(fields);
  if (typeof traits === 'string') return traits;
  const { ids, rejected } = cleanIdentifiers(db, fields);
  if (ids.length === 0) return rejected.length > 0 ? `junk ids only: ${rejected.join(', ')}` : 'no usable identifier';
  const resolved = resolve(db, ids, now);
  if ('refused' in resolved) return 'identity conflict';
  const changedProfile = applyProfile(db, resolved.personId, fields.name?.trim(), traits, now);
  const changedTags = addTags(db, resolved.personId, fields.tags ?? '');
  if (resolved.created) return 'inserted';
  const changed = changedProfile || changedTags || resolved.attached > 0 || resolved.merged.length > 0;
  return changed ? 'updated' : 'unchanged';
}

function mappedFields(values: Record<string, string>, mapping: ProfileMapping): Partial<Record<ProfileField, string>> {
  const fields: Partial<Record<ProfileField, string>> = {};
  for (const [column, field] of Object.entries(mapping)) {
    if (values[column] !== undefined) fields[field] = values[column];
  }
  return fields;
}

/** The numeric traits of a row, or the rejection reason when one is not a non-negative integer. */
function numberTraits(fields: Partial<Record<ProfileField, string>>): Record<string, number> | string {
  const traits: Record<string, number> = {};
  for (const [field, trait] of Object.entries(NUMBER_FIELDS)) {
    const raw = fields[field as keyof typeof NUMBER_FIELDS]?.trim();
    if (!raw) continue;
    if (!/^\d+$/.test(raw)) return `bad number: ${field}`;
    traits[trait] = Number(raw);
  }
  return traits;
}

function applyProfile(db: Db, personId: number, name: string | undefined, traits: object, now: number): boolean {
  const person = db
    .prepare<[number], { display_name: string | null; traits: string }>(
      'SELECT display_name, traits FROM persons WHERE id = ?',
    )
    .get(personId)!;
  const nextName = name || person.display_name;
  const nextTraits = JSON.stringify({ ...JSON.parse(person.traits), ...traits });
  if (nextName === person.display_name && nextTraits === person.traits) return false;
  db.prepare('UPDATE persons SET display_name = ?, traits = ?, updated_at = ? WHERE id = ?').run(
    nextName,
    nextTraits,
    now,
    personId,
  );
  return true;
}

function addTags(db: Db, personId: number, raw: string): boolean {
  const insert = db.prepare('INSERT OR IGNORE INTO tags (person_id, tag, source) VALUES (?, ?, ?)');
  const tags = raw.split(TAG_SEPARATORS).map((t) => t.trim()).filter((t) => t !== '');
  return tags.reduce((n, tag) => n + insert.run(personId, tag, TAG_SOURCE).changes, 0) > 0;
}

/** Every field a column can be mapped to. */
export const profileFields: readonly ProfileField[] = [...identityTypes, 'name', 'tags', 'level', 'ltv_fen', 'orders'];
