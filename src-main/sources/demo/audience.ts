// The demo audience's people: deterministic CRM profiles (the customers a brand already knows, with
// phone, WeChat unionId, platform uids, tags, level and past orders) and the draws that make up the
// anonymous viewers. The demo room's events carry the profiles' platform uids, so importing
// `demoProfiles()` into a CRM store matches the viewers the room shows.
import { nicknameEndings, nicknameHeads, nicknameTails, products, uidPrefixes, type DemoPlatform } from './catalog';
import { cumulative, Random } from './random';

export const crmTags = ['VIP', '复购', '敏感肌', '小个子', '宝妈', '学生党', '大码', '价格敏感'] as const;
export type CrmTag = (typeof crmTags)[number];

export interface PastOrder {
  productId: string;
  amountFen: number;
  ts: number;
  usedCoupon: boolean;
}

export interface DemoProfile {
  crmId: string;
  /** Display name (the nickname they use on the platforms). */
  name: string;
  /** Fake 11-digit mobile number, unique. */
  phone: string;
  unionId?: string;
  /** One or two platform uids: what `user.id` is in their events. */
  uids: Partial<Record<DemoPlatform, string>>;
  tags: CrmTag[];
  /** Membership level, 1 to 5; level 5 is tagged VIP. */
  level: number;
  /** Oldest first. */
  orders: PastOrder[];
}

export const DEFAULT_PROFILE_SEED = 20261123;
export const PROFILE_COUNT = 3_000;
/** Past orders fall in the year before this date. */
export const HISTORY_END = Date.UTC(2026, 10, 1);

const DAY = 86_400_000;
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const platformShares = cumulative([0.55, 0.27, 0.18]);
const platformOrder: readonly DemoPlatform[] = ['douyin', 'kuaishou', 'wechat'];
/** Spend (fen) from which a profile reaches each level above 1. */
const levelThresholds = [1, 30_000, 80_000, 250_000];
const traits: readonly [CrmTag, number][] = [
  ['敏感肌', 0.15],
  ['小个子', 0.15],
  ['大码', 0.08],
  ['价格敏感', 0.15],
];

/** `count` CRM profiles, the same for the same seed. */
export function demoProfiles(seed = DEFAULT_PROFILE_SEED, count = PROFILE_COUNT): DemoProfile[] {
  const random = new Random(seed);
  const taken = new Set<string>();
  return Array.from({ length: count }, (_, i) => profile(random, i, taken));
}

/** A platform, drawn by its share of the audience (Douyin first). */
export function drawPlatform(random: Random): DemoPlatform {
  return platformOrder[random.weighted(platformShares)];
}

/** A Chinese nickname such as 爱喝奶茶的小熊酱. */
export function nickname(random: Random): string {
  return random.pick(nicknameHeads) + random.pick(nicknameTails) + random.pick(nicknameEndings);
}

function profile(random: Random, index: number, taken: Set<string>): DemoProfile {
  const name = nickname(random);
  const phone = unique(taken, () => `1${random.between(3, 9)}${String(random.int(1e9)).padStart(9, '0')}`);
  const platforms = accountPlatforms(random);
  const uids: DemoProfile['uids'] = {};
  for (const platform of platforms) uids[platform] = unique(taken, () => platformUid(random, platform));
  const withUnion = platforms.includes('wechat') || random.chance(0.3);
  const unionId = withUnion ? unique(taken, () => `o${randomString(random, 27)}`) : undefined;
  const orders = pastOrders(random);
  const level = levelOf(orders.reduce((sum, o) => sum + o.amountFen, 0));
  return {
    crmId: `crm_${String(index + 1).padStart(6, '0')}`,
    name,
    phone,
    ...(unionId && { unionId }),
    uids,
    tags: tagsOf(random, level, orders.length),
    level,
    orders,
  };
}

/** One platform account (60%) or two on different platforms. */
function accountPlatforms(random: Random): DemoPlatform[] {
  const first = drawPlatform(random);
  if (random.chance(0.6)) return [first];
  const others = platformOrder.filter((p) => p !== first);
  return [first, random.pick(others)];
}

function platformUid(random: Random, platform: DemoPlatform): string {
  const body = platform === 'wechat' ? `o${randomString(random, 27)}` : String(random.between(1_000_000_000, 9_999_999_999));
  return `${uidPrefixes[platform]}_${body}`;
}

function pastOrders(random: Random): PastOrder[] {
  const roll = random.next();
  const count = roll < 0.35 ? 0 : roll < 0.75 ? random.between(1, 2) : roll < 0.96 ? random.between(3, 8) : random.between(9, 24);
  const orders = Array.from({ length: count }, () => pastOrder(random));
  return orders.sort((a, b) => a.ts - b.ts);
}

function pastOrder(random: Random): PastOrder {
  const product = random.pick(products);
  const quantity = random.chance(0.8) ? 1 : 2;
  const usedCoupon = random.chance(0.3);
  const discount = usedCoupon ? Math.round(product.priceFen / 1_000) * 100 : 0;
  return {
    productId: product.id,
    amountFen: product.priceFen * quantity - discount,
    ts: HISTORY_END - random.int(365 * DAY),
    usedCoupon,
  };
}

function levelOf(spentFen: number): number {
  return 1 + levelThresholds.filter((t) => spentFen >= t).length;
}

function tagsOf(random: Random, level: number, orderCount: number): CrmTag[] {
  const tags: CrmTag[] = [];
  if (level === 5) tags.push('VIP');
  if (orderCount >= 2) tags.push('复购');
  for (const [tag, share] of traits) if (random.chance(share)) tags.push(tag);
  const life = random.next();
  if (life < 0.12) tags.push('宝妈');
  else if (life < 0.22) tags.push('学生党');
  return tags;
}

function randomString(random: Random, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ID_CHARS[random.int(ID_CHARS.length)];
  return s;
}

function unique(taken: Set<string>, draw: () => string): string {
  let value = draw();
  while (taken.has(value)) value = draw();
  taken.add(value);
  return value;
}
