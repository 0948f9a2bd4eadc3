// The live feed as the UI receives it: comments, gifts, carts, orders, follows and joins in one line,
// each with its person (for the profile drawer), badges and segments. A bounded backlog, and the
// items that arrived since the last push (sent as a delta, capped so a flood cannot swamp the renderer).
//
// A busy room shows only a fraction of what arrives (at most 80 items a push, 4 pushes a second), so
// the feed keeps the last events themselves and makes an item only when one is sent: an item's
// badges, segments and intent are its person's at that moment, at most a push after the event.
import { feedKinds, type Badge, type FeedItem, type FeedKind } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';

const BACKLOG = 200;
const MAX_DELTA = 80;
const shown: ReadonlySet<string> = new Set(feedKinds);

export class Feed {
  /** The last BACKLOG shown events, at `seq % BACKLOG`, with their persons and the items made of them; undefined once erased. */
  private readonly events: (LiveEvent | undefined)[] = new Array(BACKLOG);
  private readonly persons: (PersonFacts | undefined)[] = new Array(BACKLOG);
  private readonly items: (FeedItem | undefined)[] = new Array(BACKLOG);
  /** The seq of the last event added (1 for the first). */
  private seq = 0;
  /** The seq of the last event handed on by `takeFresh`. */
  private taken = 0;

  constructor(
    private readonly badgesOf: (person: PersonFacts) => Badge[],
    private readonly productName: (productId: string) => string | undefined,
  ) {}

  readonly add = (e: LiveEvent, person: PersonFacts | undefined): void => {
    if (!shown.has(e.kind) || (e.kind === 'fansclub' && e.action !== 'join')) return;
    const at = ++this.seq % BACKLOG;
    this.events[at] = e;
    this.persons[at] = person;
    this.items[at] = undefined;
  };

  /** Items since the previous call (the last MAX_DELTA of them), oldest first. */
  takeFresh(): FeedItem[] {
    const out = this.itemsSince(Math.max(this.taken, this.seq - MAX_DELTA));
    this.taken = this.seq;
    return out;
  }

  /** The backlog: the last BACKLOG items, oldest first. */
  recent(): FeedItem[] {
    return this.itemsSince(this.seq - BACKLOG);
  }

  /** Drops an erased person's items. */
  forget(personId: number): void {
    for (let at = 0; at < BACKLOG; at++) {
      if (this.persons[at]?.id !== personId) continue;
      this.events[at] = this.persons[at] = this.items[at] = undefined;
    }
  }

  /** The items of the events after `seq` still kept, made now for those not made yet. */
  private itemsSince(seq: number): FeedItem[] {
    const out: FeedItem[] = [];
    for (let s = Math.max(seq, 0) + 1; s <= this.seq; s++) {
      const at = s % BACKLOG;
      const e = this.events[at];
      if (!e) continue;
      out.push((this.items[at] ??= this.itemOf(s, e, this.persons[at])));
    }
    return out;
  }

  private itemOf(seq: number, e: LiveEvent, person: PersonFacts | undefined): FeedItem {
    const item: FeedItem = {
      seq,
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
    return item;
  }

  private textOf(e: LiveEvent): string {
    if (e.kind === 'chat') return e.text;
    if (e.kind === 'gift') return e.giftName;
    if (e.kind === 'cart_add' || e.kind === 'order_paid') return this.productName(e.productId) ?? e.productId;
    return '';
  }
}
