import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolve } from '../../src-main/profiles/identity';
import { importProfiles, type ProfileMapping } from '../../src-main/profiles/import';
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
  标签: 'tags',
  等级: 'level',
};

/** Rows in the mapping's column order. */
const rows = [
  ['c1', '小红', '13800138000', '', 'dy_1', '', 'VIP', '3'],
  ['c2', '小绿', '13900139000', 'oU2', '', 'ks_2', '', '1'],
  // The same customer again, once unchanged and once with a newer level.
  ['c1', '小红', '138 0013 8000', '', 'dy_1', '', 'VIP', '3'],
  ['c1', '小红', '13800138000', '', 'dy_1', '', 'VIP', '4'],
  // A family member sharing c1's phone: the conflicting douyin uid is dropped, c3 attaches to c1.
  ['c3', '小蓝', '+86 138-0013-8000', '', 'dy_3', '', '', '2'],
  // c5 joins c2 (union id) and c4 (douyin uid): c4's person merges into c2's.
  ['c4', '小紫', '', '', 'dy_4', '', '', ''],
  ['c5', '', '', 'oU2', 'dy_4', '', '', ''],
  // A value an earlier row holds under another type: looked up, matches nothing.
  ['c6', '', '', '', 'c2', '', '', ''],
  ['null', '', '0', '', '-1', '', '', ''],
  ['c7', '', '', '', '', '', '', 'high'],
];

const csv = [Object.keys(mapping), ...rows].map((r) => r.join(',')).join('\r\n');

function fields(row: string[]): RecordFields {
  return Object.fromEntries(Object.values(mapping).map((field, i) => [field, row[i]]));
}

/** A store whose phone salt is fixed, so that two stores hash phones alike. */
function saltedDb(): Db {
  const { db } = freshDb();
  db.prepare("INSERT INTO settings (key, value) VALUES ('phone_salt', '\"test-salt\"')").run();
  return db;
}

function contents(db: Db): unknown[] {
  return [
    'SELECT * FROM persons ORDER BY id',
    'SELECT * FROM identities ORDER BY type, value',
    'SELECT * FROM tags ORDER BY person_id, tag',
    'SELECT from_person, to_person, cause, ts, undone, detail FROM merge_log ORDER BY id',
  ].map((sql) => db.prepare(sql).all());
}

describe('importing into an empty store', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends exactly as applying the records one by one does', async () => {
    const imported = saltedDb();
    const report = await importProfiles(imported, Buffer.from(csv), { fileName: 'crm.csv', mapping });
    const applied = saltedDb();
    const outcomes = rows.map((row) => applyRecord(applied, { fields: fields(row) }, NOW));

    expect(contents(imported)).toEqual(contents(applied));
    expect(report).toMatchObject({ inserted: 4, updated: 3, unchanged: 1, rejected: 2 });
    expect(outcomes.filter((o) => o === 'inserted')).toHaveLength(4);
    expect(logCauses(imported)).toEqual(['refused', 'dropped', 'merge']);
    expect(count(imported, 'persons')).toBe(3);
  });

  it('still looks identifiers up when the store already holds some', async () => {
    const { db } = freshDb();
    const known = resolve(db, [{ type: 'douyin_uid', value: 'dy_1' }], NOW);
    const report = await importProfiles(db, Buffer.from(csv), { fileName: 'crm.csv', mapping });
    expect(report).toMatchObject({ inserted: 3, updated: 4 });
    expect(db.prepare("SELECT person_id FROM identities WHERE type = 'crm_id' AND value = 'c1'").pluck().get()).toBe(
      'personId' in known ? known.personId : undefined,
    );
  });
});
