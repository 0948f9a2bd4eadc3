// Topic rules for danmaku: which fixed talking-point topic a normalised comment is about, which
// link number (几号链接) it points at, and clusters of near-duplicate questions per topic.
import { isAd } from './normalize';

export const topics = ['尺码', '价格/优惠', '发货/物流', '材质/成分', '适用人群', '库存', '链接', '售后', '其他'] as const;
export type Topic = (typeof topics)[number];

/** Checked in order: the first topic whose pattern matches wins (售后 before 尺码 in 尺码不对能换吗). */
const RULES: readonly (readonly [Topic, RegExp])[] = [
  ['售后', /退货|退款|退换|换货|能退|可以退|能换|包换|无理由|运费险|保修|质保|售后|破损|瑕疵|发错|客服|发票/],
  ['库存', /库存|有货|没货|补货|现货|断货|断码|抢光|售罄|卖完|没了|还有吗|还剩|下架|拍不了|没抢到(?!券)|手慢无/],
  ['价格/优惠', /多少钱|价格|价钱|什么价|[到手粉丝原]价|便宜|优惠|券|满减|折扣|打折|半价|降价|赠品|送什么|小样|买一送一|福袋|抽奖|块钱|低点/],
  ['发货/物流', /发货|能发|发吗|发不发|发什么|快递|物流|包邮|顺丰|邮费|运费|几天.{0,2}到|多久到|到货|预售|多久发|海外|偏远/],
  ['材质/成分', /材质|面料|成分|纯棉|含绒|充绒|鸭绒|鹅绒|起球|掉色|掉毛|透气|酒精|香精|配料|防腐剂|不锈钢|保温|真皮|缩水|机洗|厚不厚|冷不冷|保暖|质量|质感|真空|保质期/],
  ['尺码', /码|斤|个子|微胖|身高|体重|偏大|偏小|多[大长高重]|[衣裤袖]长|腰围|肩宽|容量|克|含量|\d\s*(ml|毫升|升)|[一两]升|米的床|\d\.\d的床|拖地|太长|会短|宽松|修身|(^|[^a-z])([2-4]?x{0,3}l|x?s|m)([^a-z]|$)/],
  ['适用人群', /敏感肌|痘痘肌|油皮|干皮|孕|哺乳|宝宝|小孩|儿童|孩子|\d岁|[一二三四五六七八九十]岁|男生|女生|男朋友|老公|老人|长辈|妈妈|我妈|宝妈|学生|上班族|减脂|糖尿病|身材|适合/],
  ['链接', /链接|小黄车|几号|第几个|上车/],
];

/** Single-character words that only count when the segmenter sees them as a word of their own (贵 but not 贵州). */
const SINGLE_WORDS: Readonly<Record<string, Topic>> = { 贵: '价格/优惠', 薄: '材质/成分', 厚: '材质/成分' };
const SINGLE_CANDIDATE = /[贵薄厚]/;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

function singleWordTopic(text: string): Topic | null {
  if (!SINGLE_CANDIDATE.test(text)) return null;
  for (const { segment } of segmenter.segment(text)) {
    const topic = SINGLE_WORDS[segment[0]];
    if (topic && (segment.length === 1 || /^.[了的啊呀]$/.test(segment))) return topic;
  }
  return null;
}

/** The topic of a normalised comment; spam and small talk are 其他. */
export function topicOf(text: string): Topic {
  if (isAd(text)) return '其他';
  const rule = RULES.find(([, pattern]) => pattern.test(text));
  if (rule) return rule[0];
  return singleWordTopic(text) ?? (linkNumber(text) === null ? '其他' : '链接');
}

const LINK_NUMBER = /#\s*(\d{1,3})|(\d{1,3})\s*号/;
const CHINESE_LINK = /([一二三四五六七八九十])号/;
const CHINESE_NUMBERS = '一二三四五六七八九十';

/** The link number a comment points at: 3号链接, 3号, #3 and 三号 are all 3; null when none. */
export function linkNumber(text: string): number | null {
  const digits = LINK_NUMBER.exec(text);
  if (digits) return Number(digits[1] ?? digits[2]);
  const chinese = CHINESE_LINK.exec(text);
  return chinese ? CHINESE_NUMBERS.indexOf(chinese[1]) + 1 : null;
}
