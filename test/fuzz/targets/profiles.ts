// Fuzz targets of the profile store's file readers: the CSV reader (against its own writer, and read
// whole or a few rows at a time), an imported file's preview (encoding detection UTF-8 / BOM / GBK,
// CSV or JSON lines), and the whole import into a real SQLite file, twice (the second time must add
// nobody).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readCsv, readCsvRows } from '../../../src-main/profiles/csv';
import { decodeText } from '../../../src-main/profiles/decode';
import { importProfiles, previewProfiles, type ProfileMapping } from '../../../src-main/profiles/import';
import { openDb, type Db } from '../../../src-main/storage/db';
import { deepJsonText, jsonValue, mutatedBytes, mutatedText, text } from '../arbitraries';
import { profileFiles, profileMappings } from '../fixtures';
import { expectThat, type FuzzTarget } from '../property';

// ---- CSV ---------------------------------------------------------------------------------------

const cell = fc.array(fc.constantFrom('"', ',', '\r', '\n', 'a', '字', ' ', '""', '\r\n'), { maxLength: 6 }).map((parts) => parts.join(''));

interface Written {
  rows: string[][];
  quoteAll: boolean;
  lineEnd: '\n' | '\r\n';
  endLast: boolean;
}

/** RFC 4180 as a spreadsheet writes it: a field quoted when it must be (or always), quotes doubled. */
function writeCsv({ rows, quoteAll, lineEnd, endLast }: Written): string {
  const field = (f: string): string => (quoteAll || /[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f);
  return rows.map((r) => r.map(field).join(',')).join(lineEnd) + (endLast && rows.length > 0 ? lineEnd : '');
}

/** The rows of a text read whole, and read `count` rows at a time (as the import does), which must agree. */
function readInSteps(text: string, count: number): string[][] {
  const rows: string[][] = [];
  for (let at = 0; at < text.length; ) at = readCsvRows(text, at, count, rows);
  return rows;
}

export const csv: FuzzTarget<{ written?: Written; raw?: string }> = {
  name: 'csv',
  runs: 400,
  arbitrary: fc.oneof(
    fc.record({
      written: fc.record({
        rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 6 }),
        quoteAll: fc.boolean(),
        lineEnd: fc.constantFrom('\n' as const, '\r\n' as const),
        endLast: fc.boolean(),
      }),
    }),
    fc.record({ raw: fc.oneof(cell, fc.array(cell, { maxLength: 12 }).map((cells) => cells.join('')), mutatedText(profileFiles().map((f) => f.toString('utf8')))) }),
  ),
  check({ written, raw }) {
    const text = written ? writeCsv(written) : raw!;
    const rows = readCsv(text);
    for (const count of [1, 3]) {
      const stepped = readInSteps(text, count);
      expectThat(JSON.stringify(stepped) === JSON.stringify(rows), () => `read ${count} rows at a time: ${JSON.stringify(stepped)}, whole: ${JSON.stringify(rows)}`);
    }
    expectThat(!rows.some((r) => r.length === 1 && r[0] === ''), () => 'a blank row was kept');
    const chars = rows.reduce((n, r) => n + r.reduce((m, f) => m + f.length, 0), 0);
    expectThat(chars <= text.length, () => `${chars} characters of fields from a text of ${text.length}`);
    if (!written) return;
    // A written row of one empty field is a blank line, which the reader skips.
    const expected = written.rows.filter((r) => !(r.length === 1 && r[0] === ''));
    expectThat(JSON.stringify(rows) === JSON.stringify(expected), () => `wrote ${JSON.stringify(written.rows)}, read ${JSON.stringify(rows)}`);
  },
};

// ---- Imported files ----------------------------------------------------------------------------

const phone = fc.oneof(fc.constantFrom('13800138000', '+86 139-0013-9000', '0086 13800138000', '１３８００１３８０００', '138', '0', 'null'), fc.stringMatching(/^1[3-9]\d{9}$/));
const crmCell = fc.oneof(phone, fc.constantFrom('C001', 'C002', '930000000000000001', '', 'NULL', '-1', 'VIP、复购', 'VIP,粉丝', '5', '129900', 'x'), text);
const crmCsv = fc
  .array(fc.array(crmCell, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 8 })
  .map((rows) => writeCsv({ rows: [['客户ID', '姓名', '手机', '标签', '等级', '累计消费(分)', '订单数', '抖音号'], ...rows], quoteAll: false, lineEnd: '\r\n', endLast: true }));
const jsonLines = fc.array(jsonValue, { maxLength: 6 }).map((lines) => lines.map((l) => JSON.stringify(l) ?? '').join('\n'));
const deepLine = deepJsonText.map((deep) => `{"crm_id":"C1","name":${deep}}\n{"crm_id":"C2"}`);

/** Files a user might pick: real exports mutated, CRM-like CSV and JSON lines, deep nesting, BOMs, any bytes. */
const fileBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: mutatedBytes(profileFiles()), weight: 3 },
  crmCsv.map((t) => Buffer.from(t)),
  jsonLines.map((t) => Buffer.from(`{"crm_id":"C0"}\n${t}`)),
  deepLine.map((t) => Buffer.from(t)),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b])),
  fc.uint8Array({ maxLength: 64 }),
);

const ENCODINGS = new Set(['utf-8', 'utf-8-bom', 'gbk']);
const PREVIEW_ROWS = 20;

export const profileFile: FuzzTarget<Uint8Array> = {
  name: 'profile-file',
  runs: 200,
  arbitrary: fileBytes,
  check(bytes) {
    const decoded = decodeText(bytes);
    let utf8: string | undefined;
    try {
      utf8 = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      utf8 = undefined;
    }
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const expected = utf8 === undefined ? 'gbk' : bom ? 'utf-8-bom' : 'utf-8';
    expectThat(decoded.encoding === expected, () => `read as ${decoded.encoding}, expected ${expected}`);
    if (utf8 !== undefined) expectThat(decoded.text === utf8, () => 'valid UTF-8 read as other text');

    const preview = previewProfiles(bytes, PREVIEW_ROWS);
    expectThat(ENCODINGS.has(preview.encoding) && (preview.format === 'csv' || preview.format === 'jsonl'), () => `${preview.encoding} ${preview.format}`);
    expectThat(preview.rows.length <= Math.min(PREVIEW_ROWS, preview.rowCount), () => `${preview.rows.length} rows shown of ${preview.rowCount}`);
    expectThat(preview.header.every((h) => typeof h === 'string'), () => `header ${JSON.stringify(preview.header)}`);
    for (const row of preview.rows) {
      expectThat(row.length === preview.header.length && row.every((c) => typeof c === 'string'), () => `row ${JSON.stringify(row)} under ${preview.header.length} columns`);
    }
  },
};

const MAPPING_ENTRIES = Object.entries(profileMappings);
/** Mappings the contract lets through: the fixtures' columns to fields, and a few names that are no field at all. */
const mapping: fc.Arbitrary<ProfileMapping> = fc
  .tuple(fc.subarray(MAPPING_ENTRIES), fc.subarray([['姓名', 'toString'], ['手机', '__proto__'], ['等级', 'bogus']] as [string, string][], { maxLength: 1 }))
  .map(([fields, junk]) => Object.fromEntries([...fields, ...junk]) as ProfileMapping);

function tableCounts(db: Db): string {
  return ['persons', 'identities', 'tags', 'person_orders'].map((t) => `${t} ${db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number}`).join(', ');
}

let importDir: string | undefined;
let imports = 0;

export const profileImport: FuzzTarget<{ bytes: Uint8Array; mapping: ProfileMapping }> = {
  name: 'profile-import',
  runs: 20,
  async: true,
  arbitrary: fc.record({ bytes: fc.oneof(mutatedBytes(profileFiles()), crmCsv.map((t) => Buffer.from(t)), jsonLines.map((t) => Buffer.from(`{"crm_id":"C0","phone":"13800138000"}\n${t}`))), mapping }),
  async open() {
    importDir = mkdtempSync(join(tmpdir(), 'livedeck-fuzz-'));
  },
  async close() {
    if (importDir) rmSync(importDir, { recursive: true, force: true });
    importDir = undefined;
  },
  async check({ bytes, mapping }) {
    const dir = join(importDir!, String(++imports));
    const db = openDb(dir);
    try {
      const first = await importProfiles(db, bytes, { fileName: 'fuzz.csv', mapping });
      const outcomes = first.inserted + first.updated + first.unchanged + first.rejected;
      expectThat(outcomes === first.rows && first.rejections.length === first.rejected, () => `${first.rows} rows, outcomes ${JSON.stringify(first)}`);
      expectThat(first.rejections.every((r) => r.row >= 1 && r.row <= first.rows && typeof r.reason === 'string'), () => `rejections ${JSON.stringify(first.rejections)}`);
      const before = tableCounts(db);
      const again = await importProfiles(db, bytes, { fileName: 'fuzz.csv', mapping });
      expectThat(again.inserted === 0 && tableCounts(db) === before, () => `importing again inserted ${again.inserted}: ${before} → ${tableCounts(db)}`);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
