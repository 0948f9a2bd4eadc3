// Shared helpers for the profile tests: a fresh database in a temp dir and small row queries.
import { applyRecord, type CrmRecord } from '../../src-main/profiles/records';
import type { DemoProfile } from '../../src-main/sources/demo/audience';
import { openDb, type Db } from '../../src-main/storage/db';
import { tempDir } from '../helpers/temp-dir';

export function freshDb(): { db: Db; dir: string } {
  const dir = tempDir();
  return { db: openDb(dir), dir };
}

export function count(db: Db, table: string): number {
  return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
}

export function logCauses(db: Db): string[] {
  return db.prepare('SELECT cause FROM merge_log ORDER BY id').pluck().all() as string[];
}

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
