// De-duplication by (platform, message id) in bounded memory: two generations of keys, the older one
// dropped when the newer fills, so the last `capacity`..2×`capacity` keys are always remembered.

export class Dedup {
  private current = new Set<string>();
  private previous = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  /** True the first time a key is seen (within the remembered window), false for a repeat. */
  firstSeen(platform: string, id: string): boolean {
    const key = `${platform}\u0000${id}`;
    if (this.current.has(key) || this.previous.has(key)) return false;
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(key);
    return true;
  }
}
