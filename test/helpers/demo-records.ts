// The demo audience's CRM customers as profile-store records, for tests and benchmarks that need a
// store holding the people the demo room shows. No vitest here: benchmarks import it too.
import { applyRecord, type CrmRecord } from '../../src-main/profiles/records';
import type { DemoProfile } from '../../src-main/sources/demo/audience';
import type { Db } from '../../src-main/storage/db';

/** The demo audience's CRM customers as records, with their past orders as order lines. */
export function demoRecords(profiles: DemoProfile[]): CrmRecord[] {
  return profiles.map((p) => ({
    fields: {
      crm_id: p.crmId,
      name: p.name,
      phone: p.phone,
      union_id: p.unionId,
      douyin_uid: p.uids.douyin,
      kuaishou_uid: p.uids.kuaishou,
      wechat_uid: p.uids.wechat,
      tags: p.tags.join(','),
      level: String(p.level),
    },
    purchases: p.orders.map((o, i) => ({ orderId: `${p.crmId}-${i + 1}`, productId: o.productId, amountFen: o.amountFen, paidAt: o.ts, coupon: o.usedCoupon })),
  }));
}

export function applyRecords(db: Db, records: CrmRecord[], now = Date.now()): void {
  db.transaction(() => records.forEach((r) => applyRecord(db, r, now)))();
}
