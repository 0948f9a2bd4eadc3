// What every Douyin adapter shares: what a diamond (抖币) is worth, and how Douyin hides viewers.

/** Diamonds are bought at ¥1 = 10 抖币, so one is worth 10 fen. */
export const DOUYIN_FEN_PER_DIAMOND = 10;

/**
 * User ids that are not a person: 111111 is what Douyin sends for every viewer of a room whose anchor
 * hid the audience, or to an anonymous watcher (names then arrive cut, e.g. "玲***"); 0 is no id at all.
 */
export const DOUYIN_HIDDEN_UIDS: ReadonlySet<string> = new Set(['0', '111111']);
