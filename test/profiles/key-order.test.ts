// keyOrder (key-order.ts) held to SQLite's own ORDER BY: values with every kind of character on both
// sides of the boundaries its packing has, shared prefixes, and thousands of values where the sample
// it packs them by misses a few.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyOrder } from '../../src-main/profiles/key-order';
import type { Db } from '../../src-main/storage/db';
import { freshDb } from './helpers';

/** `values` as SQLite sorts them (BINARY collation, as the identities key does). */
function sqliteOrder(db: Db, values: string[]): string[] {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS sorting (v TEXT NOT NULL); DELETE FROM sorting');
  const insert = db.prepare('INSERT INTO sorting (v) VALUES (?)');
  db.transaction(() => values.forEach((v) => insert.run(v)))();
  return db.prepare('SELECT v FROM sorting ORDER BY v').pluck().all() as string[];
}

const byKeyOrder = (values: string[]) => [...keyOrder(values)].map((i) => values[i]);

/** Characters on both sides of every boundary keyOrder's packing has: ASCII, its top, U+D7FF | surrogates | U+E000, and past U+FFFF. */
const tricky = fc.constantFrom('0', '1', '9', 'a', 'z', '_', ' ', '\u0000', '\u007f', '\u0080', '中', '\uD7FF', '\uE000', '！', '\uFFFF', '😀', '𠀀');

describe('keyOrder', () => {
  it('orders values as SQLite does, whatever their characters and shared prefix', () => {
    const { db } = freshDb();
    const value = fc.tuple(fc.constantFrom('', 'crm_', 'crm_00'), fc.string({ unit: tricky, maxLength: 24 })).map(([p, s]) => p + s);
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), (values) => {
        expect(byKeyOrder(values)).toEqual(sqliteOrder(db, values));
      }),
      { numRuns: 300 },
    );
  });

  it('orders thousands of values, with the few that the sample it packs them by misses', () => {
    const { db } = freshDb();
    fc.assert(
      fc.property(
        fc.array(fc.nat(99_999_999), { minLength: 5_000, maxLength: 6_000 }),
        fc.array(fc.tuple(fc.nat(4_999), fc.constantFrom('crm', 'crm_', 'crm_ ', 'crm_9z', 'crm_😀', 'crm_\uE000', 'crm_0000000000000000001', 'd', '')), { maxLength: 6 }),
        (numbers, outliers) => {
          const values = numbers.map((n) => `crm_${n}`);
          for (const [at, odd] of outliers) values[at] = odd;
          expect(byKeyOrder(values)).toEqual(sqliteOrder(db, values));
        },
      ),
      { numRuns: 15 },
    );
  });
});
