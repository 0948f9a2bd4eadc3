// Rhythm cues: what the anchor should do next, read from the live metrics, each with its reason in
// numbers. Interaction sagging against the session's own baseline → 福袋/互动; online surging → 讲解主推;
// clicks without orders on the product on air → 讲价格机制/发券; carts left unpaid → 提醒库存/限时.
import type { Cue, Kpis, MinutePoint, ProductKpis } from '../contract';

/** Minutes of history before the interaction baseline means anything. */
const BASELINE_MINUTES = 3;

const pct = (n: number): string => `${Math.round(n * 100)}%`;

export function rhythmCues(k: Kpis, trend: MinutePoint[], products: ProductKpis[]): Cue[] {
  const cues: Cue[] = [];

  // The last complete minute against the average of the minutes before it.
  const done = trend.slice(0, -1);
  if (done.length > BASELINE_MINUTES) {
    const last = done.at(-1)!.comments;
    const before = done.slice(0, -1);
    const baseline = before.reduce((n, m) => n + m.comments, 0) / before.length;
    if (baseline >= 10 && last < baseline * 0.7) {
      cues.push({ kind: 'interact', title: '发福袋 / 抽奖，带动互动', reason: `近 1 分钟评论 ${last} 条，较本场均值 ${Math.round(baseline)} 条低 ${pct(1 - last / baseline)}` });
    }
  }

  if (k.onlineChange5m !== null && k.online - k.onlineChange5m > 0) {
    const before = k.online - k.onlineChange5m;
    if (k.onlineChange5m / before >= 0.2) {
      cues.push({ kind: 'explain', title: '讲解主推款，引导关注', reason: `在线 5 分钟内 +${k.onlineChange5m}（+${pct(k.onlineChange5m / before)}），现 ${k.online}` });
    }
  }

  const onAir = products.find((p) => p.onAir);
  if (onAir && onAir.funnel.clicked >= 20 && onAir.funnel.ordered / onAir.funnel.clicked < 0.05) {
    cues.push({
      kind: 'price',
      title: '讲价格机制 / 发券',
      reason: `${onAir.name ?? onAir.productId} 点击 ${onAir.funnel.clicked} 人，下单仅 ${onAir.funnel.ordered} 人（${pct(onAir.funnel.ordered / onAir.funnel.clicked)}）`,
    });
  }

  const unpaid = k.funnel.carted - k.funnel.ordered;
  if (unpaid >= 10 && k.funnel.ordered / k.funnel.carted < 0.3) {
    cues.push({ kind: 'urgency', title: '提醒库存 / 限时', reason: `加购 ${k.funnel.carted} 人，未下单 ${unpaid} 人` });
  }
  return cues;
}
