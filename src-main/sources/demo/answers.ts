// The demo room's answer library: what a prepared ops team would have written for its lineup, so the
// demo shows suggested answers next to the questions the room asks.
import type { AnswerLibrary } from '../../contract';
import { products } from './catalog';

const notes: Record<string, { sellingPoints: string; sizeNotes: string; priceMechanics: string }> = {
  p1: {
    sellingPoints: '90% 白鸭绒，充绒 120 克，轻到一只手拎得起；防泼水面料，小个子选短款不压身高',
    sizeNotes: '标准码：155/90 斤穿 S，160/100 斤 M，165/115 斤 L；偏宽松，喜欢合身的拍小一码',
    priceMechanics: '日常价 399，今天直播间 299，再叠 20 元券，拍两件再减 30',
  },
  p2: {
    sellingPoints: '内里加绒不起球，高腰阔腿遮胯显腿长，小个子有九分款',
    sizeNotes: '按腰围选：S 腰围 64，M 68，L 72；160 以下选九分款',
    priceMechanics: '直播间 159，两条 299，关注主播领 10 元券',
  },
  p3: {
    sellingPoints: '神经酰胺 + 角鲨烷，敏感肌可用，无香精无酒精',
    sizeNotes: '50 克一瓶，早晚用能用两个月',
    priceMechanics: '买一送同款小样 15 克，今天到手 129',
  },
  p4: {
    sellingPoints: '氨基酸表活，温和不紧绷，男生女生都能用',
    sizeNotes: '120 克大支装',
    priceMechanics: '两支 118，一支 69，第二支半价',
  },
  p5: {
    sellingPoints: '每日一袋 6 种坚果，无添加糖，孕妇和减脂期都能吃',
    sizeNotes: '一盒 30 袋，每袋 25 克',
    priceMechanics: '直播间 99 元一盒，拍两盒送礼袋',
  },
  p6: {
    sellingPoints: '低脂高蛋白，开袋即食，减脂期代餐',
    sizeNotes: '每袋 100 克，一箱 10 袋',
    priceMechanics: '59.9 一箱，拍三箱包邮到新疆',
  },
  p7: {
    sellingPoints: '316 不锈钢内胆，保温 12 小时',
    sizeNotes: '500 毫升，能放进包侧袋',
    priceMechanics: '69 元，今天送杯套',
  },
  p8: {
    sellingPoints: '100% 新疆长绒棉，越洗越软，A 类婴儿级',
    sizeNotes: '1.5 米和 1.8 米床都有，下单选规格',
    priceMechanics: '199 一套，叠券到手 179',
  },
};

export const demoAnswers: AnswerLibrary = {
  products: products.map((p, i) => ({ productId: p.id, name: p.name, link: i + 1, ...notes[p.id], faq: [] })),
  general: [
    { q: '什么时候发货', a: '今天拍 48 小时内发货，默认中通，偏远地区顺丰到付可备注' },
    { q: '包邮吗新疆发不发', a: '全国包邮，新疆西藏满 99 包邮' },
    { q: '券在哪里领', a: '点左下角小黄车，商品下面就有券，先领券再下单' },
    { q: '退换方便吗', a: '支持七天无理由，运费险已经送了，退换不花钱' },
  ],
};
