// CRM profile import: a CSV or JSON-lines file, mapped column → field, each row applied as a CRM
// record (records.ts) in one transaction, with an `import_runs` row reporting what was
// inserted, updated and rejected (and why). Importing the same file twice changes nothing.
import type { Db } from '../storage/db';
import { readCsv } from './csv';
import { decodeText, type TextEncodingName } from './decode';
import { ImportResolver } from './identity';
import { applyImportedRecord, type ProfileField, type RecordFields } from './records';
import { isRecord, parseJson } from '../shared/values';

export type ProfileMapping = Record<string, ProfileField>;
export type FileFormat = 'csv' | 'jsonl';

export interface ImportOptions {
  fileName: string;
  mapping: ProfileMapping;
  onProgress?: (done: number, total: number) => void;
}

/** Rows per transaction: a batch takes tens of milliseconds, so the event loop never waits long. */
const IMPORT_BATCH_ROWS = 2_000;

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
  /** Data rows in the whole file. */
  rowCount: number;
}

/**
 * A data row: its values by header position (undefined where it has none: past the end of a short CSV
 * row, a key a JSON line lacks), or why it is unreadable.
 */
interface TableRow {
  cells?: (string | undefined)[];
  error?: string;
}

interface Table {
  encoding: TextEncodingName;
  format: FileFormat;
  header: string[];
  /** `rows[i]` is data row i + 1. */
  rows: TableRow[];
}


/** The detected encoding and format, the header and the first `limit` rows, for the mapping step. */
export function previewProfiles(bytes: Uint8Array, limit = 20): ProfilePreview {
  const { encoding, format, header, rows } = readTable(bytes);
  const shown = rows.slice(0, limit).map((r) => header.map((_, j) => r.cells?.[j] ?? ''));
  return { encoding, format, header, rows: shown, rowCount: rows.length };
}

/**
 * Imports a file in batches of rows, each batch one transaction, yielding to the event loop between
 * batches so the live room keeps flowing; `onProgress` hears after each batch. The caller keeps other
 * identity writers (the live cache's flush, a sync) away until it resolves.
 */
export async function importProfiles(db: Db, bytes: Uint8Array, options: ImportOptions): Promise<ImportReport> {
  const table = readTable(bytes);
  const columns = mappedColumns(table.header, options.mapping);
  const startedAt = Date.now();
  const total = table.rows.length;
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  const rejections: Rejection[] = [];
  const resolver = new ImportResolver(db);
  const applyBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = table.rows[i];
      const outcome = r.cells ? applyImportedRecord(db, { fields: mappedFields(r.cells, columns) }, startedAt, resolver) : r.error!;
      if (outcome in counts) counts[outcome as keyof typeof counts]++;
      else rejections.push({ row: i + 1, reason: outcome });
    }
  });
  for (let from = 0; from < total; from += IMPORT_BATCH_ROWS) {
    const to = Math.min(total, from + IMPORT_BATCH_ROWS);
    applyBatch(from, to);
    options.onProgress?.(to, total);
    if (to < total) await new Promise((resolve) => setImmediate(resolve));
  }
  const full = { encoding: table.encoding, format: table.format, rows: total, ...counts, rejected: rejections.length, rejections };
  const info = db
    .prepare('INSERT INTO import_runs (file, started_at, inserted, updated, rejected, report) VALUES (?, ?, ?, ?, ?, ?)')
    .run(options.fileName, startedAt, counts.inserted, counts.updated, rejections.length, JSON.stringify(full));
  return { runId: Number(info.lastInsertRowid), ...full };
}

/** The field a column's name suggests, from the names Chinese CRM exports use ('' for none). */
export function suggestField(column: string): ProfileField | '' {
  const name = column.trim().toLowerCase().replace(/[\s_()（）]/g, '');
  return COLUMN_HINTS.find(([pattern]) => pattern.test(name))?.[1] ?? '';
}

const COLUMN_HINTS: [RegExp, ProfileField][] = [
  [/^(crmid|客户id|客户编号|会员id|会员编号|customerid|客户号)$/, 'crm_id'],
  [/^(unionid|微信unionid)$/, 'union_id'],
  [/(手机|电话|phone|mobile)/, 'phone'],
  [/^(抖音|douyin)/, 'douyin_uid'],
  [/^(快手|kuaishou)/, 'kuaishou_uid'],
  [/^(视频号|微信号|wechat)/, 'wechat_uid'],
  [/^(b站|bilibili)/, 'bilibili_uid'],
  [/^tiktok/, 'tiktok_uid'],
  [/^(淘宝|taobao)/, 'taobao_uid'],
  [/^(设备|device)/, 'device_id'],
  [/^(姓名|名字|昵称|客户名称|name|nickname)$/, 'name'],
  [/^(标签|tags?)$/, 'tags'],
  [/^(等级|会员等级|level)$/, 'level'],
  [/^(累计消费分|ltv分|ltvfen|ltv_fen)$/, 'ltv_fen'],
  [/^(订单数|购买次数|orders)$/, 'orders'],
];

function readTable(bytes: Uint8Array): Table {
  const { encoding, text } = decodeText(bytes);
  return text.trimStart().startsWith('{') ? { encoding, ...readJsonLines(text) } : { encoding, ...readCsvTable(text) };
}

function readCsvTable(text: string): Omit<Table, 'encoding'> {
  const [header = [], ...records] = readCsv(text);
  const names = header.map((h) => h.trim());
  const rows = records.map((cells) => ({ cells }));
  return { format: 'csv', header: names, rows };
}

function readJsonLines(text: string): Omit<Table, 'encoding'> {
  const keys = new Set<string>();
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const objects = lines.map((line) => {
    const values = parseJsonObject(line);
    if (values) Object.keys(values).forEach((k) => keys.add(k));
    return values;
  });
  const header = [...keys];
  const rows = objects.map((values): TableRow => {
    if (!values) return { error: 'bad json' };
    return { cells: header.map((h) => (Object.hasOwn(values, h) ? values[h] : undefined)) };
  });
  return { format: 'jsonl', header, rows };
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

/** Header position → field, for each mapped column the file has (the last one, if a name repeats). */
function mappedColumns(header: string[], mapping: ProfileMapping): [number, ProfileField][] {
  return Object.entries(mapping)
    .map(([column, field]): [number, ProfileField] => [header.lastIndexOf(column), field])
    .filter(([position]) => position >= 0);
}

function mappedFields(cells: (string | undefined)[], columns: [number, ProfileField][]): RecordFields {
  const fields: RecordFields = {};
  for (const [position, field] of columns) {
    const value = cells[position];
    if (value !== undefined) fields[field] = value;
  }
  return fields;
}
