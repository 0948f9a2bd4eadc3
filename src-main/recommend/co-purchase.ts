// The item-to-item co-purchase model: from buyers' baskets (the distinct products each buyer has paid
// for), how many buyers bought each product and each pair, hence the confidence P(bought j | bought i);
// and each product's baseline, the co-purchase rate of the average buyer, against which a room's is
// read. Built once from the order history (order-baskets.ts) and replaced when refreshed; read-only
// after. Pure: no database, no clock.

/** A basket with more distinct products than this (a reseller, a test account) is left out. */
export const MAX_BASKET = 100;

export class CoPurchase {
  /** Product id → its index in the arrays below. */
  readonly index = new Map<string, number>();
  private baskets = 0;
  /** Per product index: buyers who bought it. */
  private buyers: number[] = [];
  /** Per product index j: the products i bought by the same buyers, and how many buyers bought both. */
  private partners: Map<number, number>[] = [];
  /** Per product index: Σ over its buyers of 1 / (the buyer's distinct products). */
  private weight: number[] = [];
  /** Per product index: its co-purchase rate over every buyer (see `baseline`). */
  private base = new Float64Array(0);

  static fromBaskets(baskets: Iterable<Iterable<string>>): CoPurchase {
    const model = new CoPurchase();
    for (const basket of baskets) model.add(basket);
    const weight = Float64Array.from(model.weight);
    model.base = Float64Array.from(model.buyers, (_, j) => model.weighted(j, weight) / model.baskets);
    return model;
  }

  /** Buyers counted (baskets of one product or more). */
  get buyerCount(): number {
    return this.baskets;
  }

  /** Products the model knows. */
  get size(): number {
    return this.buyers.length;
  }

  /** P(bought `to` | bought `from`): of the buyers of `from`, the share who also bought `to` (0 for unknown products). */
  confidence(from: string, to: string): number {
    const i = this.index.get(from);
    const j = this.index.get(to);
    if (i === undefined || j === undefined || i === j) return 0;
    return (this.partners[j].get(i) ?? 0) / this.buyers[i];
  }

  /**
   * Σ over products i ≠ j of weight[i] × P(bought j | bought i), `weight` indexed like the model: the
   * work is the number of products ever bought with j, never the number of buyers.
   */
  weightedConfidence(to: string, weight: Float64Array): number {
    const j = this.index.get(to);
    return j === undefined ? 0 : this.weighted(j, weight);
  }

  /**
   * The mean over every buyer of the mean over their products i ≠ j of P(bought j | bought i): what
   * `weightedConfidence` gives for the average buyer, so that a room's rate can be read against it.
   */
  baseline(to: string): number {
    const j = this.index.get(to);
    return j === undefined ? 0 : this.base[j];
  }

  private weighted(j: number, weight: Float64Array): number {
    let sum = 0;
    for (const [i, both] of this.partners[j]) if (weight[i] > 0) sum += (weight[i] * both) / this.buyers[i];
    return sum;
  }

  private add(basket: Iterable<string>): void {
    const items = [...new Set(basket)];
    if (items.length === 0 || items.length > MAX_BASKET) return;
    this.baskets++;
    const indices = items.map((id) => this.indexOf(id));
    for (const j of indices) {
      this.buyers[j]++;
      this.weight[j] += 1 / indices.length;
      const partners = this.partners[j];
      for (const i of indices) if (i !== j) partners.set(i, (partners.get(i) ?? 0) + 1);
    }
  }

  private indexOf(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.buyers.length;
      this.index.set(id, i);
      this.buyers.push(0);
      this.weight.push(0);
      this.partners.push(new Map());
    }
    return i;
  }
}
