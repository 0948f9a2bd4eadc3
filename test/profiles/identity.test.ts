import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cleanIdentifiers,
  isJunk,
  mergeLog,
  resolve,
  undoMerge,
  type Identifier,
  type IdentityType,
} from '../../src-main/profiles/identity';
import { normalisePhone } from '../../src-main/profiles/phone';
import { DB_FILE, type Db } from '../../src-main/storage/db';
import { count, freshDb, logCauses } from './helpers';

function ids(db: Db, raw: Partial<Record<IdentityType, string>>): Identifier[] {
  return cleanIdentifiers(db, raw).ids;
}

function personOf(db: Db, type: IdentityType, value: string): number | undefined {
  return db
    .prepare('SELECT person_id FROM identities WHERE type = ? AND value = ?')
    .pluck()
    .get(type, value) as number | undefined;
}

function resolved(db: Db, raw: Partial<Record<IdentityType, string>>, now: number): number {
  const result = resolve(db, ids(db, raw), now);
  if ('refused' in result) throw new Error('refused');
  return result.personId;
}

describe('identifier values', () => {
  it('treats junk as no identifier, quoted or not', () => {
    for (const v of ['', '  ', '0', '-1', 'null', 'NULL', 'undefined', 'anonymous', '[object Object]', 'NaN', '0000', '"null"', "'0'"]) {
      expect(isJunk(v), v).toBe(true);
    }
    expect(isJunk('dy_123')).toBe(false);
  });

  it('normalises phones to 11 mainland digits', () => {
    expect(normalisePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalisePhone('0086 13800138000')).toBe('13800138000');
    expect(normalisePhone('１３８００１３８０００')).toBe('13800138000');
    expect(normalisePhone('12800138000')).toBeUndefined();
    expect(normalisePhone('1380013800')).toBeUndefined();
  });

  it('hashes phones with a per-database salt and rejects junk and malformed values', () => {
    const a = freshDb().db;
    const b = freshDb().db;
    const inA = cleanIdentifiers(a, { phone: '13800138000', douyin_uid: 'null', device_id: '123' });
    expect(inA.ids).toHaveLength(2);
    expect(inA.ids[0].value).toMatch(/^[0-9a-f]{64}$/);
    expect(inA.rejected).toEqual(['douyin_uid']);
    expect(cleanIdentifiers(b, { phone: '13800138000' }).ids[0].value).not.toBe(inA.ids[0].value);
    expect(cleanIdentifiers(a, { phone: '+86 138 0013 8000' }).ids[0].value).toBe(inA.ids[0].value);
    expect(cleanIdentifiers(a, { phone: '555-1234' })).toEqual({ ids: [], rejected: ['phone'] });
  });
});

describe('resolve', () => {
  it('links a douyin and a kuaishou person through a shared phone into the older one', () => {
    const { db } = freshDb();
    const dy = resolved(db, { douyin_uid: 'dy_1', phone: '13800138000' }, 1);
    const ks = resolved(db, { kuaishou_uid: 'ks_1' }, 2);
    expect(ks).not.toBe(dy);
    const linked = resolved(db, { kuaishou_uid: 'ks_1', phone: '138 0013 8000' }, 3);
    expect(linked).toBe(dy);
    expect(personOf(db, 'kuaishou_uid', 'ks_1')).toBe(dy);
    expect(count(db, 'persons')).toBe(1);
    expect(logCauses(db)).toEqual(['merge']);
  });

  it('links through a shared union id too', () => {
    const { db } = freshDb();
    const dy = resolved(db, { douyin_uid: 'dy_1', union_id: 'oU1' }, 1);
    resolved(db, { kuaishou_uid: 'ks_1' }, 2);
    expect(resolved(db, { kuaishou_uid: 'ks_1', union_id: 'oU1' }, 3)).toBe(dy);
    expect(count(db, 'persons')).toBe(1);
  });

  it('drops the lowest-priority identifier when a limit would be exceeded', () => {
    const { db } = freshDb();
    const p = resolved(db, { crm_id: 'c1', phone: '13800138001' }, 1);
    resolved(db, { crm_id: 'c1', phone: '13800138002' }, 2);
    const result = resolve(db, ids(db, { crm_id: 'c1', phone: '13800138003', device_id: 'd1' }), 3);
    expect(result).toMatchObject({ personId: p, dropped: [{ type: 'device_id' }, { type: 'phone' }] });
    expect(db.prepare("SELECT COUNT(*) FROM identities WHERE type = 'phone'").pluck().get()).toBe(2);
    expect(personOf(db, 'device_id', 'd1')).toBeUndefined();
    expect(logCauses(db)).toEqual(['refused', 'dropped', 'refused', 'dropped']);
  });

  it('refuses to join two different union ids and logs it', () => {
    const { db } = freshDb();
    const a = resolved(db, { crm_id: 'c1', union_id: 'oA' }, 1);
    const b = resolved(db, { crm_id: 'c2', union_id: 'oB' }, 2);
    const result = resolve(db, ids(db, { crm_id: 'c1', union_id: 'oB' }), 3);
    expect(result).toMatchObject({ personId: a, dropped: [{ type: 'union_id', value: 'oB' }] });
    expect(personOf(db, 'union_id', 'oB')).toBe(b);
    expect(resolve(db, ids(db, { crm_id: 'c1' }).concat(ids(db, { crm_id: 'c2' })), 4)).toEqual({
      refused: true,
      dropped: [],
    });
    const refusals = db.prepare("SELECT detail FROM merge_log WHERE cause = 'refused'").pluck().all() as string[];
    expect(refusals.map((d) => JSON.parse(d))).toMatchObject([
      { reason: 'unique_conflict', type: 'union_id', persons: [a, b] },
      { reason: 'unique_conflict', type: 'union_id', persons: [a, b] },
    ]);
    expect(count(db, 'persons')).toBe(2);
  });

  it('undoes a merge, giving the from-person back its identifiers and tags', () => {
    const { db } = freshDb();
    const dy = resolved(db, { douyin_uid: 'dy_1', phone: '13800138000' }, 1);
    const ks = resolved(db, { kuaishou_uid: 'ks_1' }, 2);
    db.prepare("INSERT INTO tags (person_id, tag, source) VALUES (?, 'VIP', 'crm')").run(ks);
    resolved(db, { kuaishou_uid: 'ks_1', phone: '13800138000' }, 3);
    expect(count(db, 'persons')).toBe(1);
    const mergeId = db.prepare("SELECT id FROM merge_log WHERE cause = 'merge'").pluck().get() as number;
    undoMerge(db, mergeId);
    expect(personOf(db, 'kuaishou_uid', 'ks_1')).toBe(ks);
    expect(personOf(db, 'douyin_uid', 'dy_1')).toBe(dy);
    expect(db.prepare('SELECT person_id, tag FROM tags').all()).toEqual([{ person_id: ks, tag: 'VIP' }]);
    expect(db.prepare('SELECT undone FROM merge_log WHERE id = ?').pluck().get(mergeId)).toBe(1);
    expect(() => undoMerge(db, mergeId)).toThrow(/already undone/);
  });

  it('lists the merge log newest first, describing entries by identifier type, never by value', () => {
    const { db } = freshDb();
    resolved(db, { crm_id: 'c1', union_id: 'oA' }, 1);
    resolved(db, { crm_id: 'c2', union_id: 'oB' }, 2);
    resolve(db, ids(db, { crm_id: 'c1', union_id: 'oB' }), 3);
    const ks = resolved(db, { kuaishou_uid: 'ks_9' }, 4);
    db.prepare("UPDATE persons SET display_name = '小蓝' WHERE id = ?").run(ks);
    const into = resolved(db, { crm_id: 'c1', kuaishou_uid: 'ks_9' }, 5);
    const log = mergeLog(db, 10);
    expect(log.map((m) => [m.cause, m.detail])).toEqual([
      ['merge', '小蓝 · kuaishou_uid'],
      ['dropped', 'union_id: unique_conflict'],
      ['refused', 'union_id: unique_conflict'],
    ]);
    expect(log[0]).toMatchObject({ fromPerson: ks, toPerson: into, undone: false });
    expect(JSON.stringify(log)).not.toMatch(/oB|ks_9/);
  });

  it('never writes a phone number in clear to the database file', () => {
    const { db, dir } = freshDb();
    resolved(db, { douyin_uid: 'dy_1', phone: '13912345678' }, 1);
    resolved(db, { kuaishou_uid: 'ks_1', phone: '+86 139-1234-5678' }, 2);
    db.close();
    const raw = readFileSync(join(dir, DB_FILE));
    expect(raw.includes('13912345678')).toBe(false);
    expect(raw.includes('dy_1')).toBe(true);
  });
});
