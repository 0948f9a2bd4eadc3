// Reads one person for the profile drawer: identifiers per platform (phones shown only as a mark),
// tags, computed traits, order lines, consent, and what they did in the current session.
import type { PersonProfile } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { Db } from '../storage/db';
import { userEvents } from '../storage/event-log';
import { isRecord } from '../shared/values';
import { computeTraits } from './traits';

/** What the drawer shows in place of a phone number: only its salted hash exists. */
export const PHONE_MARK = '••• (hashed)';
const TIMELINE_LIMIT = 100;

export function personProfile(db: Db, personId: number, sessionId: string, now: number): PersonProfile | null {
  const person = db
    .prepare<[number], { display_name: string | null; created_at: number; traits: string }>(
      'SELECT display_name, created_at, traits FROM persons WHERE id = ?',
    )
    .get(personId);
  if (!person) return null;
  const identities = db
    .prepare<[number], { type: string; value: string }>('SELECT type, value FROM identities WHERE person_id = ? ORDER BY type, value')
    .all(personId)
    .map((id) => (id.type === 'phone' ? { type: id.type, value: PHONE_MARK } : id));
  const purchases = db
    .prepare<[number], { orderId: string; productId: string; amountFen: number; paidAt: number; coupon: number; source: string }>(
      `SELECT order_id AS orderId, product_id AS productId, amount_fen AS amountFen, paid_at AS paidAt, coupon, source
       FROM person_orders WHERE person_id = ? ORDER BY paid_at DESC`,
    )
    .all(personId)
    .map((p) => ({ ...p, coupon: p.coupon === 1 }));
  const crm = JSON.parse(person.traits) as { level?: number; orders?: number; ltvFen?: number };
  const traits = computeTraits(purchases, crm, now);
  return {
    id: personId,
    name: person.display_name,
    provisional: !identities.some((i) => i.type === 'crm_id'),
    createdAt: person.created_at,
    identities,
    tags: db
      .prepare<[number, number], { tag: string; source: string; expiresAt: number | null }>(
        'SELECT tag, source, expires_at AS expiresAt FROM tags WHERE person_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY source, tag',
      )
      .all(personId, now),
    level: crm.level,
    orders: traits.orders,
    ltvFen: traits.ltvFen,
    lastPurchaseAt: traits.lastPurchaseAt,
    couponShare: traits.couponShare,
    rfm: traits.rfm?.segment,
    purchases,
    timeline: timeline(db, identities, sessionId),
    consent: db
      .prepare<[number], PersonProfile['consent'][number]>('SELECT purpose, status, ts FROM consent WHERE person_id = ? ORDER BY purpose')
      .all(personId),
    suppressed: db.prepare<[number], number>('SELECT COUNT(*) FROM suppressions WHERE person_id = ?').pluck().get(personId) === 1,
  };
}

/** The session's events by any of the person's platform uids, newest first. */
function timeline(db: Db, identities: { type: string; value: string }[], sessionId: string): PersonProfile['timeline'] {
  return identities
    .filter((id) => id.type.endsWith('_uid'))
    .flatMap((id) => userEvents(db, sessionId, id.type.slice(0, -4), id.value, TIMELINE_LIMIT))
    .sort((a, b) => b.ts - a.ts)
    .slice(0, TIMELINE_LIMIT)
    .map((e) => ({ ts: e.ts, kind: e.kind, platform: e.platform, detail: detailOf(e) }));
}

/** One line about an event: the chat's text, the product and amount of commerce events. */
function detailOf(e: unknown): string {
  if (!isRecord(e)) return '';
  const event = e as Partial<LiveEvent> & Record<string, unknown>;
  if (typeof event.text === 'string') return event.text;
  const parts = [event.productId, event.giftName, event.amountFen !== undefined ? `¥${Number(event.amountFen) / 100}` : undefined];
  return parts.filter((p) => p !== undefined).join(' ');
}
