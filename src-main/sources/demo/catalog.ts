// The demo room's fixed material: the platforms it broadcasts on, its product lineup, the chat phrase
// bank (product questions by topic, small talk), the gift list and the nickname parts.
import type { Platform } from '../../events/live-event';

/** The platforms the demo room is broadcast on at once (同时多平台开播). */
export const demoPlatforms = ['douyin', 'kuaishou', 'wechat'] as const satisfies readonly Platform[];
export type DemoPlatform = (typeof demoPlatforms)[number];

/** Prefix of every platform uid, e.g. `dy_…` on Douyin. */
export const uidPrefixes: Record<DemoPlatform, string> = { douyin: 'dy', kuaishou: 'ks', wechat: 'wx' };

export const categories = ['服饰', '美妆', '食品', '家居'] as const;
export type Category = (typeof categories)[number];

export interface DemoProduct {
  id: string;
  name: string;
  category: Category;
  priceFen: number;
}

/** The lineup in link order: `products[i]` is link number i + 1 (`3号链接`). */
export const products: readonly DemoProduct[] = [
  { id: 'p1', name: '轻薄羽绒服', category: '服饰', priceFen: 29_900 },
  { id: 'p2', name: '加绒阔腿裤', category: '服饰', priceFen: 15_900 },
  { id: 'p3', name: '保湿面霜', category: '美妆', priceFen: 12_900 },
  { id: 'p4', name: '氨基酸洗面奶', category: '美妆', priceFen: 6_900 },
  { id: 'p5', name: '每日坚果礼盒', category: '食品', priceFen: 9_900 },
  { id: 'p6', name: '低脂鸡胸肉', category: '食品', priceFen: 5_990 },
  { id: 'p7', name: '不锈钢保温杯', category: '家居', priceFen: 6_900 },
  { id: 'p8', name: '全棉四件套', category: '家居', priceFen: 19_900 },
];

export const liveTitle = '冬季上新专场｜羽绒服直降100';
export const fansClubName = '小雨的宝藏粉';
export const adChannel = '巨量千川';

export const questionTopics = ['尺码', '价格', '优惠券', '发货', '材质', '适用人群', '几号链接', '库存', '售后'] as const;
export type QuestionTopic = (typeof questionTopics)[number];

/** A question about a product: `{n}` is its link number, `{name}` its name; `for` limits it to categories. */
export interface QuestionTemplate {
  topic: QuestionTopic;
  text: string;
  for?: readonly Category[];
}

export const productQuestions: readonly QuestionTemplate[] = [
  { topic: '尺码', text: '{name}有S码吗', for: ['服饰'] },
  { topic: '尺码', text: '160斤穿{name}什么码', for: ['服饰'] },
  { topic: '尺码', text: '{n}号链接偏大还是偏小', for: ['服饰'] },
  { topic: '尺码', text: '身高155体重90穿几码', for: ['服饰'] },
  { topic: '尺码', text: '{name}多大容量', for: ['家居'] },
  { topic: '尺码', text: '{name}是1.8米床的吗', for: ['家居'] },
  { topic: '尺码', text: '{name}一盒多少克', for: ['食品', '美妆'] },
  { topic: '价格', text: '{n}号链接多少钱' },
  { topic: '价格', text: '{name}今天什么价' },
  { topic: '价格', text: '能便宜点吗' },
  { topic: '价格', text: '{name}比昨天便宜吗' },
  { topic: '价格', text: '{n}号拍两件有优惠吗' },
  { topic: '优惠券', text: '{name}有优惠券吗' },
  { topic: '优惠券', text: '券在哪里领' },
  { topic: '优惠券', text: '满减券能用在{n}号吗' },
  { topic: '优惠券', text: '没抢到券怎么办' },
  { topic: '发货', text: '{name}什么时候发货' },
  { topic: '发货', text: '今天拍明天能发吗' },
  { topic: '发货', text: '包邮吗，新疆发不发' },
  { topic: '发货', text: '{n}号发什么快递' },
  { topic: '材质', text: '{name}是什么材质的', for: ['服饰', '家居'] },
  { topic: '材质', text: '会起球吗', for: ['服饰'] },
  { topic: '材质', text: '{name}含绒量多少', for: ['服饰'] },
  { topic: '材质', text: '{name}什么成分', for: ['美妆'] },
  { topic: '材质', text: '{name}配料表干净吗', for: ['食品'] },
  { topic: '材质', text: '{name}是304不锈钢吗', for: ['家居'] },
  { topic: '适用人群', text: '小个子能穿吗？', for: ['服饰'] },
  { topic: '适用人群', text: '敏感肌能用{name}吗', for: ['美妆'] },
  { topic: '适用人群', text: '男生能用吗', for: ['美妆'] },
  { topic: '适用人群', text: '孕妇能吃{name}吗', for: ['食品'] },
  { topic: '适用人群', text: '减脂期能吃吗', for: ['食品'] },
  { topic: '适用人群', text: '{name}适合送长辈吗' },
  { topic: '适用人群', text: '学生党适合{name}吗' },
  { topic: '几号链接', text: '{name}是几号链接' },
  { topic: '几号链接', text: '几号链接？' },
  { topic: '几号链接', text: '主播身上这件是几号', for: ['服饰'] },
  { topic: '几号链接', text: '刚才那个在几号链接' },
  { topic: '库存', text: '{n}号还有库存吗' },
  { topic: '库存', text: '{name}还会补货吗' },
  { topic: '库存', text: '黑色没货了吗', for: ['服饰'] },
  { topic: '库存', text: '{n}号怎么显示已抢光' },
  { topic: '售后', text: '{name}支持七天无理由吗' },
  { topic: '售后', text: '退换方便吗' },
  { topic: '售后', text: '有运费险吗' },
  { topic: '售后', text: '{name}坏了包换吗' },
];

/** Questions a CRM tag makes more likely, asked about the product on air. */
export const tagQuestions: Readonly<Record<string, readonly QuestionTemplate[]>> = {
  小个子: [
    { topic: '尺码', text: '150小个子穿{name}会拖地吗', for: ['服饰'] },
    { topic: '适用人群', text: '小个子穿{n}号显矮吗', for: ['服饰'] },
  ],
  敏感肌: [
    { topic: '适用人群', text: '敏感肌用{name}会泛红吗', for: ['美妆'] },
    { topic: '材质', text: '{name}含酒精吗', for: ['美妆'] },
  ],
  宝妈: [
    { topic: '适用人群', text: '宝宝能吃{name}吗', for: ['食品'] },
    { topic: '适用人群', text: '孕期能用{name}吗', for: ['美妆'] },
  ],
  学生党: [
    { topic: '价格', text: '学生党有优惠吗' },
    { topic: '价格', text: '{n}号还能再便宜点吗，学生党' },
  ],
};

/** Questions not about a product. */
export const anchorQuestions = ['主播身高体重多少', '主播穿的是什么码', '几点下播？', '明天还播吗', '福袋什么时候开'];

/** Small talk; `{n}` and `{name}` refer to the product on air. */
export const smallTalk = [
  '来了来了',
  '主播今天好漂亮',
  '支持主播！',
  '等福袋',
  '哈哈哈哈',
  '666',
  '已拍',
  '拍了拍了',
  '上次买的很好用，回购了',
  '求讲解{n}号链接',
  '晚上好',
  '这个颜色好看',
  '冲冲冲',
  '{name}已下单',
  '主播声音好好听',
  '第一次来，关注了',
  '姐妹们冲',
  '蹲一个{name}',
];

export interface DemoGift {
  id: string;
  name: string;
  /** Value of one gift in fen (platform coins at 10 fen each); 0 for free gifts. */
  valueFen: number;
  /** Sent in combos (连击). */
  combo: boolean;
  weight: number;
}

export const gifts: readonly DemoGift[] = [
  { id: 'heart', name: '小心心', valueFen: 0, combo: true, weight: 40 },
  { id: 'vote', name: '人气票', valueFen: 0, combo: true, weight: 15 },
  { id: 'rose', name: '玫瑰', valueFen: 10, combo: true, weight: 20 },
  { id: 'lollipop', name: '棒棒糖', valueFen: 90, combo: true, weight: 10 },
  { id: 'duck', name: '加油鸭', valueFen: 150, combo: true, weight: 7 },
  { id: 'glasses', name: '墨镜', valueFen: 1_990, combo: false, weight: 4 },
  { id: 'fireworks', name: '礼花筒', valueFen: 9_990, combo: false, weight: 2.5 },
  { id: 'car', name: '跑车', valueFen: 120_000, combo: false, weight: 1 },
  { id: 'carnival', name: '嘉年华', valueFen: 300_000, combo: false, weight: 0.5 },
];

export const nicknameHeads = [
  '爱喝奶茶的', '不吃香菜的', '早睡早起的', '热爱生活的', '迷糊的', '快乐的', '安静的', '追光的',
  '会发光的', '想去旅行的', '爱笑的', '努力搬砖的', '睡不醒的', '元气满满的', '佛系的', '吃不胖的',
];
export const nicknameTails = [
  '小熊', '兔子', '橘猫', '柠檬', '鱼丸', '芒果', '阿杰', '小雨', '豆豆', '晴天',
  '大白', '小鹿', '糖糖', '阿美', '西瓜', '团子', '老王', '小李', '奶盖', '星星',
];
export const nicknameEndings = ['', '', '', '', '呀', '酱', '🌸', '2023', '88', '_', '子'];
