// The one line that says why a product is recommended, in Chinese and in numbers, from its strongest
// signals: "在线 38% 为美妆复购人群，3号 保湿面霜与其历史购买共现率最高（42%，全体买家 26%），近期 12 条提问".
// Pure.

/** Each signal's part of a score (weight × the signal relative to the best candidate's). */
export interface ScoreParts {
  coPurchase: number;
  category: number;
  tags: number;
  questions: number;
}

/** The numbers behind a score. */
export interface Figures {
  /** Present persons counted. */
  present: number;
  /** Over present persons with a purchase history: the mean share of buyers of their past products who also bought this one (0–1). */
  coRate: number;
  /** The same over every buyer in the history: the rate to beat (0–1). */
  coBase: number;
  /** Share of present persons who bought in the product's category (0–1). */
  categoryShare: number;
  /** Share of present persons who bought in the category and have two orders or more (0–1). */
  categoryRepeatShare: number;
  /** The product's tag held by the most present persons, and their share (0–1). */
  tag?: string;
  tagShare: number;
  /** Recent questions about the product (as the caller counted them). */
  questions: number;
}

export interface Explained {
  label: string;
  category?: string;
  parts: ScoreParts;
  figures: Figures;
  /** Its co-purchase signal is the strongest of the candidates. */
  topCoPurchase: boolean;
}

/** A signal is worth a clause when it makes at least this much of the score (out of 1), or is the only one. */
const MIN_PART = 0.05;

export function reasonOf({ label, category, parts, figures: f, topCoPurchase }: Explained): string {
  const strongest = Math.max(parts.coPurchase, parts.category, parts.tags, parts.questions);
  if (strongest === 0) return `${label}：在线观众暂无购买、标签或提问线索，按链接顺序推荐`;
  const told = (part: number) => part >= MIN_PART || part === strongest;
  const audience: { part: number; text: string }[] = [];
  if (told(parts.category) && category !== undefined) {
    const repeatLed = f.categoryRepeatShare * 2 >= f.categoryShare;
    audience.push({
      part: parts.category,
      text: repeatLed ? `在线 ${percent(f.categoryRepeatShare)}% 为${category}复购人群` : `在线 ${percent(f.categoryShare)}% 买过${category}`,
    });
  }
  if (told(parts.tags) && f.tag !== undefined) audience.push({ part: parts.tags, text: `在线 ${percent(f.tagShare)}% 为${f.tag}人群` });
  audience.sort((a, b) => b.part - a.part);
  const clauses = audience.map((a) => a.text);
  if (told(parts.coPurchase)) {
    const whose = audience.length > 0 ? '其' : '在线买家';
    clauses.push(`${label}与${whose}历史购买共现率${topCoPurchase ? '最高' : ''}（${percent(f.coRate)}%，全体买家 ${percent(f.coBase)}%）`);
  } else clauses.push(`推荐 ${label}`);
  if (told(parts.questions)) clauses.push(`近期 ${f.questions} 条提问`);
  return clauses.join('，');
}

/** A share as a percentage: whole numbers from 10%, one decimal below. */
function percent(share: number): string {
  const p = share * 100;
  return p >= 10 ? String(Math.round(p)) : String(Math.round(p * 10) / 10);
}
