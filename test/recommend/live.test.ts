// The recommender in the engine: while the demo room plays, the snapshot names the next product to
// explain (never the one on air) with its reason in numbers, and ops can put it on the anchor view.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { until } from '../helpers/collect';
import { tempDir } from '../helpers/temp-dir';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

describe('the next product in a live session', () => {
  it('is in the snapshot, from the lineup but not on air, with a reason in numbers', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't', demo: { seed: 4, rate: 1500 } });
    engine.start();
    // The demo CRM is pulled while the demo plays: then the audience's history shows in the reason.
    await until(async () => /在线 [\d.]+%/.test((await engine!.handlers.getSnapshot({})).next[0]?.reason ?? ''), 25_000, 'a recommendation with figures');
    const snapshot = await engine.handlers.getSnapshot({});
    const [best] = snapshot.next;
    const onAir = snapshot.products.find((p) => p.onAir)?.productId;
    expect(best.productId).not.toBe(onAir);
    expect(snapshot.products.map((p) => p.productId)).toContain(best.productId);
    expect(best.label).toMatch(/^\d+号 /);
    expect(best.reason).toMatch(/在线 [\d.]+%/);
    expect(best.score).toBeGreaterThan(0);
  }, 30_000);
});
