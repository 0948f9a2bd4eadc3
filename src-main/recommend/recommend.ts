// The next product to explain: given who is in the room now, ranks the session's lineup by four
// signals, each taken relative to the best candidate's (or to a floor, when even the best is weak)
// and weighted —
//   co-purchase: how much more often than for the average buyer the present buyers' past products
//     were bought together with it (CoPurchase), times the share of the room with a purchase history,
//   category: the share of the room who bought in its category, repeat customers counting double,
//   tags: the share of the room holding the product's most held tag (敏感肌, 宝妈, …),
//   questions: recent questions about it (the caller counts them);
// leaving out the product on air and those that left the air only just now. Each ranked product
// carries its score parts, the figures behind them and a one-line reason (reason.ts). The co-purchase
// model is built once and replaced on refresh, never per call; a call is one pass over the present
// persons plus work per candidate and co-bought product.
import type { PersonFacts } from '../profiles/person';
import type { Db } from '../storage/db';
import { countAudience, type AudienceShape, type ProductKey } from './audience';
import { CoPurchase } from './co-purchase';
import type { LineupView } from './lineup';
import { orderBaskets, type BasketOptions } from './order-baskets';
import { productLabel, type Catalog, type ProductInfo } from './products';
import { reasonOf, type Figures, type ScoreParts } from './reason';

export interface Room extends LineupView {
  /** The persons in the room now (every present viewer LiveDeck has facts for). */
  present: Iterable<PersonFacts>;
  /** Recent questions per product (e.g. the last 5 minutes'). */
  questions?: ReadonlyMap<string, number>;
  /** Event time now, for what left the air recently. */
  now: number;
}

export type Weights = ScoreParts;

export interface RecommendOptions {
  /** How much each signal weighs (they should add up to 1). */
  weights?: Partial<Weights>;
  /** A product that left the air less than this long ago is left out (default 10 minutes). */
  explainedWithinMs?: number;
}

export interface Recommendation {
  productId: string;
  /** `3号 保湿面霜`. */
  label: string;
  category?: string;
  /** 0–1: the sum of the parts. */
  score: number;
  parts: ScoreParts;
  figures: Figures;
  reason: string;
}

export interface RecommendResult {
  /** Present persons counted. */
  present: number;
  /** Best first. */
  ranked: Recommendation[];
  excluded: { productId: string; why: 'on_air' | 'just_explained' }[];
}

export const defaultWeights: Readonly<Weights> = { coPurchase: 0.35, category: 0.3, tags: 0.15, questions: 0.2 };
const DEFAULT_EXPLAINED_WITHIN_MS = 10 * 60_000;
/**
 * Each signal counts relative to the best candidate's, or to this when the best is below it: a room
 * where 2% bought the category, or 2 questions were asked, does not give a full part.
 */
const FLOORS: Readonly<ScoreParts> = { coPurchase: 0.05, category: 0.1, tags: 0.1, questions: 5 };
const NONE: ProductKey = { model: -1, category: -1 };

interface Raw {
  product: ProductInfo;
  category: number;
  figures: Figures;
  /** Signal values before they are taken relative to the best candidate's. */
  signals: ScoreParts;
}

export class Recommender {
  private model = new CoPurchase();
  private readonly weights: Weights;
  private readonly explainedWithinMs: number;
  /** Product id → where it counts; filled on first sight, cleared with a new model. */
  private readonly keys = new Map<string, ProductKey>();
  private readonly categories = new Map<string, number>();
  private readonly categoryNames: string[] = [];

  constructor(
    private readonly catalog: Catalog,
    options: RecommendOptions = {},
  ) {
    this.weights = { ...defaultWeights, ...options.weights };
    this.explainedWithinMs = options.explainedWithinMs ?? DEFAULT_EXPLAINED_WITHIN_MS;
  }

  /** Rebuilds the co-purchase model from the order history (a moment's work; call it on demand, not per recommendation). */
  refresh(db: Db, options?: BasketOptions): CoPurchase {
    return this.useModel(CoPurchase.fromBaskets(orderBaskets(db, options)));
  }

  useModel(model: CoPurchase): CoPurchase {
    this.model = model;
    this.keys.clear();
    return model;
  }

  recommend(room: Room): RecommendResult {
    const excluded: RecommendResult['excluded'] = [];
    const candidates: ProductInfo[] = [];
    for (const product of room.lineup) {
      const leftAt = room.leftAirAt.get(product.id);
      if (product.id === room.onAir) excluded.push({ productId: product.id, why: 'on_air' });
      else if (leftAt !== undefined && room.now - leftAt < this.explainedWithinMs) excluded.push({ productId: product.id, why: 'just_explained' });
      else candidates.push(product);
    }
    const tagSlots = new Map<string, number>();
    for (const product of candidates) for (const tag of product.tags ?? []) if (!tagSlots.has(tag)) tagSlots.set(tag, tagSlots.size);
    const candidateKeys = candidates.map((p) => this.keyOf(p.id, p)); // before the pass: categories get their indices
    const shape: AudienceShape = { products: this.model.size, categories: this.categoryNames.length, keyOf: (id) => this.keyOf(id), tagSlots };
    const counts = countAudience(room.present, shape);
    const share = (n: number) => (counts.present > 0 ? n / counts.present : 0);

    const raws: Raw[] = candidates.map((product, i) => {
      const c = candidateKeys[i].category;
      let tag: string | undefined;
      let holders = 0;
      for (const t of product.tags ?? []) {
        const n = counts.tagHolders[tagSlots.get(t)!];
        if (n > holders) [tag, holders] = [t, n];
      }
      const figures: Figures = {
        present: counts.present,
        coRate: counts.withHistory > 0 ? this.model.weightedConfidence(product.id, counts.boughtWeight) / counts.withHistory : 0,
        coBase: this.model.baseline(product.id),
        categoryShare: c < 0 ? 0 : share(counts.categoryBuyers[c]),
        categoryRepeatShare: c < 0 ? 0 : share(counts.categoryRepeat[c]),
        tag,
        tagShare: share(holders),
        questions: room.questions?.get(product.id) ?? 0,
      };
      const signals: ScoreParts = {
        coPurchase: Math.max(0, figures.coRate - figures.coBase) * share(counts.withHistory),
        category: (figures.categoryShare + figures.categoryRepeatShare) / 2,
        tags: figures.tagShare,
        questions: figures.questions,
      };
      return { product, category: c, figures, signals };
    });

    const best = (signal: keyof ScoreParts) => Math.max(0, ...raws.map((r) => r.signals[signal]));
    const top: ScoreParts = { coPurchase: best('coPurchase'), category: best('category'), tags: best('tags'), questions: best('questions') };
    const ranked = raws.map(({ product, category, figures, signals }): Recommendation => {
      const part = (signal: keyof ScoreParts) => this.weights[signal] * (signals[signal] / Math.max(top[signal], FLOORS[signal]));
      const parts: ScoreParts = { coPurchase: part('coPurchase'), category: part('category'), tags: part('tags'), questions: part('questions') };
      const label = productLabel(product);
      const categoryName = category < 0 ? undefined : this.categoryNames[category];
      return {
        productId: product.id,
        label,
        category: categoryName,
        score: parts.coPurchase + parts.category + parts.tags + parts.questions,
        parts,
        figures,
        reason: reasonOf({ label, category: categoryName, parts, figures, topCoPurchase: signals.coPurchase === top.coPurchase }),
      };
    });
    ranked.sort((a, b) => b.score - a.score); // stable: ties keep the lineup's order
    return { present: counts.present, ranked, excluded };
  }

  /** Where a product counts, looked up once; `info` is its lineup entry when it has one. */
  private keyOf(productId: string, info?: ProductInfo): ProductKey {
    let key = this.keys.get(productId);
    if (key) return key;
    const category = (info ?? this.catalog(productId))?.category;
    const model = this.model.index.get(productId) ?? -1;
    key = model < 0 && category === undefined ? NONE : { model, category: category === undefined ? -1 : this.categoryIndex(category) };
    this.keys.set(productId, key);
    return key;
  }

  private categoryIndex(name: string): number {
    let i = this.categories.get(name);
    if (i === undefined) {
      i = this.categoryNames.length;
      this.categories.set(name, i);
      this.categoryNames.push(name);
    }
    return i;
  }
}
