// The tolerance signal: a person who answers a coupon with annoyance (别发了, 骚扰, 烦, 拉黑…) within
// half an hour of one (sent to them, or announced to the whole room) is held back from every rule for
// the rest of the session. Owns the negative-word pattern, when each person last got a coupon (within
// the window) and the set of persons held back. Event time only; bounded by the persons it remembers.

/** Annoyance at being sent coupons; 麻烦 (please) and 烦请 are polite, not annoyed. */
const NEGATIVE_WORDS = /别再?发了|别再发|不要再发|别发券|不要发券|别推了|不要推|骚扰|(?<!麻)烦(?!请)|拉黑|举报|屏蔽|退订|取关|滚开|滚蛋/;
/** How long after a coupon a negative comment counts as a reaction to it. */
const TOLERANCE_WINDOW_MS = 30 * 60_000;

export class Tolerance {
  private readonly held = new Set<number>();
  /** When each person was last sent a coupon, oldest first; only those within the window are kept. */
  private readonly lastCoupon = new Map<number, number>();
  private lastRoomCoupon = -Infinity;

  constructor(private readonly maxPersons: number) {}

  isHeld(personId: number): boolean {
    return this.held.has(personId);
  }

  /** A person held back already (loaded when the engine restarts mid-session). */
  hold(personId: number): void {
    this.held.add(personId);
  }

  couponTo(personId: number, ts: number): void {
    this.forgetBefore(ts - TOLERANCE_WINDOW_MS);
    this.lastCoupon.delete(personId); // re-added at the back, keeping the map in time order
    if (this.lastCoupon.size < this.maxPersons) this.lastCoupon.set(personId, ts);
  }

  couponToRoom(ts: number): void {
    this.lastRoomCoupon = Math.max(this.lastRoomCoupon, ts);
  }

  /** A comment; true when it newly holds the person back. */
  comment(personId: number, text: string, ts: number): boolean {
    if (this.held.has(personId)) return false;
    // The person's own coupon is looked up only when no room-wide one is recent (most comments, in a room that announces coupons).
    const recent = ts - this.lastRoomCoupon <= TOLERANCE_WINDOW_MS || ts - (this.lastCoupon.get(personId) ?? -Infinity) <= TOLERANCE_WINDOW_MS;
    if (!recent || !NEGATIVE_WORDS.test(text)) return false;
    this.held.add(personId);
    return true;
  }

  /** Forgets the coupons sent before `ts`, from the front of the map (coupons restored at a restart may be out of order: those wait). */
  private forgetBefore(ts: number): void {
    for (const [personId, at] of this.lastCoupon) {
      if (at >= ts) break;
      this.lastCoupon.delete(personId);
    }
  }
}
