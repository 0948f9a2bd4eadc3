import { describe, expect, it } from 'vitest';
import type { PersonFacts } from '../../src-main/profiles/person';
import { CoPurchase } from '../../src-main/recommend/co-purchase';
import { Lineup } from '../../src-main/recommend/lineup';
import { demoCatalog, type ProductInfo } from '../../src-main/recommend/products';
import { Recommender, type Room } from '../../src-main/recommend/recommend';
import { demoProfiles } from '../../src-main/sources/demo/audience';
import { ev } from '../helpers/events';
import { crowd, viewer } from './helpers';

const T0 = Date.UTC(2026, 0, 5, 12);
const MIN = 60_000;
const info = (id: string): ProductInfo => demoCatalog(id)!;
const allProducts = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'].map(info);

/** The demo CRM's order history as baskets: no product pair stands out much. */
const demoModel = CoPurchase.fromBaskets(demoProfiles().map((p) => p.orders.map((o) => o.productId)));

function baskets(...groups: [number, string[]][]): CoPurchase {
  return CoPurchase.fromBaskets(groups.flatMap(([n, basket]) => new Array<string[]>(n).fill(basket)));
}

function recommender(model: CoPurchase, explainedWithinMs?: number): Recommender {
  const r = new Recommender(demoCatalog, { explainedWithinMs });
  r.useModel(model);
  return r;
}

function room(present: PersonFacts[], init: Partial<Room> = {}): Room {
  return { present, lineup: allProducts, onAir: 'p1', leftAirAt: new Map(), now: T0, ...init };
}

/** 30 viewers who bought one product each, spread over every category but 美妆 and 食品 as told. */
function others(products: string[]): PersonFacts[] {
  return Array.from({ length: 30 }, (_, i) => viewer({ bought: [products[i % products.length]] }));
}

describe('an audience built to favour a category gets that category’s product first', () => {
  it('skincare (美妆) repeat buyers: a 美妆 product first, with the share in the reason', () => {
    const present = [...crowd(40, { bought: ['p4'], orders: 3, tags: ['复购'] }), ...others(['p1', 'p2', 'p6', 'p7', 'p8']), ...crowd(30)];
    const { ranked } = recommender(demoModel).recommend(room(present));
    expect(ranked[0].category).toBe('美妆');
    expect(ranked[0].figures).toMatchObject({ present: 100, categoryShare: 0.4, categoryRepeatShare: 0.4 });
    expect(ranked[0].reason).toContain('在线 40% 为美妆复购人群');
  });

  it('the same lineup and history with mothers who buy food: a 食品 product first', () => {
    const present = [...crowd(35, { bought: ['p6'], tags: ['宝妈'] }), ...others(['p1', 'p2', 'p4', 'p7', 'p8']), ...crowd(35)];
    const { ranked } = recommender(demoModel).recommend(room(present));
    expect(ranked[0]).toMatchObject({ productId: 'p5', category: '食品' });
    expect(ranked[0].figures).toMatchObject({ tag: '宝妈', tagShare: 0.35 });
    expect(ranked[0].reason).toMatch(/在线 35% (买过食品|为宝妈人群)/);
  });
});

describe('co-purchase', () => {
  // Everyone present bought p1 (服饰), which is not a candidate; no one holds a candidate's tag.
  const present = [...crowd(100, { bought: ['p1'] }), ...crowd(100)];
  const lineup = ['p3', 'p5', 'p7'].map(info);

  it('dominates when tags and categories are neutral: the product bought with theirs comes first', () => {
    const model = baskets([50, ['p1', 'p7']], [50, ['p1']], [20, ['p3']], [20, ['p5']], [10, ['p3', 'p5']]);
    const { ranked } = recommender(model).recommend(room(present, { lineup, onAir: 'p2' }));
    expect(ranked.map((r) => r.productId)).toEqual(['p7', 'p3', 'p5']);
    for (const r of ranked) expect([r.parts.category, r.parts.tags, r.parts.questions]).toEqual([0, 0, 0]);
    // Over every buyer, p1 goes with p7 half the time but p7's own buyers weigh in too: 25%.
    expect(ranked[0].figures).toMatchObject({ coRate: 0.5, coBase: 0.25 });
    expect(ranked[0].reason).toBe('7号 不锈钢保温杯与在线买家历史购买共现率最高（50%，全体买家 25%）');
  });

  it('follows the history: when p1 went with p5 instead, p5 comes first', () => {
    const model = baskets([50, ['p1', 'p5']], [50, ['p1']], [20, ['p3']], [20, ['p7']]);
    const { ranked } = recommender(model).recommend(room(present, { lineup, onAir: 'p2' }));
    expect(ranked[0].productId).toBe('p5');
  });
});

describe('what is left out', () => {
  // 美妆 buyers: without exclusions, p3 or p4 would come first.
  const present = [...crowd(50, { bought: ['p3', 'p4'], orders: 2 }), ...crowd(50)];

  it('the product on air and the one that left the air minutes ago', () => {
    const lineup = new Lineup(demoCatalog);
    for (const id of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8']) lineup.observe(ev(T0 - MIN, { kind: 'product_exposure', productId: id }, 'u1'));
    lineup.observe(ev(T0, { kind: 'product_switch', productId: 'p3', productName: '面霜' }));
    lineup.observe(ev(T0 + 5 * MIN, { kind: 'product_switch', productId: 'p4' }));
    const view = lineup.view();
    expect(view.onAir).toBe('p4');
    expect(view.lineup.map((p) => p.id)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8']);
    expect(view.lineup[2].name).toBe('保湿面霜'); // the catalog's name over the switch's

    const at = T0 + 8 * MIN;
    const result = recommender(demoModel).recommend({ ...view, present, now: at });
    expect(result.excluded).toEqual([
      { productId: 'p3', why: 'just_explained' },
      { productId: 'p4', why: 'on_air' },
    ]);
    expect(result.ranked.map((r) => r.productId)).not.toContain('p3');
    expect(result.ranked).toHaveLength(6);
    expect(result.ranked[0].category).not.toBe('美妆');

    // With a shorter memory of what was explained, p3 is back, first.
    const shorter = recommender(demoModel, 2 * MIN).recommend({ ...view, present, now: at });
    expect(shorter.excluded).toEqual([{ productId: 'p4', why: 'on_air' }]);
    expect(shorter.ranked[0].productId).toBe('p3');
  });

  it('a product the catalog does not know keeps the name its switch gave', () => {
    const lineup = new Lineup(demoCatalog);
    lineup.observe(ev(T0, { kind: 'product_switch', productId: 'x9', productName: '限量礼盒' }));
    lineup.observe(ev(T0 + MIN, { kind: 'product_switch', productId: 'p5' }));
    expect(lineup.view().lineup).toEqual([{ id: 'x9', name: '限量礼盒' }, info('p5')]);
  });
});

describe('the reason', () => {
  it('carries the audience share, the co-purchase rate and the questions', () => {
    const model = baskets([42, ['p4', 'p3']], [58, ['p4']], [30, ['p5', 'p8']]);
    const present = [...crowd(38, { bought: ['p4'], orders: 2 }), ...crowd(62)];
    const lineup = ['p3', 'p4', 'p5', 'p7', 'p8'].map(info);
    const { ranked, present: counted } = recommender(model).recommend(room(present, { lineup, onAir: 'p4', questions: new Map([['p3', 12], ['p8', 1]]) }));
    expect(counted).toBe(100);
    const [first] = ranked;
    expect(first.productId).toBe('p3');
    expect(first.reason).toBe('在线 38% 为美妆复购人群，3号 保湿面霜与其历史购买共现率最高（42%，全体买家 26%），近期 12 条提问');
    expect(first.figures).toEqual({ present: 100, coRate: expect.closeTo(0.42), coBase: expect.closeTo((79 * 0.42) / 130), categoryShare: 0.38, categoryRepeatShare: 0.38, tag: undefined, tagShare: 0, questions: 12 });
    expect(first.parts).toEqual({ coPurchase: 0.35, category: 0.3, tags: 0, questions: 0.2 });
    expect(first.score).toBeCloseTo(0.85);
    // p8: one question against p3's twelve, nothing else; still told, being all there is.
    const p8 = ranked.find((r) => r.productId === 'p8')!;
    expect(p8.score).toBeCloseTo(0.2 / 12);
    expect(p8.reason).toBe('推荐 8号 全棉四件套，近期 1 条提问');
  });

  it('says when a room gives nothing to go on', () => {
    const { ranked } = recommender(new CoPurchase()).recommend(room(crowd(10), { lineup: [info('p7')], onAir: undefined }));
    expect(ranked).toEqual([expect.objectContaining({ productId: 'p7', score: 0, reason: '7号 不锈钢保温杯：在线观众暂无购买、标签或提问线索，按链接顺序推荐' })]);
  });
});
