// Gift streaks (连击): while a combo lasts, many platforms re-send its running total ("×5", "×8", "×12").
// Counted once: each message adds only what the total grew by, and a total that is not higher than
// one already seen (a late or repeated message) adds nothing. Memory is bounded: streaks are kept in
// two generations, the older dropped when the newer fills.

export class GiftStreaks {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();

  constructor(private readonly capacity = 50_000) {}

  /** How many gifts a message carrying the streak's running `total` adds (0 when stale). */
  increment(streak: string, total: number): number {
    const seen = this.current.get(streak) ?? this.previous.get(streak) ?? 0;
    if (total <= seen) return 0;
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(streak, total);
    return total - seen;
  }
}
