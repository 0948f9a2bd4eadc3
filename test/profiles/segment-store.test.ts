import { describe, expect, it } from 'vitest';
import { listSegments, MAX_SEGMENTS, removeSegment, saveSegment } from '../../src-main/profiles/segment-store';
import { builtinSegments } from '../../src-main/profiles/segments';
import { freshDb } from './helpers';

describe('saved segments', () => {
  it('come after the built-in ones, in the order added, and can be replaced and removed', () => {
    const { db } = freshDb();
    expect(listSegments(db)).toEqual(builtinSegments);
    saveSegment(db, { id: 'moms', name: '宝妈', tree: { tag: '宝妈' } });
    saveSegment(db, { id: 'big', name: '大客户', tree: { trait: 'ltvFen', op: '>=', value: 500_000 } });
    saveSegment(db, { id: 'moms', name: '宝妈人群', tree: { all: [{ tag: '宝妈' }, { trait: 'orders', op: '>=', value: 1 }] } });
    const ids = listSegments(db).map((s) => s.id);
    expect(ids).toEqual([...builtinSegments.map((s) => s.id), 'moms', 'big']);
    expect(listSegments(db).find((s) => s.id === 'moms')).toEqual({
      id: 'moms',
      name: '宝妈人群',
      tree: { all: [{ tag: '宝妈' }, { trait: 'orders', op: '>=', value: 1 }] },
    });
    expect(removeSegment(db, 'moms').map((s) => s.id)).not.toContain('moms');
  });

  it('refuses bad trees, built-in ids, and more than fit a mask', () => {
    const { db } = freshDb();
    expect(() => saveSegment(db, { id: 'x', name: 'x', tree: { tag: 1 } })).toThrow('invalid condition tree');
    expect(() => saveSegment(db, { id: 'x', name: 'x', tree: { password: 'a' } })).toThrow('invalid condition tree');
    let deep: unknown = { tag: 'a' };
    for (let i = 0; i < 50; i++) deep = { not: deep };
    expect(() => saveSegment(db, { id: 'x', name: 'x', tree: deep })).toThrow('deeper');
    expect(() => saveSegment(db, { id: 'vip', name: 'x', tree: { tag: 'a' } })).toThrow('built-in');
    for (let i = builtinSegments.length; i < MAX_SEGMENTS; i++) saveSegment(db, { id: `s${i}`, name: `s${i}`, tree: { tag: `t${i}` } });
    expect(() => saveSegment(db, { id: 'one_more', name: 'x', tree: { tag: 'a' } })).toThrow(`at most ${MAX_SEGMENTS}`);
    expect(listSegments(db)).toHaveLength(MAX_SEGMENTS);
  });
});
