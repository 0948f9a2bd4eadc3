// The reasons behind an intent score as ops read them: one Chinese line per reason group, with the
// viewer's own numbers ("加购未付 8 分钟", "问过尺码", "近 30 天买过，共 2 单"), read back from the
// feature vector (features.ts says how each raw value became a feature).
import { F, featurePlatforms, RECENCY_DAYS, type AskedTopic, type ReasonGroup } from './features';

const platformNames: Readonly<Record<(typeof featurePlatforms)[number], string>> = { douyin: '抖音', kuaishou: '快手', wechat: '视频号' };
const topicNames: Readonly<Record<AskedTopic, string>> = {
  尺码: '尺码',
  '价格/优惠': '价格',
  '发货/物流': '发货',
  '材质/成分': '材质',
  适用人群: '适用人群',
  库存: '库存',
  链接: '链接',
  售后: '售后',
};

/** The raw count or minutes behind a log1p feature, rounded; minutes of waiting are features as they are. */
function raw(x: ArrayLike<number>, feature: number): number {
  return Math.round(Math.expm1(x[feature]));
}

function counted(x: ArrayLike<number>, feature: number, some: (n: number) => string, none: string): string {
  const n = raw(x, feature);
  return n > 0 ? some(n) : none;
}

/** The line for a reason group, from the viewer's features `x`. */
export function reasonText(group: ReasonGroup, x: ArrayLike<number>): string {
  switch (group) {
    case 'cart':
      return x[F.cartOpen] > 0 ? `加购未付 ${Math.round(x[F.cartWait])} 分钟` : '没有加购';
    case 'order':
      return x[F.orderOpen] > 0 ? `下单未付 ${Math.round(x[F.orderWait])} 分钟` : '没有待付订单';
    case 'paid':
      return counted(x, F.paidHere, (n) => `本场已付 ${n} 单`, '本场未付款');
    case 'watch': {
      const minutes = raw(x, F.watch);
      return minutes > 0 ? `已看 ${minutes} 分钟` : '刚进直播间';
    }
    case 'exposures':
      return counted(x, F.exposures, (n) => `看到商品 ${n} 次`, '没看到商品');
    case 'clicks':
      return counted(x, F.clicks, (n) => `点开商品 ${n} 次`, '没点开商品');
    case 'activity': {
      const perMinute = Math.expm1(x[F.activity]);
      return perMinute > 0 ? `每分钟互动 ${perMinute.toFixed(1)} 次` : '没有互动';
    }
    case 'history':
      return historyText(x);
    case 'coupon':
      return couponText(x);
    case 'member':
      return x[F.vip] > 0 ? 'VIP 会员' : x[F.level] > 0 ? `会员 ${Math.round(x[F.level] * 5)} 级` : '非会员';
    case 'newcomer':
      return x[F.provisional] > 0 ? '新客，CRM 无记录' : 'CRM 老客户';
    case 'platform': {
      const p = featurePlatforms.findIndex((name) => x[F[`platform:${name}`]] > 0);
      return p >= 0 ? `来自${platformNames[featurePlatforms[p]]}` : '来自其他平台';
    }
    default: {
      const topic = topicNames[group];
      return counted(x, F[`asked:${group}`], (n) => (n === 1 ? `问过${topic}` : `问过${topic} ${n} 次`), `没问${topic}`);
    }
  }
}

function historyText(x: ArrayLike<number>): string {
  const orders = raw(x, F.orders);
  if (orders === 0) return '从未下单';
  const recency = x[F.recency];
  const days = recency > 0 ? Math.round(RECENCY_DAYS / recency - RECENCY_DAYS) : undefined;
  if (days === undefined) return `买过 ${orders} 单`;
  return days <= RECENCY_DAYS ? `近 ${RECENCY_DAYS} 天买过，共 ${orders} 单` : `买过 ${orders} 单，上次 ${days} 天前`;
}

function couponText(x: ArrayLike<number>): string {
  const sensitivity = x[F.sensitivity];
  const held = x[F.couponHeld] > 0;
  if (sensitivity >= 0.5) return held ? '价格敏感，已领券' : '价格敏感，未领券';
  if (held) return '已领券';
  return sensitivity > 0 ? `${Math.round(sensitivity * 100)}% 订单用券，未领券` : '未领券';
}
