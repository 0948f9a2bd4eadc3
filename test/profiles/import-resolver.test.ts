// An import into a store that holds no identifier is resolved in memory and written in key order
// (import.ts, `ImportPlan`); these tests hold it to what applying the rows one by one does.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolve } from '../../src-main/profiles/identity';
import { importProfiles, type ImportReport, type ProfileMapping } from '../../src-main/profiles/import';
import { applyRecord, type RecordFields } from '../../src-main/profiles/records';
import type { Db } from '../../src-main/storage/db';
import { count, freshDb, logCauses } from './helpers';

const NOW = 1_700_000_000_000;

const mapping: ProfileMapping = {
  客户ID: 'crm_id',
  姓名: 'name',
  手机: 'phone',
  UnionID: 'union_id',
  抖音号: 'douyin_uid',
  快手号: 'kuaishou_uid',
  设备: 'device_id',
  标签: 'tags',
  等级: 'level',
  累计消费: 'ltv_fen',
  订单数: 'orders',
};

type Row = [
  crm: string,
  name: string,
  phone: string,
  union: string,
  douyin: string,
  kuaishou: string,
  device: string,
  tags: string,
  level: string,
  ltv?: string,
  orders?: string,
];

/** Rows in the mapping's column order. Persons are named by the row that made them: P1 is row 1's. */
const rows: Row[] = [
  /* 1 */ ['c1', '小红', '13800138000', '', 'dy_1', '', '', 'VIP', '3'],
  /* 2 */ ['c2', '小绿', '13900139000', 'oU2', '', 'ks_2', '', '', '1'],
  // The same customer again: unchanged, then a newer level.
  /* 3 */ ['c1', '小红', '138 0013 8000', '', 'dy_1', '', '', 'VIP', '3'],
  /* 4 */ ['c1', '小红', '13800138000', '', 'dy_1', '', '', 'VIP', '4'],
  // A family member sharing c1's phone: the conflicting douyin uid is dropped, c3 attaches to P1
  // and its name and level win.
  /* 5 */ ['c3', '小蓝', '+86 138-0013-8000', '', 'dy_3', '', '', '', '2'],
  // P4 with tags; row 7 joins P2 (union id) and P4 (douyin uid): P4 merges into P2, with its tags.
  /* 6 */ ['c4', '小紫', '', '', 'dy_4', '', '', '复购,宝妈', ''],
  /* 7 */ ['', '', '', 'oU2', 'dy_4', '', '', 'VIP;大码', ''],
  // A value an earlier row holds under another type: matches nothing.
  /* 8 */ ['c6', '', '', '', 'c2', '', '', '', ''],
  /* 9 */ ['null', '', '0', '', '-1', '', '"null"', '', ''],
  /* 10 */ ['c7', '', '', '', '', '', '', '', 'high'],
  // P11 merges into P10 (row 12); P10, holding P11's, then merges into P2 (row 13). P11's tags
  // ！ (U+FF01) and 😀 (above U+FFFF) sort in the opposite order in SQLite and in JavaScript.
  /* 11 */ ['c10', '小白', '13700137000', '', '', '', '', 'VIP', '5', '100'],
  /* 12 */ ['c11', '', '', '', '', '', 'dev11', '😀,！,新客,VIP', ''],
  /* 13 */ ['', '', '13700137000', '', '', '', 'dev11', '', ''],
  /* 14 */ ['c13', '', '13700137000', 'oU2', '', '', '', '', ''],
  // A third phone for P2: over the limit, the phone is dropped.
  /* 15 */ ['c2', '', '13600136000', '', '', '', '', '', ''],
  /* 16 */ ['c2', '', '', '', '', '', '', 'VIP,VIP, ,VIP', ''],
  /* 17 */ ['', '', '', '', '', '', '', 'VIP', '2'],
  /* 18 */ ['c1', '小红红', '', '', '', '', '', '', ''],
  /* 19 */ ['c4', '', '', '', '', '', '', '', '', '9900', '2'],
  // Two CRM ids that sort differently in SQLite and JavaScript, joined (row 21), then merged into P1
  // through its phone (row 22): the merge detail lists them in the database's order.
  /* 20 */ ['客户😀', '', '', '', '', '', 'dA', '', ''],
  /* 21 */ ['客户！', '', '', '', '', 'ks_e', '', '', ''],
  /* 22 */ ['', '', '', '', '', 'ks_e', 'dA', '', ''],
  /* 23 */ ['', '', '13800138000', '', '', 'ks_e', '', '', ''],
  /* 24 */ ['c24', '', '15000150000', '', 'dy_24', '', '', 'x', '1', '1', '1'],
];

function csvOf(data: Row[]): string {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return [Object.keys(mapping), ...data].map((r) => Object.keys(mapping).map((_, i) => field(r[i] ?? '')).join(',')).join('\r\n');
}

function fields(row: Row): RecordFields {
  return Object.fromEntries(Object.values(mapping).map((field, i) => [field, row[i] ?? '']));
}

/** A store whose phone salt is fixed, so that two stores hash phones alike. */
function saltedDb(): Db {
  const { db } = freshDb();
  db.prepare("INSERT INTO settings (key, value) VALUES ('phone_salt', '\"test-salt\"')").run();
  return db;
}

function contents(db: Db): Record<string, unknown[]> {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    persons: all('SELECT * FROM persons ORDER BY id'),
    identities: all('SELECT * FROM identities ORDER BY type, value'),
    tags: all('SELECT * FROM tags ORDER BY person_id, tag, source'),
    mergeLog: all('SELECT * FROM merge_log ORDER BY id'),
    sequence: all('SELECT * FROM sqlite_sequence ORDER BY name'),
    settings: all('SELECT * FROM settings ORDER BY key'),
  };
}

/** The report an import gives, worked out from the outcomes of applying its rows one by one. */
function reportOf(outcomes: string[]): Pick<ImportReport, 'inserted' | 'updated' | 'unchanged' | 'rejections'> {
  const known = ['inserted', 'updated', 'unchanged'];
  return {
    inserted: outcomes.filter((o) => o === 'inserted').length,
    updated: outcomes.filter((o) => o === 'updated').length,
    unchanged: outcomes.filter((o) => o === 'unchanged').length,
    rejections: outcomes.flatMap((reason, i) => (known.includes(reason) ? [] : [{ row: i + 1, reason }])),
  };
}

/** Imports `data` into one store, applies it row by row to another; both end alike. */
async function expectImportLikeRowByRow(data: Row[], prepare: (db: Db) => void = () => {}): Promise<{ imported: Db; report: ImportReport }> {
  const imported = saltedDb();
  const applied = saltedDb();
  prepare(imported);
  prepare(applied);
  const report = await importProfiles(imported, Buffer.from(csvOf(data)), { fileName: 'crm.csv', mapping });
  const outcomes = applied.transaction(() => data.map((row) => applyRecord(applied, { fields: fields(row) }, NOW)))();
  expect(report).toMatchObject(reportOf(outcomes));
  expect(contents(imported)).toEqual(contents(applied));
  return { imported, report };
}

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Rows drawn from small pools, so that they overlap a lot: merges, drops and shared phones everywhere. */
function messyRows(n: number, seed: number): Row[] {
  const next = random(seed);
  const pick = (pool: number, prefix: string, blank = 0.5) => (next() < blank ? '' : `${prefix}${Math.floor(next() * pool)}`);
  const phone = () => (next() < 0.5 ? '' : `139${String(Math.floor(next() * 300)).padStart(8, '0')}`);
  const tagPool = ['VIP', '复购', '😀', '！', '宝妈', 'a', 'B'];
  return Array.from({ length: n }, (): Row => [
    pick(n / 2, 'c', 0.2),
    next() < 0.3 ? `名${Math.floor(next() * 50)}` : '',
    phone(),
    pick(n / 8, 'oU', 0.8),
    pick(n / 4, 'dy_', 0.6),
    pick(n / 4, 'ks_', 0.7),
    pick(n / 6, 'dev', 0.8),
    tagPool.filter(() => next() < 0.15).join(next() < 0.5 ? ',' : '、'),
    next() < 0.5 ? String(Math.floor(next() * 6)) : next() < 0.02 ? 'x' : '',
    next() < 0.3 ? String(Math.floor(next() * 100_000)) : '',
  ]);
}

describe('importing into an empty store', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('ends exactly as applying the records one by one does', async () => {
    const { imported, report } = await expectImportLikeRowByRow(rows);
    expect(report).toMatchObject({ inserted: 9, updated: 9, unchanged: 3, rejected: 3 });
    expect(logCauses(imported)).toEqual(['refused', 'dropped', 'merge', 'merge', 'merge', 'refused', 'dropped', 'merge', 'merge']);
    const merges = (imported.prepare("SELECT detail FROM merge_log WHERE cause = 'merge'").pluck().all() as string[]).map(
      (d) => JSON.parse(d) as { identities: { value: string }[]; tags: { tag: string }[]; movedTags: { tag: string }[] },
    );
    expect(merges[1].tags.map((t) => t.tag)).toEqual(['VIP', '新客', '！', '😀']);
    expect(merges[1].movedTags.map((t) => t.tag)).toEqual(['新客', '！', '😀']);
    expect(merges[4].identities.map((id) => id.value)).toEqual(['客户！', '客户😀', 'dA', 'ks_e']);
  });

  it('ends as one by one for a file of heavily overlapping rows', async () => {
    const { report } = await expectImportLikeRowByRow(messyRows(3_000, 7));
    expect(report.inserted).toBeGreaterThan(500);
    expect(report.updated).toBeGreaterThan(500);
  });

  it('gives persons the ids the database would, after persons the store already has', async () => {
    await expectImportLikeRowByRow(rows.slice(0, 8), (db) => {
      const insert = db.prepare("INSERT INTO persons (created_at, updated_at, display_name) VALUES (1, 1, 'no ids')");
      for (let i = 0; i < 3; i++) insert.run();
      db.prepare('DELETE FROM persons WHERE id = 3').run();
    });
  });

  it('still looks identifiers up when the store already holds some', async () => {
    const { db } = freshDb();
    const known = resolve(db, [{ type: 'douyin_uid', value: 'dy_1' }], NOW);
    const report = await importProfiles(db, Buffer.from(csvOf(rows.slice(0, 8))), { fileName: 'crm.csv', mapping });
    expect(report).toMatchObject({ inserted: 3, updated: 4 });
    expect(db.prepare("SELECT person_id FROM identities WHERE type = 'crm_id' AND value = 'c1'").pluck().get()).toBe(
      'personId' in known ? known.personId : undefined,
    );
  });

  it('changes no identifier or tag when the same file is imported again', async () => {
    // Names and traits can change: a merged person keeps its own over the other's, where the rows
    // applied again one by one leave the last row's (records.ts, as before there was a plan).
    const db = saltedDb();
    const file = Buffer.from(csvOf(messyRows(1_000, 3)));
    await importProfiles(db, file, { fileName: 'crm.csv', mapping });
    const { identities, tags } = contents(db);
    const again = await importProfiles(db, file, { fileName: 'crm.csv', mapping });
    expect(again).toMatchObject({ inserted: 0 });
    expect(contents(db)).toMatchObject({ identities, tags });
  });

  it('yields between short slices and reports progress up to every row', async () => {
    // A clock that runs 50 ms a look: every slice ends at its first look at it.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 50));
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const progress: number[] = [];
    const data = messyRows(2_000, 11);
    const db = saltedDb();
    const report = await importProfiles(db, Buffer.from(csvOf(data)), {
      fileName: 'crm.csv',
      mapping,
      onProgress: (done, total) => {
        expect(total).toBe(data.length);
        progress.push(done);
      },
    });
    clearInterval(ticker);
    expect(turns).toBeGreaterThan(20);
    expect(progress.length).toBeGreaterThan(20);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(data.length);
    const applied = saltedDb();
    const outcomes = applied.transaction(() => data.map((row) => applyRecord(applied, { fields: fields(row) }, NOW)))();
    expect(report).toMatchObject(reportOf(outcomes));
    expect(contents(db)).toEqual(contents(applied));
  });

  it('leaves a store that importing the file again completes, when cut short while writing', async () => {
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 50));
    const file = Buffer.from(csvOf(messyRows(2_000, 5)));
    const clean = saltedDb();
    let slices = 0;
    await importProfiles(clean, file, { fileName: 'crm.csv', mapping, onProgress: (done, total) => void (done > 0.4 * total && slices++) });
    expect(slices).toBeGreaterThan(5);
    for (const cutAfter of [1, 2, slices >> 1, slices - 1]) {
      const db = saltedDb();
      let writeSlices = 0;
      const crash = importProfiles(db, file, {
        fileName: 'crm.csv',
        mapping,
        onProgress: (done, total) => {
          if (done > 0.4 * total && ++writeSlices === cutAfter) throw new Error('power cut');
        },
      });
      await expect(crash).rejects.toThrow('power cut');
      expect(count(db, 'import_runs')).toBe(0);
      expect(db.prepare("SELECT COUNT(*) FROM settings WHERE key != 'phone_salt'").pluck().get()).toBe(1);
      await importProfiles(db, file, { fileName: 'crm.csv', mapping });
      expect(customers(db)).toEqual(customers(clean));
      expect(db.prepare('SELECT COUNT(*) FROM persons WHERE id NOT IN (SELECT person_id FROM identities)').pluck().get()).toBe(0);
      expect(db.prepare("SELECT COUNT(*) FROM settings WHERE key != 'phone_salt'").pluck().get()).toBe(0);
      // Every merge logged is of a person that is gone into one that is there.
      const merges = db.prepare("SELECT from_person, to_person FROM merge_log WHERE cause = 'merge'").all() as { from_person: number; to_person: number }[];
      const ids = new Set(db.prepare('SELECT id FROM persons').pluck().all());
      const into = new Map(merges.map((m) => [m.from_person, m.to_person]));
      for (const m of merges) {
        let person = m.to_person;
        while (into.has(person)) person = into.get(person)!;
        expect(ids.has(m.from_person)).toBe(false);
        expect(ids.has(person)).toBe(true);
      }
    }
  });
});

/** The store's persons by the identifiers and tags they hold (names and traits: see the re-import test). */
function customers(db: Db): string[] {
  const persons = db.prepare('SELECT id FROM persons').pluck().all() as number[];
  const identities = db.prepare('SELECT type, value FROM identities WHERE person_id = ? ORDER BY type, value').raw();
  const tags = db.prepare('SELECT tag, source FROM tags WHERE person_id = ? ORDER BY tag, source').raw();
  return persons.map((id) => JSON.stringify([identities.all(id), tags.all(id)])).sort();
}
