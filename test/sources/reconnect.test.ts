import { describe, expect, it } from 'vitest';
import { Backoff, Watchdog } from '../../src-main/sources/reconnect';

describe('backoff', () => {
  it('doubles its ceiling up to the maximum, with jitter in the upper half', () => {
    const low = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => low.next())).toEqual([50, 100, 200, 400, 500, 500]);
    const high = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5].map(() => high.next())).toEqual([100, 200, 400, 800, 1000]);
    high.reset();
    expect(high.next()).toBe(100);
  });

  it('spreads the retries of many clients apart', () => {
    const waits = Array.from({ length: 200 }, () => new Backoff({ initialMs: 1000 }).next());
    expect(new Set(waits).size).toBeGreaterThan(100);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...waits)).toBeLessThanOrEqual(1000);
  });
});

describe('watchdog', () => {
  it('fires once after the silence, not while fed', async () => {
    let fired = 0;
    const dog = new Watchdog(100, () => fired++);
    dog.start();
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 40));
      dog.feed();
    }
    expect(fired).toBe(0);
    await new Promise((r) => setTimeout(r, 250));
    expect(fired).toBe(1);
    dog.stop();
  });
});
