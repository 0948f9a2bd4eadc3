// One slice of the room's numbers (the whole room, one platform, or one product), updated per event:
// counts, sums and exact distinct-person sets (compact ones: distinct-set.ts), kept as numerators and
// denominators so every rate of kpis.md can be shown the way each platform defines it.
import type { CutKpis } from '../contract';
import type { LiveEvent } from '../events/live-event';
import { DistinctSet } from './distinct-set';

/**
 * Whether an event shows its person in the room: everything a viewer does there, even without an
 * enter we saw (they were there before we connected). Payments, refunds and redemptions come from
 * order systems, often after the viewer left, so they do not.
 */
export function inRoom(e: LiveEvent): boolean {
  return e.kind !== 'order_paid' && e.kind !== 'order_refund' && e.kind !== 'coupon_redeemed' && e.kind !== 'leave';
}

export class Cut {
  pv = 0;
  comments = 0;
  likes = 0;
  follows = 0;
  shares = 0;
  fansJoins = 0;
  giftValueFen = 0;
  ordersCreated = 0;
  paidOrders = 0;
  gmvFen = 0;
  refundedOrders = 0;
  refundFen = 0;
  couponsIssued = 0;
  couponsClaimed = 0;
  couponsRedeemed = 0;
  /** GMV of orders paid with a coupon. */
  couponGmvFen = 0;
  adSpendFen = 0;
  privateDomainJoins = 0;
  /** Entries by traffic source (流量来源). */
  readonly traffic = new Map<string, number>();
  readonly viewers = new DistinctSet();
  readonly commenters = new DistinctSet();
  readonly interacting = new DistinctSet();
  readonly exposed = new DistinctSet();
  readonly clicked = new DistinctSet();
  readonly carted = new DistinctSet();
  readonly ordered = new DistinctSet();
  readonly paying = new DistinctSet();

  /** Applies one event; `person` is its person number, or -1 for an anonymous or masked user. */
  apply(e: LiveEvent, person: number): void {
    const known = person >= 0;
    if (known && inRoom(e)) this.viewers.add(person);
    switch (e.kind) {
      case 'enter':
        this.pv++;
        if (e.trafficSource) this.traffic.set(e.trafficSource, (this.traffic.get(e.trafficSource) ?? 0) + 1);
        break;
      case 'chat':
        this.comments++;
        if (known) {
          this.commenters.add(person);
          this.interacting.add(person);
        }
        break;
      case 'like':
        this.likes += e.count;
        if (known) this.interacting.add(person);
        break;
      case 'follow':
        this.follows++;
        if (known) this.interacting.add(person);
        break;
      case 'share':
        this.shares++;
        if (known) this.interacting.add(person);
        break;
      case 'fansclub':
        if (e.action === 'join') this.fansJoins++;
        break;
      case 'gift':
        this.giftValueFen += e.valueFen;
        if (known) this.interacting.add(person);
        break;
      case 'product_exposure':
        if (known) this.exposed.add(person);
        break;
      case 'product_click':
        if (known) this.clicked.add(person);
        break;
      case 'cart_add':
        if (known) this.carted.add(person);
        break;
      case 'order_created':
        this.ordersCreated++;
        if (known) this.ordered.add(person);
        break;
      case 'order_paid':
        this.paidOrders++;
        this.gmvFen += e.amountFen;
        if (e.couponId) this.couponGmvFen += e.amountFen;
        if (known) this.paying.add(person);
        break;
      case 'order_refund':
        this.refundedOrders++;
        this.refundFen += e.amountFen;
        break;
      case 'coupon_issued':
        this.couponsIssued++;
        break;
      case 'coupon_claimed':
        this.couponsClaimed++;
        break;
      case 'coupon_redeemed':
        this.couponsRedeemed++;
        break;
      case 'ad_spend':
        this.adSpendFen += e.amountFen;
        break;
      case 'private_domain_join':
        this.privateDomainJoins++;
        break;
      default:
        break;
    }
  }

  kpis(): CutKpis {
    return {
      uv: this.viewers.size,
      pv: this.pv,
      comments: this.comments,
      commenters: this.commenters.size,
      interacting: this.interacting.size,
      likes: this.likes,
      follows: this.follows,
      shares: this.shares,
      fansJoins: this.fansJoins,
      giftValueFen: this.giftValueFen,
      funnel: {
        exposed: this.exposed.size,
        clicked: this.clicked.size,
        carted: this.carted.size,
        ordered: this.ordered.size,
        paid: this.paying.size,
      },
      ordersCreated: this.ordersCreated,
      paidOrders: this.paidOrders,
      gmvFen: this.gmvFen,
      refundedOrders: this.refundedOrders,
      refundFen: this.refundFen,
      coupons: { issued: this.couponsIssued, claimed: this.couponsClaimed, redeemed: this.couponsRedeemed, gmvFen: this.couponGmvFen },
      adSpendFen: this.adSpendFen,
      privateDomainJoins: this.privateDomainJoins,
      traffic: Object.fromEntries(this.traffic),
    };
  }
}
