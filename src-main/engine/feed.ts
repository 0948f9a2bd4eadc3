// The comment feed as the UI receives it: a bounded backlog of recent comments, and the ones that
// arrived since the last push (sent as a delta, capped so a flood cannot swamp the renderer). Each
// comment carries its person (for the profile drawer) and their badges.
import type { Badge, FeedItem } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';

const BACKLOG = 100;
const MAX_DELTA = 50;

export class Feed {
  private backlog: FeedItem[] = [];
  private fresh: FeedItem[] = [];
  private seq = 0;

  constructor(private readonly badgesOf: (person: PersonFacts) => Badge[]) {}

  readonly add = (e: LiveEvent, person: PersonFacts | undefined): void => {
    if (e.kind !== 'chat') return;
    const item: FeedItem = { seq: ++this.seq, id: `${e.platform}:${e.id}`, ts: e.ts, platform: e.platform, user: e.user?.name ?? '', text: e.text, badges: [] };
    if (person) {
      item.personId = person.id;
      item.badges = this.badgesOf(person);
    }
    this.backlog.push(item);
    if (this.backlog.length > BACKLOG) this.backlog.shift();
    this.fresh.push(item);
    if (this.fresh.length > MAX_DELTA) this.fresh.shift();
  };

  /** Comments since the previous call, oldest first. */
  takeFresh(): FeedItem[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }

  recent(): FeedItem[] {
    return [...this.backlog];
  }

  /** Drops an erased person's comments. */
  forget(personId: number): void {
    const keep = (item: FeedItem) => item.personId !== personId;
    this.backlog = this.backlog.filter(keep);
    this.fresh = this.fresh.filter(keep);
  }
}
