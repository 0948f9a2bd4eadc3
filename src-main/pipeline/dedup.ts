// De-duplication by (platform, message id) in fixed memory and without garbage: each key is hashed
// to 53 bits and kept in two generations of open-addressing tables; when the newer one fills, the
// older is cleared and reused, so the last `capacity`..2×`capacity` keys are always remembered.
// Two different keys collide on all 53 bits with odds of about capacity / 2^53 (one event in tens of
// billions); keeping the id strings instead would cost a third of the ingest rate in GC.
import { hash53 } from '../shared/hash53';

export class Dedup {
  private current: Float64Array;
  private previous: Float64Array;
  private readonly mask: number;
  private size = 0;

  constructor(private readonly capacity = 100_000) {
    // Tables at most half full keep probe chains short.
    let slots = 1;
    while (slots < capacity * 2) slots *= 2;
    this.mask = slots - 1;
    this.current = new Float64Array(slots);
    this.previous = new Float64Array(slots);
  }

  /** True the first time a key is seen (within the remembered window), false for a repeat. */
  firstSeen(platform: string, id: string): boolean {
    const h = hash53(platform, id);
    if (this.has(this.current, h) || this.has(this.previous, h)) return false;
    if (this.size >= this.capacity) {
      const reused = this.previous.fill(0);
      this.previous = this.current;
      this.current = reused;
      this.size = 0;
    }
    let slot = h & this.mask;
    while (this.current[slot] !== 0) slot = (slot + 1) & this.mask;
    this.current[slot] = h;
    this.size++;
    return true;
  }

  private has(table: Float64Array, h: number): boolean {
    for (let slot = h & this.mask; table[slot] !== 0; slot = (slot + 1) & this.mask) if (table[slot] === h) return true;
    return false;
  }
}
