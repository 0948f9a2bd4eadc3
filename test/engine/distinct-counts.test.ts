// The metrics' compact distinct counting: person numbers that stay the same for the whole session
// (across the merges of their sorted tables), and person sets that count exactly what a Set would,
// through the switch of a block from a sorted array to a bitmap, in a fraction of a Set's memory.
import { describe, expect, it } from 'vitest';
import { DistinctSet } from '../../src-main/metrics/distinct-set';
import { PersonNumbers } from '../../src-main/metrics/person-numbers';

/** A fixed-seed generator (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('person numbers', () => {
  it('numbers each platform user once, densely in order of first sighting, for the whole session', () => {
    const numbers = new PersonNumbers();
    const users = 50_000; // several merges of the sorted tables
    for (let i = 0; i < users; i++) expect(numbers.numberOf('douyin', `dy_${i}`)).toBe(i);
    expect(numbers.numberOf('kuaishou', 'dy_0')).toBe(users); // the same id on another platform is someone else
    const next = random(1);
    for (let k = 0; k < 20_000; k++) {
      const i = Math.floor(next() * users);
      expect(numbers.numberOf('douyin', `dy_${i}`)).toBe(i);
    }
    expect(numbers.size).toBe(users + 1);
  });
});

describe('distinct sets', () => {
  it('count exactly what a Set counts: sparse, dense, out of order and repeated members', () => {
    const next = random(2);
    const set = new DistinctSet();
    const reference = new Set<number>();
    const add = (n: number): void => {
      set.add(n);
      reference.add(n);
    };
    for (let n = 0; n < 300_000; n++) if (next() < 0.5) add(n); // dense blocks: bitmaps
    for (let k = 0; k < 3_000; k++) add(300_000 + Math.floor(next() * 1_000_000)); // sparse blocks, random order
    for (let k = 0; k < 100_000; k++) add(Math.floor(next() * 1_300_000)); // repeats and late members
    for (let n = 5_000_000; n > 4_990_000; n -= 3) add(n); // descending across a block's switch to a bitmap
    expect(set.size).toBe(reference.size);
    for (const n of [...reference].slice(0, 1_000)) {
      const before = set.size;
      set.add(n);
      expect(set.size).toBe(before);
    }
  });

  it('hold a million-person session in a fraction of the memory of a Set', () => {
    globalThis.gc?.();
    const before = process.memoryUsage();
    const sets = Array.from({ length: 8 }, () => new DistinctSet());
    for (let n = 0; n < 1_000_000; n++) for (let s = 0; s < sets.length; s++) if ((n * (s + 1)) % 9 < 4) sets[s].add(n);
    globalThis.gc?.();
    const after = process.memoryUsage();
    const bytes = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
    // Eight sets over a million numbers: eight bitmaps of 128 KB; Sets of numbers would take 80+ MB.
    expect(bytes).toBeLessThan(8 * 1024 * 1024);
    expect(sets[0].size).toBe(444_445);
  });
});
