// The live feed as the UI receives it: comments, gifts, carts, orders, follows and joins in one line,
// each with its person (for the profile drawer), badges and segments. A bounded backlog, and the
// items that arrived since the last push (sent as a delta, capped so a flood cannot swamp the renderer).
import { feedKinds, type Badge, type FeedItem, type FeedKind } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';

const BACKLOG = 200;
const MAX_DELTA = 80;
const shown: ReadonlySet<string> = new Set(feedKinds);

/**
 * The last `limit` items of a list that grows at its end. The lists are trimmed once they hold twice
 * their limit rather than by a shift per item (which moves the whole list each time): most items of
 * a busy room are dropped unseen.
 */
function trimmed(list: FeedItem[], limit: number): FeedItem[] {
  return list.length > limit ? list.slice(-limit) : list;
}

export class Feed {
  /** The backlog, oldest first; only the last BACKLOG items count. */
  private backlog: FeedItem[] = [];
  /** Items since the last push, oldest first; only the last MAX_DELTA count. */
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
      badges: person ? this.badgesOf(person) : [],
      segments: person ? person.segments : 0,
    };
    if (e.kind === 'gift') {
      item.count = e.count;
      item.amountFen = e.valueFen;
    }
    if (e.kind === 'order_paid') item.amountFen = e.amountFen;
    if (person) {
      item.personId = person.id;
      item.intent = person.intent;
    }
    this.backlog.push(item);
    if (this.backlog.length >= 2 * BACKLOG) this.backlog = trimmed(this.backlog, BACKLOG);
    this.fresh.push(item);
    if (this.fresh.length >= 2 * MAX_DELTA) this.fresh = trimmed(this.fresh, MAX_DELTA);
  };

  /** Items since the previous call, oldest first. */
  takeFresh(): FeedItem[] {
    const out = trimmed(this.fresh, MAX_DELTA);
    this.fresh = [];
    return out;
  }

  recent(): FeedItem[] {
    return this.backlog.slice(-BACKLOG);
  }

  /** Drops an erased person's items. */
  forget(personId: number): void {
    const keep = (item: FeedItem) => item.personId !== personId;
    this.backlog = trimmed(this.backlog, BACKLOG).filter(keep);
    this.fresh = trimmed(this.fresh, MAX_DELTA).filter(keep);
  }

  private textOf(e: LiveEvent): string {
    if (e.kind === 'chat') return e.text;
    if (e.kind === 'gift') return e.giftName;
    if (e.kind === 'cart_add' || e.kind === 'order_paid') return this.productName(e.productId) ?? e.productId;
    return '';
  }
}
