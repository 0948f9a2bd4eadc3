// CRM profile import: a CSV or JSON-lines file, mapped column → field, each row applied as a CRM
// record (records.ts), with an `import_runs` row reporting what was inserted, updated and rejected
// (and why). Importing the same file again adds no person, identifier or tag.
//
// Into a store that holds no identifier yet (the first CRM load, often hundreds of thousands of rows)
// the rows are applied to a plan in memory instead (import-plan.ts) and written out in bulk
// (import-write.ts); otherwise rows are applied to the database one by one. Either way the event loop
// turns between slices, and a CSV's rows are counted first and parsed only as they are applied.
import type { Db } from '../storage/db';
import { countCsvRows, readCsvRows } from './csv';
import { decodeText, type TextEncodingName } from './decode';
import {
  applyRecordIn,
  dbRecordStore,
  type ProfileField,
  type RecordFields,
  type RecordOutcome,
  type RecordStore,
} from './records';
import { isRecord, parseJson } from '../shared/values';
import { holdsNoIdentifier, ImportPlan, SLICE_MS } from './import-plan';
import { PlanWriter, recoverInterruptedImport } from './import-write';

export type ProfileMapping = Record<string, ProfileField>;
export type FileFormat = 'csv' | 'jsonl';

export interface ImportOptions {
  fileName: string;
  mapping: ProfileMapping;
  onProgress?: (done: number, total: number) => void;
}

/** Rows per transaction when rows are applied to the database: a batch takes tens of milliseconds. */
const IMPORT_BATCH_ROWS = 2_000;
/** Rows read (or counted), and rows resolved, between looks at the clock. */
const READ_STEP_ROWS = 1_000;
const RESOLVE_STEP_ROWS = 64;
/** The share of a planned import's progress that resolving the rows stands for; writing is the rest. */
const RESOLVE_SHARE = 0.4;

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
type TableRow = (string | undefined)[] | { error: string };

/** A file's rows: counted as it is loaded, and read (or, for a CSV, parsed) in order as they are applied. */
interface Table {
  encoding: TextEncodingName;
  format: FileFormat;
  header: string[];
  /** Data rows in the file. */
  count: number;
  /** The next `n` data rows (fewer at the end). */
  next(n: number): TableRow[];
}

/** The detected encoding and format, the header and the first `limit` rows, for the mapping step. */
export function previewProfiles(bytes: Uint8Array, limit = 20): ProfilePreview {
  const { encoding, format, header, count, next } = readTable(bytes);
  const shown = next(limit).map((r) => header.map((_, j) => (Array.isArray(r) ? r[j] : undefined) ?? ''));
  return { encoding, format, header, rows: shown, rowCount: count };
}

/**
 * Imports a file, yielding to the event loop between slices of a few tens of milliseconds so the live
 * room keeps flowing; `onProgress` hears after each. The caller keeps other identity writers (the live
 * cache's flush, a sync) away until it resolves.
 */
export async function importProfiles(db: Db, bytes: Uint8Array, options: ImportOptions): Promise<ImportReport> {
  const table = await loadTable(bytes);
  const columns = mappedColumns(table.header, options.mapping);
  const startedAt = Date.now();
  const total = table.count;
  const tally = new Tally();
  let applied = 0;
  /** Applies the next `n` rows to the store; false once the file has no more. */
  const apply = (store: RecordStore, n: number): boolean => {
    const rows = table.next(n);
    for (const r of rows) {
      tally.add(applied++, Array.isArray(r) ? applyRecordIn(store, { fields: mappedFields(r, columns) }, startedAt) : r.error);
    }
    return rows.length === n;
  };
  recoverInterruptedImport(db);
  const plan = holdsNoIdentifier(db) ? ImportPlan.begin(db, total) : undefined;
  if (plan) {
    const progress = (share: number) => options.onProgress?.(Math.floor(total * share), total);
    await inSlices(() => {
      const stop = performance.now() + SLICE_MS;
      let more: boolean;
      do more = apply(plan, RESOLVE_STEP_ROWS);
      while (more && performance.now() < stop);
      if (total > 0) progress((RESOLVE_SHARE * applied) / total);
      return more;
    });
    const writer = new PlanWriter(db, plan, plan.pending);
    try {
      await inSlices(() => {
        const more = writer.slice();
        if (total > 0) progress(more ? RESOLVE_SHARE + (1 - RESOLVE_SHARE) * writer.share : 1);
        return more;
      });
    } finally {
      writer.close();
    }
  } else {
    const applyBatch = db.transaction(() => apply(dbRecordStore(db), IMPORT_BATCH_ROWS));
    for (let more = total > 0; more; ) {
      more = applyBatch();
      options.onProgress?.(applied, total);
      if (more) await nextTurn();
    }
  }
  const { counts, rejections } = tally;
  const full = { encoding: table.encoding, format: table.format, rows: total, ...counts, rejected: rejections.length, rejections };
  const runId = db.transaction(() => {
    plan?.finish();
    const info = db
      .prepare('INSERT INTO import_runs (file, started_at, inserted, updated, rejected, report) VALUES (?, ?, ?, ?, ?, ?)')
      .run(options.fileName, startedAt, counts.inserted, counts.updated, rejections.length, JSON.stringify(full));
    return Number(info.lastInsertRowid);
  })();
  return { runId, ...full };
}

/** Outcomes counted, rejections listed by row. */
class Tally {
  readonly counts = { inserted: 0, updated: 0, unchanged: 0 };
  readonly rejections: Rejection[] = [];

  add(index: number, outcome: RecordOutcome): void {
    if (outcome in this.counts) this.counts[outcome as keyof Tally['counts']]++;
    else this.rejections.push({ row: index + 1, reason: outcome });
  }
}

/** Runs `slice` until it returns false, letting the event loop turn in between. */
async function inSlices(slice: () => boolean): Promise<void> {
  while (slice()) await nextTurn();
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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
  const steps = readingTable(bytes);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** `readTable` in slices of about `SLICE_MS`, letting the event loop turn in between. */
async function loadTable(bytes: Uint8Array): Promise<Table> {
  const steps = readingTable(bytes);
  let table: Table | undefined;
  await inSlices(() => {
    const stop = performance.now() + SLICE_MS;
    do {
      const step = steps.next();
      if (step.done) table = step.value;
    } while (!table && performance.now() < stop);
    return !table;
  });
  return table!;
}

/** Reads a file, a step every `READ_STEP_ROWS` rows. */
function* readingTable(bytes: Uint8Array): Generator<void, Table, void> {
  const { encoding, text } = decodeText(bytes);
  yield;
  const table = text.trimStart().startsWith('{') ? yield* readJsonLines(text) : yield* readCsvTable(text);
  return { encoding, ...table };
}

/** A CSV file's header, and its rows counted: they are parsed as they are applied, so that they need not all be kept. */
function* readCsvTable(text: string): Generator<void, Omit<Table, 'encoding'>, void> {
  const first: string[][] = [];
  let at = readCsvRows(text, 0, 1, first);
  const header = (first[0] ?? []).map((h) => h.trim());
  let count = 0;
  for (let from = at; from < text.length; yield) {
    const [counted, stop] = countCsvRows(text, from, READ_STEP_ROWS);
    count += counted;
    from = stop;
  }
  const next = (n: number) => {
    const rows: string[][] = [];
    at = readCsvRows(text, at, n, rows);
    return rows;
  };
  return { format: 'csv', header, count, next };
}

function* readJsonLines(text: string): Generator<void, Omit<Table, 'encoding'>, void> {
  const keys = new Set<string>();
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  yield;
  const objects: (Record<string, string> | undefined)[] = [];
  for (const line of lines) {
    const values = parseJsonObject(line);
    if (values) Object.keys(values).forEach((k) => keys.add(k));
    if (objects.push(values) % READ_STEP_ROWS === 0) yield;
  }
  const header = [...keys];
  const rows: TableRow[] = [];
  for (const values of objects) {
    rows.push(values ? header.map((h) => (Object.hasOwn(values, h) ? values[h] : undefined)) : { error: 'bad json' });
    if (rows.length % READ_STEP_ROWS === 0) yield;
  }
  let at = 0;
  const next = (n: number) => rows.slice(at, (at += n));
  return { format: 'jsonl', header, count: rows.length, next };
}

/** A line's object with each value as cell text; undefined for a line that is not one, or nests too deep to write out. */
function parseJsonObject(line: string): Record<string, string> | undefined {
  const parsed = parseJson(line);
  if (!isRecord(parsed)) return undefined;
  try {
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, jsonValueText(v)]));
  } catch {
    return undefined; // a value nested deeper than the stack goes (JSON.parse copes, writing it out does not)
  }
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
