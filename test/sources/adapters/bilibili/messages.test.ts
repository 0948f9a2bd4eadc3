// Message mapping on its own: ids stay the same each time a message arrives (so a backlog is dropped
// even without the server's msg_id), and no field of any message, whatever it holds, can make the
// mapping throw: a broken field only makes an event the intake rejects and counts.
import { describe, expect, it } from 'vitest';
import { BilibiliMessages, type Draft } from '../../../../src-main/sources/adapters/bilibili/messages';
import { collector } from '../../../helpers/collect';
import * as m from './room-messages';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const samples = (): Json[] =>
  [
    m.danmu(1),
    m.danmu(2, { uid: 0, uname: '观***', withIdStr: false }),
    m.sendGift(3, { tid: '46234706405847700', giftId: 31036, giftName: '小花花', num: 5, price: 100, coin: 'gold' }),
    m.superChat(4, 30, '主播好'),
    m.guardBuy(5, 3, 1, 198_000),
    m.interact(6, 1),
    m.interact(7, 2, 0),
    m.onlineRankCount(8, 1234),
    m.watchedChange(9, 5678),
    m.likeUpdate(10, 999),
    m.recommendCard(11, 'g-1', '保温杯', '39.90'),
    m.gotoBuyFlow(12, 'x**正在去买'),
    m.logInNotice(13),
  ] as Json[];

/** Every place in a value: the path to each nested array item and object field. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...paths((value as Record<string | number, Json>)[key], [...prefix, key])]);
}

function replaced(value: Json, path: (string | number)[], by: Json): Json {
  const copy = structuredClone(value);
  const parent = path.slice(0, -1).reduce<Json>((at, key) => (at as Record<string | number, Json>)[key], copy);
  (parent as Record<string | number, Json>)[path.at(-1)!] = by;
  return copy;
}

/** What JSON can hold where a field is expected, including an object that cannot become a string. */
const oddValues: Json[] = [null, 0, -1, 1.5, 1e300, '', 'x', true, [], {}, [[[]]], JSON.parse('{"toString":1,"valueOf":1}') as Json];

function idsOf(message: Json, now: number): string[] {
  const out: Draft[] = [];
  new BilibiliMessages('21452505').map(message, now, out);
  return out.map((e) => String(e.id));
}

describe('Bilibili message mapping', () => {
  it('derives the same ids from the same message each time it arrives, without the server’s msg_id', () => {
    for (const sample of samples().slice(0, 7)) {
      const { msg_id: _dropped, ...message } = sample as Record<string, Json>;
      const ids = idsOf(message, 1_000);
      expect(ids.length).toBeGreaterThan(0);
      expect(idsOf(message, 2_000)).toEqual(ids);
    }
    const [first, second] = [m.danmu(1, { withIdStr: false }), m.danmu(1, { withIdStr: false, text: '别的内容' })].map((d) => idsOf(d as Json, 0));
    expect(first).not.toEqual(second);
  });

  it('never throws, whatever any field holds, and the intake accounts for every event it makes', () => {
    const { intake } = collector(undefined, 'bilibili');
    let mapped = 0;
    for (const sample of samples()) {
      for (const path of paths(sample)) {
        for (const odd of oddValues) {
          const messages = new BilibiliMessages('21452505');
          const out: Draft[] = [];
          messages.map(m.recommendCard(0, 'g-0', '预热款', '9.90'), 0, out); // a product on air, for the clicks
          expect(() => messages.map(replaced(sample, path, odd), 1_000, out)).not.toThrow();
          intake.value(out);
          mapped += out.length;
        }
      }
    }
    const health = intake.snapshot();
    expect(mapped).toBeGreaterThan(5_000);
    expect(health.received).toBe(mapped);
    expect(health.accepted + health.duplicates + health.errors).toBe(mapped);
    expect(health.errorsByReason.invalid).toBeGreaterThan(0);
  });
});
