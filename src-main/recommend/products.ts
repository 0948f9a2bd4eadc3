// What the recommender knows of a product beyond its id: name, link number (N号链接), category, and the
// audience tags it suits (e.g. 敏感肌 for a gentle cleanser), found through a catalog lookup: the answer
// library's products (name and link), and the demo room's catalog, whose products are in
// src-main/sources/demo/catalog.ts.
import type { AnswerLibrary } from '../contract';
import { products, type Category } from '../sources/demo/catalog';

export interface ProductInfo {
  id: string;
  name?: string;
  /** The link number viewers order by (3 for 3号链接). */
  link?: number;
  category?: string;
  /** Person tags (CRM or live) of the viewers the product suits. */
  tags?: readonly string[];
}

/** A product's description, or undefined for a product the catalog does not know. */
export type Catalog = (productId: string) => ProductInfo | undefined;

/** The demo viewers' CRM tags each demo category suits (the demo room asks tag questions so). */
const DEMO_TAGS: Readonly<Record<Category, readonly string[]>> = {
  服饰: ['小个子', '大码'],
  美妆: ['敏感肌'],
  食品: ['宝妈'],
  家居: [],
};

const demoProducts = new Map<string, ProductInfo>(
  products.map((p, i) => [p.id, { id: p.id, name: p.name, link: i + 1, category: p.category, tags: DEMO_TAGS[p.category] }]),
);

export const demoCatalog: Catalog = (productId) => demoProducts.get(productId);

/** The products of ops' answer library (话术库), by name and link number. */
export function libraryCatalog(library: () => AnswerLibrary): Catalog {
  return (productId) => {
    const p = library().products.find((entry) => entry.productId === productId);
    return p && { id: p.productId, name: p.name || undefined, link: p.link };
  };
}

/** How a product is named in a reason: `3号 保湿面霜`, or its name or id alone. */
export function productLabel(product: ProductInfo): string {
  const name = product.name ?? product.id;
  return product.link === undefined ? name : `${product.link}号 ${name}`;
}
