// The default rule pack and coupon templates for Chinese live commerce: what a new install starts with
// (store.ts seeds them), each rule explained in Chinese for ops. Caps keep a viewer to one coupon a
// session from these rules; 10% of persons (alternate 10-minute slices for the room-wide 福袋) are
// held out so that each rule's uplift can be measured. The cart rule's coupon is tiered by purchase
// intent, customer value and price sensitivity (千人千面).
import { HIGH_INTENT } from '../profiles/person';
import { rulesSchema, templatesSchema, type CouponTemplate, type CouponTemplateInput, type TriggerRule, type TriggerRuleInput } from './rules';

const templates: CouponTemplateInput[] = [
  { id: 'cart_nudge_10', name: '加购催付券 满99减10', faceValueFen: 1_000, thresholdFen: 9_900, validMinutes: 30, stock: 5_000 },
  { id: 'cart_nudge_5', name: '加购提醒券 满99减5', faceValueFen: 500, thresholdFen: 9_900, validMinutes: 30, stock: 5_000 },
  { id: 'cart_nudge_20', name: '加购催付券 满99减20', faceValueFen: 2_000, thresholdFen: 9_900, validMinutes: 30, stock: 2_000 },
  { id: 'newcomer_trial_5', name: '新客试用券 无门槛5元', faceValueFen: 500, thresholdFen: 0, validMinutes: 120, stock: 5_000 },
  { id: 'lucky_bag_8', name: '全场福袋券 满59减8', faceValueFen: 800, thresholdFen: 5_900, validMinutes: 15, stock: 20_000 },
  { id: 'explain_click_15', name: '讲解专享券 满129减15', faceValueFen: 1_500, thresholdFen: 12_900, validMinutes: 30, stock: 3_000 },
  { id: 'price_mechanism_20', name: '价格机制券 满199减20', faceValueFen: 2_000, thresholdFen: 19_900, validMinutes: 30, stock: 3_000 },
  { id: 'comeback_30', name: '老客回归券 满199减30', faceValueFen: 3_000, thresholdFen: 19_900, validMinutes: 1_440, stock: 1_000 },
];

/** No private messages at night. */
const NIGHT = [{ from: '01:00', to: '08:00' }];

const rules: TriggerRuleInput[] = [
  {
    id: 'cart_unpaid_10m',
    version: 2,
    name: '加购未付 10 分钟 → 定向券',
    explain:
      '加购后 10 分钟还没付款，多半卡在价格上或还在犹豫：私信一张这件商品可用的定向催付券，推最后一把。' +
      `券面额千人千面，按顺序取第一个符合的档：本场购买意向高（意向分 ≥ ${HIGH_INTENT}）且累计消费满 1000 元的老客本来就要买，` +
      '只发满99减5 的小券提醒付款；过去一半以上的订单用过券、或带“价格敏感”标签的客户发满99减20；其他人满99减10。' +
      '每人每场最多 1 张、每天 2 张；10% 的人留作对照组，不发券，用来算这张券实际多带来多少成交。',
    scope: 'person',
    trigger: { kind: 'cart_unpaid', minutes: 10 },
    action: {
      mode: 'auto',
      channel: 'webhook',
      template: 'cart_nudge_10',
      tiers: [
        { when: { intent: { min: HIGH_INTENT }, ltvFen: { min: 100_000 } }, template: 'cart_nudge_5' },
        { when: { couponShare: { min: 0.5 } }, template: 'cart_nudge_20' },
        { when: { tags: { any: ['价格敏感'] } }, template: 'cart_nudge_20' },
      ],
    },
    guards: { perSession: 1, perDay: 2, perWeek: 4, budget: { count: 500, faceValueFen: 500_000 }, quiet: NIGHT },
    holdoutShare: 0.1,
    attributionMinutes: 60,
  },
  {
    id: 'long_watch_new',
    version: 1,
    name: '长时间观看未购 → 新客试用券',
    explain:
      '从没买过的观众一次看了 15 分钟以上还没下单：对直播间有兴趣，只差第一单。给一张无门槛小额试用券降低门槛；' +
      '由运营确认后复制发送，每人终身只发一次。',
    scope: 'person',
    trigger: { kind: 'watching', minutes: 15 },
    where: { segments: { none: ['past_buyers'] } },
    action: { mode: 'suggest', channel: 'copy', template: 'newcomer_trial_5', expireMinutes: 5 },
    guards: { perSession: 1, perDay: 2, perWeek: 4, oncePerPerson: true, budget: { count: 300 }, quiet: NIGHT },
    holdoutShare: 0.1,
    attributionMinutes: 120,
  },
  {
    id: 'interaction_drop',
    version: 1,
    name: '互动下滑 → 全场福袋',
    explain:
      '最近 2 分钟的互动率比之前 10 分钟的平均低了 30% 以上，且在线不少于 500 人：直播间在冷场。' +
      '建议主播开一个全场福袋（满59减8，100 份）把互动拉回来；20 分钟内不重复。全场活动无法按人留对照组，' +
      '改为按 10 分钟时段交替：奇数时段只记录不发放。',
    scope: 'room',
    trigger: { kind: 'interaction_drop', recentMinutes: 2, baselineMinutes: 10, dropPct: 30 },
    where: { minOnline: 500 },
    action: {
      mode: 'suggest',
      channel: 'anchor',
      template: 'lucky_bag_8',
      quantity: 100,
      expireMinutes: 3,
      say: '家人们福袋马上开！评论区扣 1 参与，满 59 减 8 全场通用～',
    },
    guards: { cooldownMinutes: 20, budget: { count: 1_000 } },
    sliceMinutes: 10,
    holdoutSlices: true,
    attributionMinutes: 15,
  },
  {
    id: 'repeat_click',
    version: 1,
    name: '反复点击 → 讲解 + 券',
    explain:
      '同一件商品在一次观看里点了 3 次还没买，是在比较、在犹豫：提醒主播把这件商品的卖点和尺码再讲一遍，' +
      '同时给这位观众一张讲解专享券，由运营确认后发送。',
    scope: 'person',
    trigger: { kind: 'clicks', count: 3 },
    action: { mode: 'suggest', channel: 'copy', template: 'explain_click_15', expireMinutes: 5, say: '有人反复在看这件，再讲一遍卖点和尺码' },
    guards: { perSession: 1, perDay: 2, perWeek: 4, budget: { count: 300 }, quiet: NIGHT },
    holdoutShare: 0.1,
    attributionMinutes: 30,
  },
  {
    id: 'price_question',
    version: 1,
    name: '价格咨询 → 价格机制券',
    explain:
      '在弹幕里问价格、问优惠的观众正在算账：私信一张价格机制券（满199减20），把到手价讲清楚。' +
      '同一件商品讲解期间只算一次提问。',
    scope: 'person',
    trigger: { kind: 'asked_price' },
    action: { mode: 'auto', channel: 'webhook', template: 'price_mechanism_20' },
    guards: { perSession: 1, perDay: 2, perWeek: 4, budget: { count: 500, faceValueFen: 1_000_000 }, quiet: NIGHT },
    holdoutShare: 0.1,
    attributionMinutes: 60,
  },
  {
    id: 'churned_return',
    version: 2,
    name: '老客回归 → 回归券',
    explain: '沉睡的老客户（半年没买）重新进了直播间，是挽回的好时机：私信一张大额回归券。同一人 30 天内只发一次。CRM 标记为已流失的客户不发。',
    scope: 'person',
    trigger: { kind: 'entered' },
    where: { segments: { any: ['lapsed'] } },
    action: { mode: 'auto', channel: 'webhook', template: 'comeback_30' },
    guards: { perSession: 1, perDay: 2, perWeek: 4, cooldownMinutes: 30 * 1_440, budget: { count: 100, faceValueFen: 300_000 }, quiet: NIGHT },
    holdoutShare: 0.1,
    attributionMinutes: 1_440,
  },
];

export const defaultTemplates: readonly CouponTemplate[] = templatesSchema.parse(templates);
export const defaultRules: readonly TriggerRule[] = rulesSchema.parse(rules);
