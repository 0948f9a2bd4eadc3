// The answer library (话术库): what the anchor can say to a question, per product (selling points, size
// notes, price mechanics, FAQ) and in general. A talking point gets the answer its topic and product
// point to, or the closest FAQ entry.
import type { AnswerLibrary, ProductAnswers } from '../contract';
import { bigrams, jaccard } from '../text/clusters';
import { normalizeText } from '../text/normalize';

/** How close a question must be to a FAQ entry for its answer to be suggested. */
const FAQ_MATCH = 0.3;

export const emptyLibrary: AnswerLibrary = { products: [], general: [] };

/** The product a link number names, when the library knows it. */
export function productOfLink(library: AnswerLibrary, link: number): string | undefined {
  return library.products.find((p) => p.link === link)?.productId;
}

export function suggestAnswer(library: AnswerLibrary, topic: string, question: string, productId: string | undefined): string | undefined {
  const product = library.products.find((p) => p.productId === productId);
  const byTopic = product && topicAnswer(product, topic);
  if (byTopic) return byTopic;
  const faq = [...(product?.faq ?? []), ...library.general];
  const grams = bigrams(normalizeText(question));
  let best: { a: string; score: number } | undefined;
  for (const entry of faq) {
    const score = jaccard(grams, bigrams(normalizeText(entry.q)));
    if (score >= FAQ_MATCH && score > (best?.score ?? 0)) best = { a: entry.a, score };
  }
  return best?.a ?? (topic === '链接' && product?.link ? `${product.name}是${product.link}号链接` : undefined);
}

function topicAnswer(product: ProductAnswers, topic: string): string | undefined {
  const text = topic === '尺码' ? product.sizeNotes : topic === '价格/优惠' ? product.priceMechanics : topic === '材质/成分' || topic === '适用人群' ? product.sellingPoints : '';
  return text.trim() || undefined;
}
