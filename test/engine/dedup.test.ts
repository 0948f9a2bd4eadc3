import { describe, expect, it } from 'vitest';
import { Dedup } from '../../src-main/pipeline/dedup';

describe('dedup', () => {
  it('passes a message id once per platform', () => {
    const d = new Dedup(10);
    expect(d.firstSeen('douyin', 'm1')).toBe(true);
    expect(d.firstSeen('douyin', 'm1')).toBe(false);
    expect(d.firstSeen('kuaishou', 'm1')).toBe(true);
  });

  it('remembers at least `capacity` recent ids and forgets older ones, in bounded memory', () => {
    const d = new Dedup(100);
    for (let i = 0; i < 1000; i++) d.firstSeen('p', String(i));
    for (let i = 900; i < 1000; i++) expect(d.firstSeen('p', String(i))).toBe(false);
    expect(d.firstSeen('p', '0')).toBe(true);
  });
});

describe('dedup at scale', () => {
  it('never mistakes a new id for a repeat across millions of similar ids', () => {
    const d = new Dedup(500_000);
    let falseRepeats = 0;
    for (let i = 0; i < 2_000_000; i++) if (!d.firstSeen('douyin', `7${String(i).padStart(18, '0')}`)) falseRepeats++;
    for (let i = 0; i < 200_000; i++) if (!d.firstSeen('kuaishou', `msg-${i}`)) falseRepeats++;
    expect(falseRepeats).toBe(0);
    let caught = 0;
    for (let i = 1_999_000; i < 2_000_000; i++) if (!d.firstSeen('douyin', `7${String(i).padStart(18, '0')}`)) caught++;
    expect(caught).toBe(1_000);
  });
});
