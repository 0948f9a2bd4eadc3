// The order history as buyers' baskets, for the co-purchase model: every person's order lines in the
// profile store (CRM lines and orders seen live), plus the paid orders of recorded sessions that the
// store does not hold (users the store could not place, sessions before it knew them). A recorded
// order's buyer is the person their platform uid belongs to, else the platform user alone; orders
// refunded in a recorded session are left out everywhere. Reads the database once, streaming the
// order lines by person.
import type { Db } from '../storage/db';
import { readEvents } from '../storage/event-log';
import { uidTypeOf } from '../profiles/cache';

export interface BasketOptions {
  /** Only orders paid at or after this time (epoch ms), and sessions started at or after it. */
  sinceTs?: number;
  /** A session left out (the live one: its orders reach the store as they are paid). */
  excludeSession?: string;
  /**
   * Read recorded sessions for orders the store lacks (default true). Decoding every recording takes
   * long with many long sessions; the live engine leaves it out, since the store keeps every order of
   * a viewer it identified live.
   */
  recordings?: boolean;
}

interface RecordedOrders {
  /** Person id → products they paid for in recorded sessions. */
  byPerson: Map<number, string[]>;
  /** Platform users the store does not know → products. */
  byUser: Map<string, string[]>;
  refunded: Set<string>;
}

/** Each buyer's products (repeats possible; the model counts distinct ones). */
export function* orderBaskets(db: Db, options: BasketOptions = {}): Generator<string[]> {
  const since = options.sinceTs ?? 0;
  const recorded: RecordedOrders =
    options.recordings === false ? { byPerson: new Map(), byUser: new Map(), refunded: new Set() } : recordedOrders(db, since, options.excludeSession);
  const lines = db.prepare<[number], { personId: number; orderId: string; productId: string }>(
    'SELECT person_id AS personId, order_id AS orderId, product_id AS productId FROM person_orders WHERE paid_at >= ? ORDER BY person_id',
  );
  let person: number | undefined;
  let basket: string[] = [];
  for (const line of lines.iterate(since)) {
    if (line.personId !== person) {
      if (person !== undefined) yield withRecorded(basket, recorded.byPerson, person);
      person = line.personId;
      basket = [];
    }
    if (!recorded.refunded.has(line.orderId)) basket.push(line.productId);
  }
  if (person !== undefined) yield withRecorded(basket, recorded.byPerson, person);
  yield* recorded.byPerson.values();
  yield* recorded.byUser.values();
}

/** The basket with the person's recorded orders added (and taken from the map: each is used once). */
function withRecorded(basket: string[], byPerson: Map<number, string[]>, person: number): string[] {
  const more = byPerson.get(person);
  if (!more) return basket;
  byPerson.delete(person);
  return [...basket, ...more];
}

/** The paid orders of recorded sessions that the store does not hold, by buyer, and every refund. */
function recordedOrders(db: Db, since: number, excludeSession: string | undefined): RecordedOrders {
  const sessions = db
    .prepare<[number, string], string>("SELECT id FROM sessions WHERE status != 'live' AND started_at >= ? AND id != ? ORDER BY started_at")
    .pluck()
    .all(since, excludeSession ?? '');
  const paid: { orderId: string; productId: string; platform: string; uid: string }[] = [];
  const refunded = new Set<string>();
  for (const id of sessions) {
    for (const e of readEvents(db, id, { fromTs: since })) {
      if (e.kind === 'order_refund') refunded.add(e.orderId);
      else if (e.kind === 'order_paid' && e.user && !e.user.masked) paid.push({ orderId: e.orderId, productId: e.productId, platform: e.platform, uid: e.user.id });
    }
  }
  const stored = db.prepare<[string], number>('SELECT 1 FROM person_orders WHERE order_id = ?').pluck();
  const owner = db.prepare<[string, string], number>('SELECT person_id FROM identities WHERE type = ? AND value = ?').pluck();
  const byPerson = new Map<number, string[]>();
  const byUser = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const order of paid) {
    if (refunded.has(order.orderId) || seen.has(order.orderId) || stored.get(order.orderId) !== undefined) continue;
    seen.add(order.orderId);
    const type = uidTypeOf(order.platform);
    const person = type === undefined ? undefined : owner.get(type, order.uid);
    if (person !== undefined) push(byPerson, person, order.productId);
    else push(byUser, `${order.platform}:${order.uid}`, order.productId);
  }
  return { byPerson, byUser, refunded };
}

function push<K>(map: Map<K, string[]>, key: K, productId: string): void {
  const list = map.get(key);
  if (list) list.push(productId);
  else map.set(key, [productId]);
}
