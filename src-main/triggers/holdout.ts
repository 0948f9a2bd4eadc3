// Holdout assignment, deterministic so that a replay or a restart assigns the same way: a person is
// held out of a rule when the hash of (salt, rule id, person id) falls in the rule's share; a
// room-wide rule, which cannot hold out single persons, is held out in alternating time slices
// (aligned to the clock, odd ones held out).

/** Where a person falls for a rule, uniformly in [0, 1). */
export function holdoutBucket(personId: number, ruleId: string, salt: string): number {
  return cyrb53(`${salt}\u0000${ruleId}\u0000${personId}`) / 2 ** 53;
}

export function personHeldOut(personId: number, ruleId: string, salt: string, share: number): boolean {
  return share > 0 && holdoutBucket(personId, ruleId, salt) < share;
}

/** The slice of `sliceMinutes` a time falls in, counted from the epoch. */
export function sliceOf(ts: number, sliceMinutes: number): number {
  return Math.floor(ts / (sliceMinutes * 60_000));
}

export function sliceHeldOut(slice: number): boolean {
  return slice % 2 === 1;
}

/** cyrb53 (public domain, bryc): a fast 53-bit string hash with good avalanche. */
function cyrb53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
