// The metrics' person numbers: each (platform, user id) gets a small number, 0, 1, 2, … in order of
// first sighting, kept for the whole session so that distinct counts stay exact however long the
// show runs (an 8-hour show of a big room sees close to a million people). The ids themselves are
// not kept: each key is its 53-bit hash (shared/hash53.ts); the newest few thousand sit in a Map, the
// rest in two sorted typed arrays (hash, number) they are merged into: about 12 bytes per person,
// where a Map of id strings cost over 100.
import { hash53 } from '../shared/hash53';

/** New keys held in the Map before they are merged into the sorted arrays. */
const MERGE_AT = 8_192;

export class PersonNumbers {
  private readonly recent = new Map<number, number>();
  private hashes = new Float64Array(0);
  private numbers = new Int32Array(0);
  private count = 0;

  /** Numbers handed out so far (the next one is this). */
  get size(): number {
    return this.count;
  }

  /** The number of a platform's user, handed out on first sighting. */
  numberOf(platform: string, id: string): number {
    const h = hash53(platform, id);
    const known = this.recent.get(h) ?? this.find(h);
    if (known !== undefined) return known;
    const n = this.count++;
    this.recent.set(h, n);
    if (this.recent.size >= MERGE_AT) this.merge();
    return n;
  }

  /** Binary search of the sorted arrays. */
  private find(h: number): number | undefined {
    const { hashes } = this;
    let lo = 0;
    let hi = hashes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = hashes[mid];
      if (v < h) lo = mid + 1;
      else if (v > h) hi = mid - 1;
      else return this.numbers[mid];
    }
    return undefined;
  }

  /** Moves the recent keys into the sorted arrays (one linear merge). */
  private merge(): void {
    const added = Float64Array.from(this.recent.keys()).sort();
    const { hashes, numbers } = this;
    const total = hashes.length + added.length;
    const mergedHashes = new Float64Array(total);
    const mergedNumbers = new Int32Array(total);
    for (let i = 0, j = 0, k = 0; k < total; k++) {
      if (j >= added.length || (i < hashes.length && hashes[i] < added[j])) {
        mergedHashes[k] = hashes[i];
        mergedNumbers[k] = numbers[i++];
      } else {
        mergedHashes[k] = added[j];
        mergedNumbers[k] = this.recent.get(added[j++])!;
      }
    }
    this.hashes = mergedHashes;
    this.numbers = mergedNumbers;
    this.recent.clear();
  }
}
