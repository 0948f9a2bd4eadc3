// De-duplication by (platform, message id) in bounded memory: two generations of ids per platform,
// the older generation dropped when the newer fills, so the last `capacity`..2×`capacity` ids are
// always remembered. Ids are kept per platform so no key string is built per event.

type Generation = Map<string, Set<string>>;

export class Dedup {
  private current: Generation = new Map();
  private previous: Generation = new Map();
  private size = 0;

  constructor(private readonly capacity = 100_000) {}

  /** True the first time an id is seen (within the remembered window), false for a repeat. */
  firstSeen(platform: string, id: string): boolean {
    let ids = this.current.get(platform);
    if (ids?.has(id) || this.previous.get(platform)?.has(id)) return false;
    if (this.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
      this.size = 0;
      ids = undefined;
    }
    if (!ids) this.current.set(platform, (ids = new Set()));
    ids.add(id);
    this.size++;
    return true;
  }
}
