import { describe, expect, it } from 'vitest';
import type { ComputedTraits, PersonFacts } from '../../src-main/profiles/person';
import {
  badgesOf,
  builtinSegments,
  conditionSchema,
  matches,
  MAX_TREE_DEPTH,
  MAX_TREE_NODES,
  type Condition,
} from '../../src-main/profiles/segments';
import { DAY_MS } from '../../src-main/profiles/traits';

const NOW = Date.UTC(2026, 0, 1);

interface PersonInit extends Partial<Omit<PersonFacts, 'tags' | 'bought' | 'traits'>> {
  tags?: string[];
  bought?: string[];
  traits?: Partial<ComputedTraits>;
}

function person(init: PersonInit = {}): PersonFacts {
  const { tags = [], bought = [], traits = {}, ...rest } = init;
  return {
    id: 1,
    provisional: false,
    platforms: ['douyin'],
    suppressed: false,
    segments: 0,
    ...rest,
    tags: new Set(tags),
    bought: new Set(bought),
    traits: { orders: 0, ltvFen: 0, couponShare: 0, ...traits },
  };
}

const buyer = person({
  level: 3,
  platforms: ['douyin', 'kuaishou'],
  tags: ['粉丝'],
  bought: ['p1'],
  traits: {
    orders: 2,
    ltvFen: 50_000,
    couponShare: 0.5,
    lastPurchaseAt: NOW - 10 * DAY_MS,
    rfm: { r: 4, f: 2, m: 3, segment: '重要发展' },
  },
});
const stranger = person({ provisional: true, platforms: ['douyin'] });

describe('conditions', () => {
  it('tag', () => {
    expect(matches({ tag: '粉丝' }, buyer, NOW)).toBe(true);
    expect(matches({ tag: 'VIP' }, buyer, NOW)).toBe(false);
  });

  it('trait comparisons', () => {
    const t = (trait: 'orders' | 'ltvFen' | 'couponShare' | 'level', op: '>' | '>=' | '<' | '<=' | '=' | '!=', value: number) =>
      matches({ trait, op, value }, buyer, NOW);
    expect([t('orders', '>', 1), t('orders', '>', 2), t('orders', '>=', 2), t('orders', '>=', 3)]).toEqual([true, false, true, false]);
    expect([t('ltvFen', '<', 50_001), t('ltvFen', '<', 50_000), t('ltvFen', '<=', 50_000), t('ltvFen', '<=', 49_999)]).toEqual([true, false, true, false]);
    expect([t('couponShare', '=', 0.5), t('couponShare', '=', 0.4), t('couponShare', '!=', 0.4), t('couponShare', '!=', 0.5)]).toEqual([true, false, true, false]);
    expect([t('level', '>=', 3), t('level', '<', 3)]).toEqual([true, false]);
  });

  it('lastPurchaseDays, Infinity for a never-buyer', () => {
    expect(matches({ trait: 'lastPurchaseDays', op: '<=', value: 10 }, buyer, NOW)).toBe(true);
    expect(matches({ trait: 'lastPurchaseDays', op: '<=', value: 10 }, buyer, NOW + 1)).toBe(false);
    expect(matches({ trait: 'lastPurchaseDays', op: '>', value: 1e9 }, stranger, NOW)).toBe(true);
    expect(matches({ trait: 'lastPurchaseDays', op: '<', value: 1e9 }, stranger, NOW)).toBe(false);
  });

  it('a person without a level matches no level comparison', () => {
    for (const op of ['>', '>=', '<', '<=', '=', '!='] as const) {
      expect(matches({ trait: 'level', op, value: 0 }, stranger, NOW), op).toBe(false);
    }
  });

  it('rfm', () => {
    expect(matches({ rfm: ['重要价值', '重要发展'] }, buyer, NOW)).toBe(true);
    expect(matches({ rfm: ['重要价值'] }, buyer, NOW)).toBe(false);
    expect(matches({ rfm: ['一般挽留'] }, stranger, NOW)).toBe(false);
  });

  it('platform and crossPlatform', () => {
    expect(matches({ platform: 'kuaishou' }, buyer, NOW)).toBe(true);
    expect(matches({ platform: 'wechat' }, buyer, NOW)).toBe(false);
    expect(matches({ crossPlatform: true }, buyer, NOW)).toBe(true);
    expect(matches({ crossPlatform: false }, stranger, NOW)).toBe(true);
    expect(matches({ crossPlatform: true }, person({ platforms: ['douyin', 'douyin'] }), NOW)).toBe(false);
  });

  it('bought and provisional', () => {
    expect(matches({ bought: 'p1' }, buyer, NOW)).toBe(true);
    expect(matches({ bought: 'p2' }, buyer, NOW)).toBe(false);
    expect(matches({ provisional: true }, stranger, NOW)).toBe(true);
    expect(matches({ provisional: true }, buyer, NOW)).toBe(false);
  });

  it('all, any, not, and their empty forms', () => {
    expect(matches({ all: [{ tag: '粉丝' }, { bought: 'p1' }] }, buyer, NOW)).toBe(true);
    expect(matches({ all: [{ tag: '粉丝' }, { bought: 'p2' }] }, buyer, NOW)).toBe(false);
    expect(matches({ any: [{ tag: 'VIP' }, { bought: 'p1' }] }, buyer, NOW)).toBe(true);
    expect(matches({ any: [{ tag: 'VIP' }, { bought: 'p2' }] }, buyer, NOW)).toBe(false);
    expect(matches({ not: { tag: 'VIP' } }, buyer, NOW)).toBe(true);
    expect(matches({ all: [] }, buyer, NOW)).toBe(true);
    expect(matches({ any: [] }, buyer, NOW)).toBe(false);
  });

  it('nested trees', () => {
    // Fans on two platforms who bought recently, or anyone who is neither provisional nor a never-buyer.
    const tree: Condition = {
      any: [
        {
          all: [
            { tag: '粉丝' },
            { crossPlatform: true },
            { not: { trait: 'lastPurchaseDays', op: '>', value: 30 } },
          ],
        },
        { all: [{ not: { provisional: true } }, { not: { trait: 'orders', op: '=', value: 0 } }, { rfm: ['重要价值'] }] },
      ],
    };
    expect(matches(tree, buyer, NOW)).toBe(true);
    expect(matches(tree, buyer, NOW + 21 * DAY_MS)).toBe(false);
    expect(matches(tree, stranger, NOW)).toBe(false);
  });
});

describe('conditionSchema', () => {
  function chain(depth: number): unknown {
    let tree: unknown = { tag: 'x' };
    for (let i = 1; i < depth; i++) tree = { not: tree };
    return tree;
  }

  it('accepts every kind of node and round-trips a tree', () => {
    const tree: Condition = {
      all: [
        { any: [{ tag: 'VIP' }, { trait: 'level', op: '>=', value: 5 }] },
        { not: { rfm: ['一般挽留', '重要挽留'] } },
        { platform: 'douyin' },
        { crossPlatform: false },
        { bought: 'p1' },
        { provisional: false },
      ],
    };
    expect(conditionSchema.parse(JSON.parse(JSON.stringify(tree)))).toEqual(tree);
  });

  it('rejects malformed nodes', () => {
    for (const bad of [
      {},
      null,
      [],
      'tag',
      { tag: '' },
      { tag: 'x', bought: 'p1' },
      { trait: 'age', op: '>', value: 1 },
      { trait: 'orders', op: '=>', value: 1 },
      { trait: 'orders', op: '>', value: '1' },
      { rfm: ['重要'] },
      { crossPlatform: 'yes' },
      { all: [{ tag: 'x' }, { nope: 1 }] },
      { not: [] },
    ]) {
      expect(conditionSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it(`takes a tree ${MAX_TREE_DEPTH} deep and rejects one deeper`, () => {
    expect(conditionSchema.safeParse(chain(MAX_TREE_DEPTH)).success).toBe(true);
    const result = conditionSchema.safeParse(chain(MAX_TREE_DEPTH + 1));
    expect(result.error?.issues[0].message).toMatch(/deeper/);
  });

  it(`takes ${MAX_TREE_NODES} nodes and rejects more`, () => {
    const wide = (n: number) => ({ any: Array.from({ length: n - 1 }, (_, i) => ({ tag: `t${i}` })) });
    expect(conditionSchema.safeParse(wide(MAX_TREE_NODES)).success).toBe(true);
    expect(conditionSchema.safeParse(wide(MAX_TREE_NODES + 1)).error?.issues[0].message).toMatch(/larger/);
  });

  it('rejects a hostile tree without exhausting the stack', () => {
    expect(conditionSchema.safeParse(chain(200_000)).success).toBe(false);
    expect(conditionSchema.safeParse({ all: new Array(1_000_000).fill({ tag: 'x' }) }).success).toBe(false);
  });
});

describe('builtin segments', () => {
  const ids = (p: PersonFacts, now = NOW) => builtinSegments.filter((s) => matches(s.tree, p, now)).map((s) => s.id);

  it('has stable ascii ids and the Chinese names', () => {
    expect(builtinSegments.map((s) => [s.id, s.name])).toEqual([
      ['past_buyers', '过往买家'],
      ['never_bought', '从未购买'],
      ['repeat_buyers', '复购'],
      ['vip', 'VIP'],
      ['fans', '粉丝'],
      ['cross_platform', '跨平台'],
      ['churned', '已流失'],
      ['lapsed', '沉睡'],
      ['prospects', '潜客'],
      ['engaged_high_value', '高参与-高价值'],
    ]);
  });

  it('places each person', () => {
    expect(ids(stranger)).toEqual(['never_bought']);
    expect(ids(buyer)).toEqual(['past_buyers', 'repeat_buyers', 'fans', 'cross_platform']);
    expect(ids(person({ level: 5, traits: { orders: 1, lastPurchaseAt: NOW } }))).toEqual(['past_buyers', 'vip']);
    expect(ids(person({ level: 4, tags: ['VIP'] }))).toEqual(['never_bought', 'vip']);
    expect(ids(person({ level: 4 }))).toEqual(['never_bought']);
  });

  it('churned: marked so by the CRM; lapsed: a buyer whose last purchase is over 180 days old', () => {
    const lapsed = person({ traits: { orders: 1, lastPurchaseAt: NOW - 180 * DAY_MS } });
    expect(ids(lapsed)).toEqual(['past_buyers']);
    expect(ids(lapsed, NOW + 1)).toEqual(['past_buyers', 'lapsed']);
    expect(ids(person({ tags: ['已流失'] }))).toEqual(['never_bought', 'churned']);
    expect(ids(person({ tags: ['流失'] }))).toEqual(['never_bought', 'churned']);
    expect(ids(person({ traits: { orders: 2 } }))).toEqual(['past_buyers', 'repeat_buyers', 'lapsed']);
  });
});

describe('badgesOf', () => {
  it('gives every badge in the fixed order', () => {
    const all = person({ provisional: true, tags: ['VIP'], platforms: ['douyin', 'wechat'], bought: ['p9'], traits: { orders: 4 } });
    expect(badgesOf(all, 'p9')).toEqual(['vip', 'repeat', 'bought_this', 'new', 'cross_platform']);
  });

  it('reads each badge on its own', () => {
    expect(badgesOf(person({ level: 5, traits: { orders: 1 } }))).toEqual(['vip']);
    expect(badgesOf(person({ traits: { orders: 2 } }))).toEqual(['repeat']);
    expect(badgesOf(person({ traits: { orders: 1 } }))).toEqual([]);
    expect(badgesOf(buyer, 'p1')).toEqual(['repeat', 'bought_this', 'cross_platform']);
    expect(badgesOf(buyer, 'p2')).toEqual(['repeat', 'cross_platform']);
    expect(badgesOf(buyer)).toEqual(['repeat', 'cross_platform']);
    expect(badgesOf(stranger)).toEqual(['new']);
    expect(badgesOf(person({ provisional: true, traits: { orders: 1 } }))).toEqual(['new']);
  });
});
