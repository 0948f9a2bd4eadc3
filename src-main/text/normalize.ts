// Text normalisation for danmaku: what a comment means once its width, emoji, stickers and repeats
// are set aside, and whether it is spam (ads, pure repeats, one viewer flooding the same words).
import { EvictionOrder } from '../shared/eviction-order';
import { hash53 } from '../shared/hash53';

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/g;
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\uFE0F\u200D\u20E3]/gu;
/** Platform stickers such as [笑哭] or [爱心]. */
const STICKER = /\[[^[\]]{1,8}\]/g;
const PUNCT_RUN = /([\p{P}\p{S}])\1+/gu;
const LETTER_RUN = /(\p{L})\1{2,}/gu;
const SPACE_RUN = /\s+/g;

function toHalfWidth(ch: string): string {
  return ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
}

/** Half-width, no emoji or stickers, repeats collapsed (哈哈哈哈 → 哈哈, ？？？ → ?), lowercase, trimmed. */
export function normalizeText(raw: string): string {
  return raw
    .replace(FULL_WIDTH, toHalfWidth)
    .replace(EMOJI, '')
    .replace(STICKER, '')
    .replace(PUNCT_RUN, '$1')
    .replace(LETTER_RUN, '$1$1')
    .replace(SPACE_RUN, ' ')
    .toLowerCase()
    .trim();
}

export type SpamKind = 'ad' | 'repeat';

const URL = /https?:\/\/|www\.|\.(com|cn|net|top|xyz|cc)\b/;
const AD = /加\s*(v|vx|微|薇|q|扣扣)|私信|微信|vx|v信|威信|qq群|主页|兼职|日结|代购/;
/** A short unit said five or more times and nothing else: 1111111, 扣1扣1扣1扣1扣1. */
const PURE_REPEAT = /^(.{1,3}?)\1{4,}$/u;

/** Whether a half-width, lowercase text (a normalised one, say) advertises: a link, a contact, side jobs. */
export function isAd(text: string): boolean {
  return URL.test(text) || AD.test(text);
}

/** Why a comment is spam, from its raw text, or null when it is not. */
export function spamKind(raw: string): SpamKind | null {
  const text = raw.replace(FULL_WIDTH, toHalfWidth).toLowerCase();
  if (isAd(text)) return 'ad';
  if (PURE_REPEAT.test(text.replace(SPACE_RUN, ''))) return 'repeat';
  return null;
}

export interface FloodGuardOptions {
  /** How long one user's identical text is remembered. */
  windowMs?: number;
  /** Identical texts allowed per user in the window; later ones are a flood. */
  maxRepeats?: number;
  /** Most (user, text) pairs remembered; the oldest are forgotten first. */
  maxEntries?: number;
}

interface Seen {
  /** The pair's 53-bit hash (shared/hash53.ts): no string is kept per pair. */
  key: number;
  firstTs: number;
  count: number;
}

/** Notices one user sending the same (normalised) text many times within a short window. */
export class FloodGuard {
  private readonly seen = new Map<number, Seen>();
  /** The entries in the order remembered; one remembered again (its window over) is a new object in `seen`. */
  private readonly order = new EvictionOrder<Seen>((entry) => this.seen.get(entry.key) === entry);
  private readonly windowMs: number;
  private readonly maxRepeats: number;
  private readonly maxEntries: number;

  constructor(options: FloodGuardOptions = {}) {
    this.windowMs = options.windowMs ?? 10_000;
    this.maxRepeats = options.maxRepeats ?? 3;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** Records the message; true when it is over the repeat allowance. */
  isFlood(userId: string, text: string, ts: number): boolean {
    const key = hash53(userId, text);
    const entry = this.seen.get(key);
    if (entry && ts - entry.firstTs <= this.windowMs) return ++entry.count > this.maxRepeats;
    this.remember({ key, firstTs: ts, count: 1 });
    return false;
  }

  /** Pairs currently remembered. */
  get size(): number {
    return this.seen.size;
  }

  /** Remembers an entry as the newest, forgetting the least recently remembered beyond the limit. */
  private remember(entry: Seen): void {
    this.seen.set(entry.key, entry);
    this.order.push(entry, this.seen.size);
    while (this.seen.size > this.maxEntries) this.seen.delete(this.order.shift()!.key);
  }
}
