import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countCsvRows, readCsv } from '../../src-main/profiles/csv';
import { importProfiles, previewProfiles, suggestField, type ProfileMapping } from '../../src-main/profiles/import';
import { DB_FILE } from '../../src-main/storage/db';
import { count, freshDb } from './helpers';

const mapping: ProfileMapping = {
  客户ID: 'crm_id',
  姓名: 'name',
  手机: 'phone',
  抖音: 'douyin_uid',
  快手: 'kuaishou_uid',
  标签: 'tags',
  等级: 'level',
};

const messy = [
  '\uFEFF客户ID,姓名,手机,抖音,快手,标签,等级',
  'crm_1,"Wang, Li",13800138000,dy_1,,"VIP,复购",5',
  '',
  'crm_2,小红,+86 139-0000-1111,,ks_2,宝妈;学生党|大码、敏感肌,2',
  'crm_1,"Wang, Li",13800138000,dy_1,,"VIP,复购",5',
  'null,,0,-1,"undefined",,',
  ',,,,,,',
  'crm_3,小绿,,,,,high',
  '',
].join('\r\n');

describe('importProfiles', () => {
  it('imports a messy UTF-8 file with a BOM and reports what it rejected', async () => {
    const { db } = freshDb();
    const report = await importProfiles(db, Buffer.from(messy), { fileName: 'crm.csv', mapping });
    expect(report).toMatchObject({ encoding: 'utf-8-bom', format: 'csv', rows: 6, inserted: 2, updated: 0, unchanged: 1 });
    expect(report.rejections).toEqual([
      { row: 4, reason: 'junk ids only: crm_id, phone, douyin_uid, kuaishou_uid' },
      { row: 5, reason: 'no usable identifier' },
      { row: 6, reason: 'bad number: level' },
    ]);
    expect(db.prepare('SELECT display_name, traits FROM persons ORDER BY id').all()).toEqual([
      { display_name: 'Wang, Li', traits: '{"level":5}' },
      { display_name: '小红', traits: '{"level":2}' },
    ]);
    expect(db.prepare('SELECT tag FROM tags').pluck().all()).toEqual(
      expect.arrayContaining(['VIP', '复购', '宝妈', '学生党', '大码', '敏感肌']),
    );
    expect(count(db, 'tags')).toBe(6);
    const run = db.prepare('SELECT file, inserted, updated, rejected, report FROM import_runs').get() as {
      report: string;
    };
    expect(run).toMatchObject({ file: 'crm.csv', inserted: 2, updated: 0, rejected: 3 });
    expect(JSON.parse(run.report).rejections).toHaveLength(3);
  });

  it('changes nothing when the same file is imported again', async () => {
    const { db } = freshDb();
    await importProfiles(db, Buffer.from(messy), { fileName: 'crm.csv', mapping });
    const before = db.prepare('SELECT * FROM persons').all();
    const again = await importProfiles(db, Buffer.from(messy), { fileName: 'crm.csv', mapping });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, rejected: 3 });
    expect(db.prepare('SELECT * FROM persons').all()).toEqual(before);
    expect(count(db, 'import_runs')).toBe(2);
  });

  it('reads a GBK file', async () => {
    const { db } = freshDb();
    // "crm,name\r\nc1,张三\r\nc2,李四\r\n" in GBK.
    const gbk = Buffer.concat([
      Buffer.from('crm,name\r\nc1,'),
      Buffer.from('d5c5c8fd', 'hex'),
      Buffer.from('\r\nc2,'),
      Buffer.from('c0eecbc4', 'hex'),
      Buffer.from('\r\n'),
    ]);
    const report = await importProfiles(db, gbk, { fileName: 'gbk.csv', mapping: { crm: 'crm_id', name: 'name' } });
    expect(report).toMatchObject({ encoding: 'gbk', inserted: 2 });
    expect(db.prepare('SELECT display_name FROM persons ORDER BY id').pluck().all()).toEqual(['张三', '李四']);
  });

  it('reads JSON lines, updates a known person and merges across platforms', async () => {
    const { db } = freshDb();
    const lines = [
      '{"crm":"c1","dy":"dy_1","phone":"13800138000","tags":["VIP"]}',
      '',
      '{"crm":"c2","ks":"ks_1","level":3}',
      'not json',
      '{"crm":"c2","phone":"１３８００１３８０００"}',
    ].join('\n');
    const jsonMapping: ProfileMapping = { crm: 'crm_id', dy: 'douyin_uid', ks: 'kuaishou_uid', phone: 'phone', tags: 'tags', level: 'level' };
    const report = await importProfiles(db, Buffer.from(lines), { fileName: 'crm.jsonl', mapping: jsonMapping });
    expect(report).toMatchObject({ format: 'jsonl', inserted: 2, updated: 1, rejections: [{ row: 3, reason: 'bad json' }] });
    expect(count(db, 'persons')).toBe(1);
    expect(db.prepare('SELECT traits FROM persons').pluck().get()).toBe('{"level":3}');
    expect(db.prepare('SELECT COUNT(*) FROM identities').pluck().get()).toBe(5);
  });

  it('stores no phone number in clear anywhere in the database file', async () => {
    const { db, dir } = freshDb();
    await importProfiles(db, Buffer.from(messy), { fileName: 'crm.csv', mapping });
    db.close();
    const raw = readFileSync(join(dir, DB_FILE));
    for (const digits of ['13800138000', '13900001111']) expect(raw.includes(digits)).toBe(false);
    expect(raw.includes('crm_1')).toBe(true);
  });
});

describe('previewProfiles', () => {
  it('shows the encoding, the header and the first rows', async () => {
    expect(previewProfiles(Buffer.from(messy), 2)).toEqual({
      encoding: 'utf-8-bom',
      format: 'csv',
      header: ['客户ID', '姓名', '手机', '抖音', '快手', '标签', '等级'],
      rows: [
        ['crm_1', 'Wang, Li', '13800138000', 'dy_1', '', 'VIP,复购', '5'],
        ['crm_2', '小红', '+86 139-0000-1111', '', 'ks_2', '宝妈;学生党|大码、敏感肌', '2'],
      ],
      rowCount: 6,
    });
  });

  it('counts the rows of a CSV before reading them, as reading them finds them', () => {
    // The import counts a file's rows first (to reserve an id each) and parses them as it applies them.
    const unit = fc.constantFrom('a', 'b', ',', '"', '""', '\r', '\n', '\r\n', ' ', '中');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 24 }), (text) => {
        const [header = [], ...rows] = readCsv(text);
        expect(countCsvRows(text, 0, Infinity)).toEqual([rows.length + (header.length > 0 ? 1 : 0), text.length]);
        const names = header.map((h) => h.trim());
        expect(previewProfiles(Buffer.from(text), 100)).toMatchObject({
          header: names,
          rows: rows.map((r) => names.map((_, j) => r[j] ?? '')),
          rowCount: rows.length,
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('suggests the field each usual CRM column name stands for', () => {
    const columns = ['客户ID', '会员编号', 'UnionID', '手机号码', '联系电话', '抖音号', '快手ID', '视频号', '姓名', '昵称', '标签', '会员等级', '累计消费(分)', '订单数', '备注'];
    expect(columns.map(suggestField)).toEqual([
      'crm_id', 'crm_id', 'union_id', 'phone', 'phone', 'douyin_uid', 'kuaishou_uid', 'wechat_uid', 'name', 'name', 'tags', 'level', 'ltv_fen', 'orders', '',
    ]);
  });
});
