// The order SQLite's BINARY collation gives a large number of strings (an import's identifiers, to be
// inserted at the end of the identities key), worked out on numbers: each string's leading characters
// packed into one, radix-sorted, and only strings whose packed characters tie compared whole.
import { compareText } from './identity';

/** Values `keyOrder` looks at to choose how to pack the rest: the prefix they share and the range of units after it. */
const KEY_SAMPLE = 1024;
/** Characters after the shared prefix whose range `keyOrder` samples. */
const KEY_WINDOW = 16;
/** Where UTF-16 and code-point order part (`compareText`): `keyOrder` takes every unit from here on as this one. */
const SURROGATES = 0xd800;

/**
 * Positions of `values` in the order SQLite's BINARY collation sorts them (`compareText`). Sorting
 * strings with a comparison function costs several times what sorting numbers does, so each value's
 * first characters past the prefix the values share, and its position, are packed into one number
 * (in the radix the sampled range of those characters needs: 13 for digits, so that nine of them fit
 * beside a position among 200,000) and the numbers sorted; only values whose packed characters tie
 * are then compared whole.
 */
export function keyOrder(values: string[]): Uint32Array {
  const n = values.length;
  const sample = values.filter((_, i) => i % Math.ceil(n / KEY_SAMPLE) === 0);
  let shared = n === 0 ? 0 : values[0].length;
  for (const v of sample) shared = sharedLength(v, values[0], shared);
  const order = packedOrder(values, shared, sample);
  if (order) return order;
  for (const v of values) shared = sharedLength(v, values[0], shared);
  return packedOrder(values, shared, sample)!;
}

/** How many leading characters `a` and `b` have in common, up to `most`. */
function sharedLength(a: string, b: string, most: number): number {
  let i = 0;
  while (i < most && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** `keyOrder` with the values' first `shared` characters left out of the keys: undefined if one does not have them. */
function packedOrder(values: string[], shared: number, sample: string[]): Uint32Array | undefined {
  const n = values.length;
  let [lo, hi] = [SURROGATES, 0];
  for (const v of sample) {
    for (let c = shared, end = Math.min(v.length, shared + KEY_WINDOW); c < end; c++) {
      const unit = Math.min(v.charCodeAt(c), SURROGATES);
      if (unit < lo) lo = unit;
      if (unit > hi) hi = unit;
    }
  }
  if (hi < lo) hi = lo;
  // Digits: 0 for past the end of a value, 1 for a unit below the sampled range, then the range, and
  // the top one for a unit above it (or from SURROGATES on, or past a range wider than the radix).
  // A digit of 1 or the top one does not tell which unit it was, so the digits after it are left 0
  // and values that tie are compared whole.
  const radix = Math.min(hi - lo + 4, 128);
  const top = radix - 1;
  const positionBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const slots = 2 ** positionBits;
  let chars = 0;
  while (chars < KEY_WINDOW && radix ** (chars + 1) * slots <= 2 ** 53) chars++;
  const keys = new Float64Array(n);
  const first = values[0];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (sharedLength(v, first, shared) < shared) return undefined;
    let key = 0;
    let lossy = false;
    for (let c = shared; c < shared + chars; c++) {
      let digit = 0;
      if (!lossy && c < v.length) {
        const unit = v.charCodeAt(c);
        digit = unit < lo ? 1 : Math.min(Math.min(unit, SURROGATES) - lo + 2, top);
        lossy = digit === 1 || digit === top;
      }
      key = key * radix + digit;
    }
    keys[i] = key * slots + i;
  }
  sortKeys(keys);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i] % slots;
  for (let start = 0; start < n; ) {
    const lead = keys[start] - order[start];
    let end = start + 1;
    while (end < n && keys[end] - order[end] === lead) end++;
    if (end - start > 1) sortRun(order, start, end, values);
    start = end;
  }
  return order;
}

/** Below this many keys the built-in sort is as quick as `sortKeys`'s passes. */
const RADIX_MIN = 4096;

/**
 * Sorts whole numbers below 2^53 in place: a least-significant-digit radix sort, 16 bits a pass,
 * about three times quicker than the built-in sort for the hundreds of thousands of keys of a large
 * import.
 */
function sortKeys(keys: Float64Array): void {
  const n = keys.length;
  if (n < RADIX_MIN) {
    keys.sort();
    return;
  }
  let [hi, lo] = [new Uint32Array(n), new Uint32Array(n)];
  for (let i = 0; i < n; i++) {
    hi[i] = Math.floor(keys[i] / 2 ** 32);
    lo[i] = keys[i] - hi[i] * 2 ** 32;
  }
  let [hiTo, loTo] = [new Uint32Array(n), new Uint32Array(n)];
  const counts = new Uint32Array(1 << 16);
  for (let pass = 0; pass < 4; pass++) {
    const digits = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(digits[i] >>> shift) & 0xffff]++;
    if (counts[(digits[0] >>> shift) & 0xffff] === n) continue; // one digit for all: the pass would change nothing
    let sum = 0;
    for (let d = 0; d < counts.length; d++) {
      const count = counts[d];
      counts[d] = sum;
      sum += count;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(digits[i] >>> shift) & 0xffff]++;
      hiTo[at] = hi[i];
      loTo[at] = lo[i];
    }
    [hi, hiTo] = [hiTo, hi];
    [lo, loTo] = [loTo, lo];
  }
  for (let i = 0; i < n; i++) keys[i] = hi[i] * 2 ** 32 + lo[i];
}

/** Sorts `order[start..end)` by the values at those positions: by insertion, as most runs are short. */
function sortRun(order: Uint32Array, start: number, end: number, values: string[]): void {
  if (end - start > 16) {
    order.subarray(start, end).sort((a, b) => compareText(values[a], values[b]));
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const at = order[i];
    let j = i - 1;
    while (j >= start && compareText(values[order[j]], values[at]) > 0) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = at;
  }
}
