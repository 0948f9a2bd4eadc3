// A 53-bit hash of a (platform, id) pair: what the de-dup tables and the metrics' person numbers keep
// instead of the id strings, so that remembering a million keys costs numbers, not strings. Two
// different keys collide on all 53 bits with odds of about n / 2^53 for n keys kept.

/** Two 32-bit FNV-1a style hashes with different seeds over "platform\0id", joined into 53 bits (never 0). */
export function hash53(platform: string, id: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < platform.length; i++) {
    const c = platform.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a = Math.imul(a, 0x01000193); // the separator
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  b ^= b >>> 15;
  b = Math.imul(b, 0x2c1b3c6d);
  b ^= b >>> 12;
  return (a >>> 0) * 0x200000 + (b >>> 11) || 1;
}
