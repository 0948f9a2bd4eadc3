// The eviction order of a bounded map: its entries in the order they were (re)placed, the oldest
// first. A map's own order would do, were it not that V8 keeps the slots of deleted keys until it
// rehashes, and finding the first key walks past all of them: forgetting the oldest again and again,
// or moving an entry to the back by deleting and setting it, made each step cost up to the map's
// size. Here an entry placed again is pushed again; its older place, like the place of an entry
// forgotten some other way, goes stale (`isLive` says which) and is skipped, and the order is
// compacted once the stale places outnumber the live ones.

/** Stale places kept beyond twice the live ones before the order is compacted. */
const COMPACT_AFTER = 1_024;

export class EvictionOrder<T> {
  private places: T[] = [];
  private head = 0;

  constructor(private readonly isLive: (place: T) => boolean) {}

  /** Puts a place at the back; `live` is how many live places the order holds with it. */
  push(place: T, live: number): void {
    this.places.push(place);
    if (this.places.length > 2 * live + COMPACT_AFTER) {
      this.places = this.places.slice(this.head).filter(this.isLive);
      this.head = 0;
    }
  }

  /** The oldest live place (the stale ones before it are passed over for good), or undefined. */
  oldest(): T | undefined {
    for (; this.head < this.places.length; this.head++) if (this.isLive(this.places[this.head])) return this.places[this.head];
    return undefined;
  }

  /** Takes the oldest live place out of the order, or undefined when there is none. */
  shift(): T | undefined {
    const place = this.oldest();
    if (place !== undefined) this.head++;
    return place;
  }

  clear(): void {
    this.places = [];
    this.head = 0;
  }
}
