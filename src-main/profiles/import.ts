// CRM profile import: a CSV or JSON-lines file, mapped column → field, each row applied as a CRM
// record (records.ts) in one transaction, with an `import_runs` row reporting what was
// inserted, updated and rejected (and why). Importing the same file twice changes nothing.
import type { Db } from '../storage/db';
import { readCsv } from './csv';
import { decodeText, type TextEncodingName } from './decode';
import { applyRecord, type ProfileField, type RecordFields } from './records';
import { isRecord, parseJson } from '../shared/values';

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
      const outcome = r.values ? applyRecord(db, { fields: mappedFields(r.values, options.mapping) }, startedAt) : r.error!;
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

function mappedFields(values: Record<string, string>, mapping: ProfileMapping): RecordFields {
  const fields: RecordFields = {};
  for (const [column, field] of Object.entries(mapping)) {
    if (values[column] !== undefined) fields[field] = values[column];
  }
  return fields;
}
