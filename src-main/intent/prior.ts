// The shipped purchase-intent prior, so that scores work on day one: a model trained on demo-room
// sessions whose ground truth is known (held-out AUC 0.840). Generated, do not edit:
// regenerate with `npx tsx test/intent/train-prior.ts` after changing the features or the demo room.
import type { IntentModel } from './model';

export const intentPrior: IntentModel = {
  version: 1,
  features: ['cartOpen', 'cartWait', 'orderOpen', 'orderWait', 'paidHere', 'watch', 'exposures', 'clicks', 'activity', 'asked:尺码', 'asked:价格/优惠', 'asked:发货/物流', 'asked:材质/成分', 'asked:适用人群', 'asked:库存', 'asked:链接', 'asked:售后', 'couponHeld', 'sensitiveHeld', 'orders', 'ltv', 'recency', 'sensitivity', 'vip', 'level', 'provisional', 'platform:douyin', 'platform:kuaishou', 'platform:wechat'],
  weights: [0.547664, -1.14898, 0.11902, -0.329693, -0.0986529, -0.630123, 0.109256, 0.407347, 0.30656, 0.0544141, 0.360129, 0.0766256, 0.0807639, 0.108226, 0.0877233, 0.000435773, 0.0732035, 0.160585, -0.0496279, 0.120861, 0.298714, 0.134834, -0.00858478, -0.0223158, -0.134226, -0.0959481, 0.00637178, 0.0205151, -0.0306772],
  intercept: -3.16048,
  means: [0.186832, 5.13083, 0.0369292, 0.95358, 0.0597662, 2.10393, 1.10703, 0.325944, 0.882399, 0.23431, 0.597312, 0.304539, 0.203818, 0.249287, 0.260101, 0.246152, 0.311277, 0.131548, 0.0298628, 0.450107, 1.91447, 0.0837966, 0.14758, 0.0129029, 0.216175, 0.533486, 0.512756, 0.281189, 0.206055],
  scales: [0.389776, 13.6357, 0.188588, 6.18983, 0.224198, 1.11866, 0.901183, 0.53725, 0.372899, 0.432278, 0.710004, 0.489667, 0.398252, 0.450023, 0.452148, 0.438167, 0.494135, 0.337999, 0.142155, 0.755763, 2.86458, 0.146446, 0.308476, 0.112856, 0.280482, 0.498877, 0.499837, 0.449579, 0.40447],
  trainedAt: 1795435200000,
  trainedOn: { sessions: 10, rows: 388906, positives: 28175 },
  heldOut: { rows: 117685, positives: 8540, auc: 0.840241, logLoss: 0.204169, baseLogLoss: 0.260228 },
};
