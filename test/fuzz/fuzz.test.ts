// Every fuzz target for a bounded number of cases with a fixed seed, as part of `npm test`: the same
// properties `npm run fuzz` checks for as long as it is asked to, here reproducible run after run.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { propertyOf } from './property';
import { targets } from './targets';

const SEED = 20261123;

describe('fuzzing every decoder and parser (fixed seed)', () => {
  for (const target of targets) {
    it(`${target.name}: ${target.runs} cases`, async () => {
      await target.open?.();
      try {
        await fc.assert(propertyOf(target), { seed: SEED, numRuns: target.runs });
      } finally {
        await target.close?.();
      }
    }, 15_000);
  }
});
