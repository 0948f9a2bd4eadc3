// The session's lineup as the recommender sees it: the products shown so far (product_switch and
// product_exposure events), in the order first seen, described by the catalog (a switch's product name
// fills in for a product the catalog lacks); the product on air; and when each product left the air,
// so that one just explained is not recommended again at once. O(1) per event; driven by event time.
import type { LiveEvent } from '../events/live-event';
import type { Catalog, ProductInfo } from './products';

/** The lineup's part of a room to recommend for (recommend.ts). */
export interface LineupView {
  lineup: readonly ProductInfo[];
  onAir?: string;
  /** Product → when it last left the air. */
  leftAirAt: ReadonlyMap<string, number>;
}

export class Lineup {
  private readonly products = new Map<string, ProductInfo>();
  private readonly leftAir = new Map<string, number>();
  private current: string | undefined;
  private list: ProductInfo[] | undefined;

  constructor(private readonly catalog: Catalog) {}

  observe(e: LiveEvent): void {
    if (e.kind === 'product_switch') {
      this.see(e.productId, e.productName);
      if (this.current !== undefined && this.current !== e.productId) this.leftAir.set(this.current, e.ts);
      this.current = e.productId;
    } else if (e.kind === 'product_exposure') this.see(e.productId);
  }

  view(): LineupView {
    this.list ??= [...this.products.values()];
    return { lineup: this.list, onAir: this.current, leftAirAt: this.leftAir };
  }

  private see(productId: string, name?: string): void {
    if (this.products.has(productId)) return;
    const known = this.catalog(productId);
    this.products.set(productId, { ...known, id: productId, name: known?.name ?? name });
    this.list = undefined;
  }
}
