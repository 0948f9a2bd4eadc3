// An exact set of person numbers (small integers handed out densely, see person-numbers.ts) in little
// memory, for the distinct counts of the metrics' cuts (viewers, commenters, the funnel): numbers are
// grouped in blocks of 65,536; a block keeps its members in a sorted Uint16Array while it has fewer
// than 4,096 (2 bytes each), and as a bitmap of 8 KB (a bit per number) from then on — the layout of
// Roaring bitmaps. A session's eight sets per cut then cost about a byte per person, where Sets of
// numbers cost 20 to 40. Only adding and counting are needed.

const BLOCK_SHIFT = 16;
const LOW_MASK = 0xffff;
/** Members at which a block turns from a sorted array into a bitmap (where both take 8 KB). */
const ARRAY_MAX = 4_096;
const BITMAP_WORDS = (LOW_MASK + 1) / 32;

export class DistinctSet {
  /** Per block: its sorted members while it is an array block. */
  private readonly arrays: (Uint16Array | undefined)[] = [];
  /** Per block: its members in an array block (the array has room to grow). */
  private readonly lengths: number[] = [];
  /** Per block: its bitmap once it became one. */
  private readonly bitmaps: (Uint32Array | undefined)[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(n: number): void {
    const block = n >>> BLOCK_SHIFT;
    const low = n & LOW_MASK;
    const bitmap = this.bitmaps[block];
    if (bitmap) {
      const bit = 1 << (low & 31);
      if ((bitmap[low >>> 5] & bit) === 0) {
        bitmap[low >>> 5] |= bit;
        this.count++;
      }
      return;
    }
    this.addToArray(block, low);
  }

  private addToArray(block: number, low: number): void {
    let array = this.arrays[block];
    const length = array ? this.lengths[block] : 0;
    // Numbers are handed out in order, so a new member is most often the largest: append.
    let at = length;
    if (array && length > 0 && array[length - 1] >= low) {
      const found = search(array, length, low);
      if (found >= 0) return;
      at = ~found;
    }
    if (length === ARRAY_MAX - 1) {
      this.toBitmap(block, array!, length, low);
      return;
    }
    if (!array || length === array.length) {
      const grown = new Uint16Array(Math.min(ARRAY_MAX, Math.max(16, length * 2)));
      if (array) grown.set(array);
      this.arrays[block] = array = grown;
    }
    array.copyWithin(at + 1, at, length);
    array[at] = low;
    this.lengths[block] = length + 1;
    this.count++;
  }

  private toBitmap(block: number, array: Uint16Array, length: number, low: number): void {
    const bitmap = new Uint32Array(BITMAP_WORDS);
    for (let i = 0; i < length; i++) bitmap[array[i] >>> 5] |= 1 << (array[i] & 31);
    bitmap[low >>> 5] |= 1 << (low & 31);
    this.bitmaps[block] = bitmap;
    this.arrays[block] = undefined;
    this.count++;
  }
}

/** Index of `value` in the sorted first `length` items, or ~(where it would go). */
function search(array: Uint16Array, length: number, value: number): number {
  let lo = 0;
  let hi = length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = array[mid];
    if (v < value) lo = mid + 1;
    else if (v > value) hi = mid - 1;
    else return mid;
  }
  return ~lo;
}
