// The live feed as the UI receives it: comments, gifts, carts, orders, follows and joins in one line,
// each with its person (for the profile drawer), badges and segments. A bounded backlog, and the
// items that arrived since the last push (sent as a delta, capped so a flood cannot swamp the renderer).
import { feedKinds, type Badge, type FeedItem, type FeedKind } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';

const BACKLOG = 200;
const MAX_DELTA = 80;
const shown: ReadonlySet<string> = new Set(feedKinds);

export class Feed {
  private backlog: FeedItem[] = [];
  private fresh: FeedItem[] = [];
  private seq = 0;

  constructor(
    private readonly badgesOf: (person: PersonFacts) => Badge[],
    private readonly productName: (productId: string) => string | undefined,
  ) {}

  readonly add = (e: LiveEvent, person: PersonFacts | undefined): void => {
    if (!shown.has(e.kind) || (e.kind === 'fansclub' && e.action !== 'join')) return;
    const item: FeedItem = {
      seq: ++this.seq,
      id: `${e.platform}:${e.id}`,
      ts: e.ts,
      kind: e.kind as FeedKind,
      platform: e.platform,
      user: e.user?.name ?? '',
      text: this.textOf(e),
      badges: [],
      segments: 0,
    };
    if (e.kind === 'gift') Object.assign(item, { count: e.count, amountFen: e.valueFen });
    if (e.kind === 'order_paid') item.amountFen = e.amountFen;
    if (person) Object.assign(item, { personId: person.id, badges: this.badgesOf(person), segments: person.segments, intent: person.intent });
    this.backlog.push(item);
    if (this.backlog.length > BACKLOG) this.backlog.shift();
    this.fresh.push(item);
    if (this.fresh.length > MAX_DELTA) this.fresh.shift();
  };

  /** Items since the previous call, oldest first. */
  takeFresh(): FeedItem[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }

  recent(): FeedItem[] {
    return [...this.backlog];
  }

  /** Drops an erased person's items. */
  forget(personId: number): void {
    const keep = (item: FeedItem) => item.personId !== personId;
    this.backlog = this.backlog.filter(keep);
    this.fresh = this.fresh.filter(keep);
  }

  private textOf(e: LiveEvent): string {
    if (e.kind === 'chat') return e.text;
    if (e.kind === 'gift') return e.giftName;
    if (e.kind === 'cart_add' || e.kind === 'order_paid') return this.productName(e.productId) ?? e.productId;
    return '';
  }
}
