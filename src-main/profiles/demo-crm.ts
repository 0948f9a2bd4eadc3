// The demo CRM: an HTTP server speaking the CRM sync protocol (docs/crm-sync.md) over the demo
// audience's profiles, so a sync can be tried and tested on real sockets without a vendor. A
// profile's updated_at is its last order's time (the start of the order history for customers who
// never bought); edits and removals are stamped by the server's clock, removals served as tombstones.
// Tests can also make it serve raw records and fail its next requests on purpose.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { safeEqual } from '../shared/safe-equal';
import { parseJson } from '../shared/values';
import { demoProfiles, HISTORY_END, type DemoProfile } from '../sources/demo/audience';

export const DEMO_CRM_PATH = '/crm/customers';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;
/** Orders fall in the year before HISTORY_END. */
const HISTORY_START = HISTORY_END - 365 * 86_400_000;

export interface DemoCrmOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Default `demoProfiles()`. */
  profiles?: DemoProfile[];
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** The server's clock, for stamping edits and removals. */
  now?: () => number;
}

/** How the next requests fail: `after` requests served normally, then answers of `status` with `body`. */
export interface DemoCrmFailure {
  after?: number;
  /** Default 500. */
  status?: number;
  body?: string;
  /** Wait this long before answering (to outlast a client's timeout). */
  delayMs?: number;
}

/** A request as the server saw it (query values as numbers; NaN when they were not). */
export interface DemoCrmRequest {
  updatedSince: number;
  limit: number;
  cursor: string | null;
  status: number;
}

export interface DemoCrm {
  /** The endpoint to configure in a CRM sync. */
  readonly url: string;
  /** Every request served, oldest first. */
  readonly requests: readonly DemoCrmRequest[];
  /** Changes a customer, stamping it now. */
  update(crmId: string, patch: Partial<Omit<DemoProfile, 'crmId'>>): void;
  /** Deletes a customer: from now on it is served as a tombstone. */
  remove(crmId: string): void;
  /** Serves `record` exactly as given, sorted at `updatedAt`: for records a sane CRM never sends. */
  inject(record: unknown, updatedAt: number): void;
  /** Fails the next `times` requests (after `failure.after` good ones). */
  failNext(times: number, failure?: DemoCrmFailure): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: string;
  delayMs?: number;
}

interface Entry {
  key: string;
  updatedAt: number;
  body: unknown;
}

/** Where a page ended: the (updated_at, key) of its last entry. */
type Position = [updatedAt: number, key: string];

/** A customer's updated_at before anyone edits it: when they last bought. */
export function profileUpdatedAt(profile: DemoProfile): number {
  return profile.orders.at(-1)?.ts ?? HISTORY_START;
}

/** A customer as the protocol's record. */
export function profileRecord(profile: DemoProfile, updatedAt: number): Record<string, unknown> {
  const { crmId, orders } = profile;
  return {
    crm_id: crmId,
    updated_at: updatedAt,
    name: profile.name,
    phone: profile.phone,
    ...(profile.unionId && { union_id: profile.unionId }),
    ...Object.fromEntries(Object.entries(profile.uids).map(([platform, uid]) => [`${platform}_uid`, uid])),
    tags: profile.tags,
    level: profile.level,
    ltv_fen: orders.reduce((sum, o) => sum + o.amountFen, 0),
    orders: orders.length,
    purchases: orders.map((o, i) => ({
      order_id: `${crmId}-${i + 1}`,
      product_id: o.productId,
      amount_fen: o.amountFen,
      paid_at: o.ts,
      coupon: o.usedCoupon,
    })),
  };
}

/** The customers and tombstones, in the protocol's order. */
class Feed {
  private readonly profiles = new Map<string, DemoProfile>();
  private readonly entries = new Map<string, Entry>();
  private clock = 0;
  private injected = 0;

  constructor(
    profiles: DemoProfile[],
    private readonly now: () => number,
  ) {
    for (const profile of profiles) this.putProfile(profile, profileUpdatedAt(profile));
  }

  update(crmId: string, patch: Partial<Omit<DemoProfile, 'crmId'>>): void {
    this.putProfile({ ...this.profile(crmId), ...patch, crmId }, this.stamp());
  }

  remove(crmId: string): void {
    this.profile(crmId);
    this.profiles.delete(crmId);
    const updatedAt = this.stamp();
    this.put(crmId, updatedAt, { crm_id: crmId, updated_at: updatedAt, deleted: true });
  }

  inject(body: unknown, updatedAt: number): void {
    this.put(`~injected-${++this.injected}`, updatedAt, body);
  }

  /** Up to `limit` entries changed at or after `since` and past `from`, and the cursor to the rest. */
  page(since: number, limit: number, from?: Position): { records: unknown[]; next_cursor: string | null } {
    const rest = [...this.entries.values()]
      .filter((e) => e.updatedAt >= since && (!from || compare(positionOf(e), from) > 0))
      .sort((a, b) => compare(positionOf(a), positionOf(b)));
    const shown = rest.slice(0, limit);
    const last = shown.at(-1);
    return { records: shown.map((e) => e.body), next_cursor: rest.length > limit && last ? encodeCursor(positionOf(last)) : null };
  }

  private profile(crmId: string): DemoProfile {
    const profile = this.profiles.get(crmId);
    if (!profile) throw new Error(`the demo CRM has no customer ${crmId}`);
    return profile;
  }

  private putProfile(profile: DemoProfile, updatedAt: number): void {
    this.profiles.set(profile.crmId, profile);
    this.put(profile.crmId, updatedAt, profileRecord(profile, updatedAt));
  }

  private put(key: string, updatedAt: number, body: unknown): void {
    this.entries.set(key, { key, updatedAt, body });
    this.clock = Math.max(this.clock, updatedAt);
  }

  /** Now by the server's clock, and never at or before a stamp already given: updated_at only grows. */
  private stamp(): number {
    return Math.max(this.now(), this.clock + 1);
  }
}

function positionOf(entry: Entry): Position {
  return [entry.updatedAt, entry.key];
}

function compare(a: Position, b: Position): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string): Position | undefined {
  const value = parseJson(Buffer.from(cursor, 'base64url').toString());
  const valid = Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string';
  return valid ? (value as Position) : undefined;
}

export async function startDemoCrm(options: DemoCrmOptions = {}): Promise<DemoCrm> {
  const { host = '127.0.0.1', port = 0, token } = options;
  const feed = new Feed(options.profiles ?? demoProfiles(), options.now ?? Date.now);
  const requests: DemoCrmRequest[] = [];
  let failure: (DemoCrmFailure & { after: number; times: number }) | undefined;

  const nextFailure = (): Answer | undefined => {
    if (!failure) return undefined;
    if (failure.after > 0) {
      failure.after--;
      return undefined;
    }
    const { status = 500, body = JSON.stringify({ error: 'demo CRM failure' }), delayMs } = failure;
    if (--failure.times === 0) failure = undefined;
    return { status, body, delayMs };
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo-crm');
    const answer = nextFailure() ?? respond(req, url, feed, token);
    requests.push({ ...queryOf(url.searchParams), status: answer.status });
    setTimeout(() => send(res, answer), answer.delayMs ?? 0);
  });
  await listen(server, port, host);
  const { port: bound } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${bound}${DEMO_CRM_PATH}`,
    requests,
    update: (crmId, patch) => feed.update(crmId, patch),
    remove: (crmId) => feed.remove(crmId),
    inject: (record, updatedAt) => feed.inject(record, updatedAt),
    failNext: (times, how = {}) => {
      failure = times > 0 ? { ...how, after: how.after ?? 0, times } : undefined;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function respond(req: IncomingMessage, url: URL, feed: Feed, token: string | undefined): Answer {
  if (req.method !== 'GET' || url.pathname !== DEMO_CRM_PATH) return json(404, { error: `GET ${DEMO_CRM_PATH}` });
  if (token !== undefined && !safeEqual(req.headers.authorization?.replace(/^Bearer /, '') ?? '', token)) {
    return json(401, { error: 'unauthorized: send Authorization: Bearer <token>' });
  }
  const query = queryOf(url.searchParams);
  if (!Number.isSafeInteger(query.updatedSince) || query.updatedSince < 0) return json(400, { error: 'updated_since must be epoch ms' });
  if (!Number.isSafeInteger(query.limit) || query.limit < 1 || query.limit > MAX_LIMIT) {
    return json(400, { error: `limit must be 1 to ${MAX_LIMIT}` });
  }
  const from = query.cursor === null ? undefined : decodeCursor(query.cursor);
  if (query.cursor !== null && !from) return json(410, { error: 'unknown or expired cursor: start over without it' });
  return json(200, feed.page(query.updatedSince, query.limit, from));
}

function queryOf(params: URLSearchParams): Omit<DemoCrmRequest, 'status'> {
  const number = (name: string, fallback: number) => {
    const raw = params.get(name);
    return raw === null ? fallback : /^\d+$/.test(raw) ? Number(raw) : NaN;
  };
  return { updatedSince: number('updated_since', 0), limit: number('limit', DEFAULT_LIMIT), cursor: params.get('cursor') };
}

function json(status: number, body: object): Answer {
  return { status, body: JSON.stringify(body) };
}

function send(res: ServerResponse, { status, body }: Answer): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(body);
}
