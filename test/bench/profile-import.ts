// profile_import_rows_per_s: `importProfiles` of a 200,000-row CRM export (UTF-8 with a BOM, CRLF, as
// Excel saves it) into a fresh file database, data rows per second of the call. The file is made in
// memory from the demo CRM customers (fixed seeds) the way real exports look: phones in mixed formats,
// junk placeholders for missing ids, a few rows with no usable id, customers exported twice (some with
// newer figures) and family members sharing a phone.
// profile_import_longest_block_ms: the longest the event loop waited meanwhile (a 10 ms timer's worst
// lateness), which the import's slicing keeps near its budget.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { importProfiles, type ProfileMapping } from '../../src-main/profiles/import';
import { DEFAULT_PROFILE_SEED, demoProfiles, type DemoProfile } from '../../src-main/sources/demo/audience';
import { Random } from '../../src-main/sources/demo/random';
import { openDb } from '../../src-main/storage/db';
import type { Benchmark } from './run';

const ROWS = 200_000;
const EXPORT_SEED = 88;

const mapping: ProfileMapping = {
  客户ID: 'crm_id',
  姓名: 'name',
  手机: 'phone',
  UnionID: 'union_id',
  抖音号: 'douyin_uid',
  快手号: 'kuaishou_uid',
  标签: 'tags',
  等级: 'level',
  '累计消费(分)': 'ltv_fen',
  订单数: 'orders',
};
const JUNK = ['null', 'NULL', '0', '-1', 'undefined'];

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The phone as a CRM operator typed it. */
function phoneAsTyped(random: Random, phone: string): string {
  const roll = random.next();
  const spaced = `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
  if (roll < 0.7) return phone;
  if (roll < 0.8) return spaced;
  if (roll < 0.88) return `+86 ${spaced.replaceAll(' ', '-')}`;
  if (roll < 0.93) return `0086 ${phone}`;
  if (roll < 0.96) return spaced.replaceAll(' ', '-');
  if (roll < 0.98) return phone.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  return '';
}

/** A missing id: usually an empty cell, sometimes a placeholder the CRM wrote. */
function idCell(random: Random, value: string | undefined): string {
  if (value !== undefined) return value;
  return random.chance(0.05) ? random.pick(JUNK) : '';
}

function row(random: Random, p: DemoProfile, phone: string, ltvFen: number, orders: number): string {
  const name = random.chance(0.01) ? `${p.name}, ${p.crmId.slice(-3)}` : p.name;
  const tags = p.tags.join(random.chance(0.5) ? '、' : ',');
  return [
    p.crmId,
    name,
    phoneAsTyped(random, phone),
    p.unionId ?? '',
    idCell(random, p.uids.douyin),
    idCell(random, p.uids.kuaishou),
    tags,
    String(p.level),
    String(ltvFen),
    String(orders),
  ]
    .map(csvField)
    .join(',');
}

let file: Buffer | undefined;

/** The export: one row per customer, with re-exported customers, family phones and junk rows mixed in. */
function benchFile(): Buffer {
  if (file) return file;
  const random = new Random(EXPORT_SEED);
  const profiles = demoProfiles(DEFAULT_PROFILE_SEED, ROWS);
  const lines = [Object.keys(mapping).join(',')];
  let next = 0;
  while (lines.length <= ROWS) {
    const roll = random.next();
    if (roll < 0.02 && next > 0) {
      const again = profiles[random.int(next)];
      const spent = again.orders.reduce((sum, o) => sum + o.amountFen, 0);
      const newer = random.chance(0.5) ? 1 : 0;
      lines.push(row(random, again, again.phone, spent + newer * 9_900, again.orders.length + newer));
    } else if (roll < 0.023) {
      lines.push([random.pick(JUNK), '', '0', '', random.pick(JUNK), '', '', '', '', ''].join(','));
    } else {
      const p = profiles[next++];
      const family = roll < 0.026 && next > 1 ? profiles[random.int(next - 1)].phone : p.phone;
      lines.push(row(random, p, family, p.orders.reduce((sum, o) => sum + o.amountFen, 0), p.orders.length));
    }
  }
  file = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`);
  return file;
}

export const profileImport: Benchmark = {
  name: 'profile_import',
  runs: 5,
  async run() {
    const bytes = benchFile();
    const dataDir = mkdtempSync(join(tmpdir(), 'livedeck-bench-'));
    const db = openDb(dataDir);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    try {
      delay.enable();
      const started = performance.now();
      const report = await importProfiles(db, bytes, { fileName: 'crm-export.csv', mapping });
      const ms = performance.now() - started;
      delay.disable();
      if (report.rows !== ROWS) throw new Error(`imported ${report.rows} rows, expected ${ROWS}`);
      return { profile_import_rows_per_s: (ROWS * 1000) / ms, profile_import_longest_block_ms: delay.max / 1e6 };
    } finally {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
