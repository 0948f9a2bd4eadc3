// Comparing a secret someone offered with the real one, in time that does not depend on where they differ.
import { timingSafeEqual } from 'node:crypto';

export function safeEqual(offered: string, secret: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
