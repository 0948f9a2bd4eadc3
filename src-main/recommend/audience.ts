// Who is in the room, counted in one pass over the present persons' facts: how many there are, how
// many bought anything, each past product's weight for the co-purchase model (a buyer's weight spread
// over their distinct products), the buyers of each category (and of them the repeat customers), and
// the holders of each tag of interest. The work is a few map look-ups per purchase and tag of each
// person; nothing is done per pair of persons or per person and candidate.
import type { PersonFacts } from '../profiles/person';

/** Where a product counts: its index in the co-purchase model and its category's, -1 for none. */
export interface ProductKey {
  model: number;
  category: number;
}

export interface AudienceShape {
  /** Products in the co-purchase model. */
  products: number;
  /** Categories known (indices 0 to categories - 1). */
  categories: number;
  keyOf(productId: string): ProductKey;
  /** Tag → its slot in `tagHolders`. */
  tagSlots: ReadonlyMap<string, number>;
}

export interface AudienceCounts {
  present: number;
  /** Present persons who bought anything. */
  withHistory: number;
  /** Per model product: Σ over present buyers of it of 1 / (the buyer's distinct products). */
  boughtWeight: Float64Array;
  /** Per category: present persons who bought in it. */
  categoryBuyers: Int32Array;
  /** Per category: of those, the ones with two orders or more. */
  categoryRepeat: Int32Array;
  /** Per tag slot: present persons holding the tag. */
  tagHolders: Int32Array;
}

const REPEAT_ORDERS = 2;

export function countAudience(present: Iterable<PersonFacts>, shape: AudienceShape): AudienceCounts {
  const counts: AudienceCounts = {
    present: 0,
    withHistory: 0,
    boughtWeight: new Float64Array(shape.products),
    categoryBuyers: new Int32Array(shape.categories),
    categoryRepeat: new Int32Array(shape.categories),
    tagHolders: new Int32Array(shape.tagSlots.size),
  };
  /** Per category: the ordinal of the last person counted in it (each person counts once). */
  const counted = new Int32Array(shape.categories);
  const { tagSlots } = shape;
  for (const person of present) {
    const ordinal = ++counts.present;
    for (const tag of person.tags) {
      const slot = tagSlots.get(tag);
      if (slot !== undefined) counts.tagHolders[slot]++;
    }
    const distinct = person.bought.size;
    if (distinct === 0) continue;
    counts.withHistory++;
    const weight = 1 / distinct;
    const repeat = person.traits.orders >= REPEAT_ORDERS;
    for (const productId of person.bought) {
      const key = shape.keyOf(productId);
      if (key.model >= 0) counts.boughtWeight[key.model] += weight;
      const c = key.category;
      if (c < 0 || c >= shape.categories || counted[c] === ordinal) continue; // a category no candidate has
      counted[c] = ordinal;
      counts.categoryBuyers[c]++;
      if (repeat) counts.categoryRepeat[c]++;
    }
  }
  return counts;
}
