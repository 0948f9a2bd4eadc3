// Greeting cues: a VIP or a high-value past buyer arriving in the room is worth a word from the anchor
// ("欢迎 VIP 追**熊"). Each person is greeted at most once a session, only while their arrival is
// fresh, and always with a masked nickname: the anchor view is on screen, often on the stream itself.
import type { Cue } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';

/** A past buyer with at least this lifetime value (fen) counts as high-value. */
export const HIGH_VALUE_FEN = 100_000;
/** An arrival is greeted within this long of it (event time). */
const FRESH_MS = 60_000;

const yuan = (fen: number): string => `¥${Math.round(fen / 100).toLocaleString('zh-CN')}`;

/** A nickname as the anchor may say it: first and last character kept, the middle starred. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.length === 1 ? `${chars[0]}*` : '**';
  return `${chars[0]}${'*'.repeat(Math.min(2, chars.length - 2) || 1)}${chars.at(-1)}`;
}

interface Arrival {
  ts: number;
  cue: Cue;
}

export class Greetings {
  private readonly greeted = new Set<number>();
  private latest: Arrival | undefined;

  /** Notes an arrival (an enter) of a person worth greeting. */
  readonly observe = (e: LiveEvent, person: PersonFacts | undefined): void => {
    if (e.kind !== 'enter' || !person || this.greeted.has(person.id) || !e.user?.name) return;
    const reason = reasonFor(person);
    if (!reason) return;
    this.greeted.add(person.id);
    this.latest = { ts: e.ts, cue: { kind: 'greet', title: `欢迎 ${maskName(e.user.name)}`, reason } };
  };

  /** The latest arrival's greeting while it is fresh at event time `now`. */
  current(now: number): Cue | undefined {
    return this.latest && now - this.latest.ts <= FRESH_MS ? this.latest.cue : undefined;
  }
}

/** Why this person is worth greeting, in numbers; undefined when they are not. */
function reasonFor(person: PersonFacts): string | undefined {
  const { orders, ltvFen } = person.traits;
  const vip = person.tags.has('VIP') || (person.level ?? 0) >= 5;
  if (!vip && (orders === 0 || ltvFen < HIGH_VALUE_FEN)) return undefined;
  const facts = [vip ? `VIP${person.level ? ` ${person.level} 级` : ''}` : '高价值老客', `累计消费 ${yuan(ltvFen)}`, `${orders} 单`];
  if (person.platforms.length > 1) facts.push('跨平台');
  return facts.join(' · ');
}
