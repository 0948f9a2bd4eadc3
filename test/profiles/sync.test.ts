// CRM sync against the demo CRM on a real socket, into real SQLite files: full and incremental runs,
// tombstones, resuming after a failure, auth, timeouts and malformed answers.
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoCrm, profileUpdatedAt, type DemoCrm, type DemoCrmOptions } from '../../src-main/profiles/demo-crm';
import { CrmSync, checkSyncConfig, type SyncConfig, type SyncOptions } from '../../src-main/profiles/sync';
import { DEFAULT_PROFILE_SEED, demoProfiles } from '../../src-main/sources/demo/audience';
import type { Db } from '../../src-main/storage/db';
import { count, freshDb } from './helpers';

const DAY = 86_400_000;
const profiles = demoProfiles(DEFAULT_PROFILE_SEED, 40);
const PAGE_SIZE = 7;
const PAGES = Math.ceil(profiles.length / PAGE_SIZE);
const OVERLAP_MS = 60 * DAY;
const fast: SyncOptions = { attempts: 3, backoff: { initialMs: 1, maxMs: 4 } };

const servers: DemoCrm[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function demoCrm(options: DemoCrmOptions = {}): Promise<DemoCrm> {
  const crm = await startDemoCrm({ profiles, ...options });
  servers.push(crm);
  return crm;
}

function syncTo(crm: DemoCrm, config: Partial<SyncConfig> = {}, options: SyncOptions = {}): { db: Db; sync: CrmSync } {
  const { db } = freshDb();
  const settings = { name: 'demo', url: crm.url, everyMinutes: 15, overlapMs: OVERLAP_MS, pageSize: PAGE_SIZE, ...config };
  return { db, sync: new CrmSync(db, settings, { ...fast, ...options }) };
}

function state(db: Db): { watermark: number; cursor: string | null } {
  return db.prepare('SELECT watermark, cursor FROM sync_state').get() as { watermark: number; cursor: string | null };
}

/** The store by CRM id, without row ids, times or phone hashes (their salt is per database). */
function snapshot(db: Db): unknown {
  const byCrm = (sql: string) => db.prepare(sql).all();
  return {
    persons: count(db, 'persons'),
    profiles: byCrm(`SELECT c.value AS crm, p.display_name, p.traits FROM persons p
      JOIN identities c ON c.person_id = p.id AND c.type = 'crm_id' ORDER BY crm`),
    identities: byCrm(`SELECT c.value AS crm, i.type, IIF(i.type = 'phone', '', i.value) AS value FROM identities i
      JOIN identities c ON c.person_id = i.person_id AND c.type = 'crm_id' ORDER BY crm, i.type, value`),
    tags: byCrm(`SELECT c.value AS crm, t.tag, t.source FROM tags t
      JOIN identities c ON c.person_id = t.person_id AND c.type = 'crm_id' ORDER BY crm, t.tag`),
    orders: byCrm(`SELECT c.value AS crm, o.order_id, o.product_id, o.amount_fen, o.paid_at, o.coupon, o.source
      FROM person_orders o JOIN identities c ON c.person_id = o.person_id AND c.type = 'crm_id' ORDER BY o.order_id`),
  };
}

const identifierCount = profiles.reduce((n, p) => n + 2 + (p.unionId ? 1 : 0) + Object.keys(p.uids).length, 0);
const orderCount = profiles.reduce((n, p) => n + p.orders.length, 0);
const lastUpdate = Math.max(...profiles.map(profileUpdatedAt));

describe('CrmSync', () => {
  it('pulls every customer on the first run', async () => {
    const crm = await demoCrm();
    const { db, sync } = syncTo(crm);
    const run = await sync.runNow();
    expect(run).toMatchObject({ status: 'ok', error: null, pages: PAGES, inserted: profiles.length, updated: 0, rejected: 0 });
    expect(run.report).toEqual({ since: 0, watermark: lastUpdate, rejections: [] });
    expect(count(db, 'persons')).toBe(profiles.length);
    expect(count(db, 'identities')).toBe(identifierCount);
    expect(count(db, 'person_orders')).toBe(orderCount);
    expect(count(db, 'tags')).toBe(profiles.reduce((n, p) => n + p.tags.length, 0));
    expect(state(db)).toEqual({ watermark: lastUpdate, cursor: null });
    expect(crm.requests.map((r) => r.updatedSince)).toEqual(Array(PAGES).fill(0));
    expect(crm.requests.every((r) => r.limit === PAGE_SIZE)).toBe(true);

    const first = profiles[0];
    const person = db
      .prepare("SELECT display_name, traits FROM persons p JOIN identities i ON i.person_id = p.id WHERE i.value = ?")
      .get(first.crmId);
    const ltvFen = first.orders.reduce((sum, o) => sum + o.amountFen, 0);
    expect(person).toEqual({
      display_name: first.name,
      traits: JSON.stringify({ level: first.level, ltvFen, orders: first.orders.length }),
    });
    expect(sync.runs()).toEqual([run]);
  });

  it('re-reads only the overlap window when nothing changed', async () => {
    const crm = await demoCrm();
    const { db, sync } = syncTo(crm);
    await sync.runNow();
    const before = snapshot(db);
    const served = crm.requests.length;
    const run = await sync.runNow();
    const since = lastUpdate - OVERLAP_MS;
    const inWindow = profiles.filter((p) => profileUpdatedAt(p) >= since).length;
    expect(inWindow).toBeGreaterThan(0);
    expect(inWindow).toBeLessThan(profiles.length);
    expect(run).toMatchObject({ status: 'ok', inserted: 0, updated: 0, deleted: 0, unchanged: inWindow });
    expect(run.report.since).toBe(since);
    expect(crm.requests[served].updatedSince).toBe(since);
    expect(snapshot(db)).toEqual(before);
    expect(sync.runs().map((r) => r.id)).toEqual([2, 1]);
  });

  it('picks up an edit and a deletion incrementally', async () => {
    const crm = await demoCrm();
    const { db, sync } = syncTo(crm);
    await sync.runNow();
    const [edited, removed] = [profiles[2], profiles[4]];
    crm.update(edited.crmId, { name: '改了名字的老客', level: 5, tags: ['VIP'] });
    crm.remove(removed.crmId);

    const run = await sync.runNow();
    expect(run).toMatchObject({ status: 'ok', inserted: 0, updated: 1, deleted: 1, rejected: 0 });
    const name = db
      .prepare("SELECT display_name FROM persons p JOIN identities i ON i.person_id = p.id WHERE i.type = 'crm_id' AND i.value = ?")
      .pluck();
    expect(name.get(edited.crmId)).toBe('改了名字的老客');
    expect(name.get(removed.crmId)).toBeUndefined();
    const phoneless = removed.uids.douyin ?? removed.uids.kuaishou ?? removed.uids.wechat;
    const leftover = db
      .prepare('SELECT p.id, display_name, traits FROM persons p JOIN identities i ON i.person_id = p.id WHERE i.value = ?')
      .get(phoneless) as { id: number; display_name: string | null; traits: string };
    expect(leftover).toMatchObject({ display_name: null, traits: '{}' });
    expect(db.prepare("SELECT COUNT(*) FROM tags WHERE person_id = ? AND source = 'crm'").pluck().get(leftover.id)).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM person_orders WHERE order_id LIKE ?').pluck().get(`${removed.crmId}-%`)).toBe(0);
    expect(count(db, 'person_orders')).toBe(orderCount - removed.orders.length);

    const again = await sync.runNow();
    expect(again).toMatchObject({ status: 'ok', updated: 0, deleted: 0 });
  });

  it('resumes a run that failed half-way from its saved cursor, ending as if nothing had failed', async () => {
    const crm = await demoCrm();
    const { db, sync } = syncTo(crm);
    crm.failNext(fast.attempts!, { after: 2 });
    const failed = await sync.runNow();
    expect(failed).toMatchObject({ status: 'failed', pages: 2, inserted: 2 * PAGE_SIZE });
    expect(failed.error).toMatch(/HTTP 500.*gave up after 3 tries/);
    const saved = state(db);
    expect(saved).toEqual({ watermark: 0, cursor: expect.any(String) });
    expect(crm.requests.at(-1)?.cursor).toBe(saved.cursor);

    const served = crm.requests.length;
    const resumed = await sync.runNow();
    expect(resumed).toMatchObject({ status: 'ok', pages: PAGES - 2, inserted: profiles.length - 2 * PAGE_SIZE });
    expect(resumed.report.resumedFrom).toBe(saved.cursor);
    expect(crm.requests[served].cursor).toBe(saved.cursor);
    expect(state(db)).toEqual({ watermark: lastUpdate, cursor: null });

    const whole = syncTo(crm);
    await whole.sync.runNow();
    expect(snapshot(db)).toEqual(snapshot(whole.db));
    expect(count(db, 'person_orders')).toBe(orderCount);
  });

  it('stops a run mid-request; the next run resumes it', async () => {
    const crm = await demoCrm();
    const { db, sync } = syncTo(crm);
    crm.failNext(1, { after: 1, delayMs: 1_000 });
    const running = sync.runNow();
    await expect.poll(() => crm.requests.length).toBe(2);
    await sync.stop();
    expect(await running).toMatchObject({ status: 'failed', pages: 1, error: 'the sync was stopped' });
    expect(state(db).cursor).toBe(crm.requests[1].cursor);
    expect(await sync.runNow()).toMatchObject({ status: 'ok', pages: PAGES - 1 });
  });

  it('fails at once with a clear error on a wrong token', async () => {
    const crm = await demoCrm({ token: 'right-token' });
    const wrong = syncTo(crm, { token: 'wrong-token' });
    const run = await wrong.sync.runNow();
    expect(run).toMatchObject({ status: 'failed', pages: 0, inserted: 0 });
    expect(run.error).toMatch(/HTTP 401 \(check the token\)/);
    expect(crm.requests).toHaveLength(1);
    expect(count(wrong.db, 'persons')).toBe(0);

    const right = syncTo(crm, { token: 'right-token' });
    expect(await right.sync.runNow()).toMatchObject({ status: 'ok', inserted: profiles.length });
  });

  it('retries garbage answers and timeouts, and fails when they persist', async () => {
    const crm = await demoCrm();
    const { sync } = syncTo(crm, {}, { timeoutMs: 100 });
    crm.failNext(1, { status: 200, body: '<html>oops</html>', after: 1 });
    expect(await sync.runNow()).toMatchObject({ status: 'ok', pages: PAGES });
    expect(crm.requests[1]).toMatchObject({ status: 200, cursor: expect.any(String) });
    expect(crm.requests[2].cursor).toBe(crm.requests[1].cursor);

    crm.failNext(1, { delayMs: 400 });
    expect(await sync.runNow()).toMatchObject({ status: 'ok' });

    crm.failNext(3, { status: 200, body: '{"records": "none"}' });
    const failed = await sync.runNow();
    expect(failed).toMatchObject({ status: 'failed', error: 'the CRM answer has no records list (gave up after 3 tries)' });
  });

  it('counts malformed records as rejections with reasons and applies the rest', async () => {
    const crm = await demoCrm();
    const at = profileUpdatedAt(profiles[0]);
    const line = { order_id: 'x-1', product_id: 'p1', amount_fen: 100, paid_at: at };
    crm.inject('just text', at);
    crm.inject({ crm_id: 'crm_x1' }, at);
    crm.inject({ crm_id: 'crm_x2', updated_at: at, level: 'high' }, at);
    crm.inject({ crm_id: 'crm_x3', updated_at: at, phone: { number: 1 } }, at);
    crm.inject({ crm_id: 'crm_x4', updated_at: at, purchases: [line, { ...line, amount_fen: -5 }] }, at);
    crm.inject({ crm_id: 'crm_x5', updated_at: at, tags: ['ok', 3] }, at);
    crm.inject({ crm_id: 'crm_x6', updated_at: at, name: '新客', tags: '学生党', purchases: [line] }, at);
    const { db, sync } = syncTo(crm);
    const run = await sync.runNow();
    expect(run).toMatchObject({ status: 'ok', inserted: profiles.length + 1, rejected: 6 });
    expect(run.report.rejections.map(({ crmId, reason }) => ({ crmId, reason }))).toEqual([
      { crmId: undefined, reason: 'not an object' },
      { crmId: 'crm_x1', reason: 'no updated_at (epoch ms)' },
      { crmId: 'crm_x2', reason: 'bad number: level' },
      { crmId: 'crm_x3', reason: 'bad phone: text or a number' },
      { crmId: 'crm_x4', reason: 'bad purchase 2: amount_fen must be whole fen ≥ 0' },
      { crmId: 'crm_x5', reason: 'bad tags: text or a list of text' },
    ]);
    expect(db.prepare('SELECT person_id FROM person_orders WHERE order_id = ?').pluck().get('x-1')).toBeDefined();
    expect(sync.runs(1)[0].report.rejections).toHaveLength(6);
  });

  it('starts over when the server no longer knows the saved cursor', async () => {
    const crm = await demoCrm();
    const { db, sync } = syncTo(crm);
    db.prepare("INSERT INTO sync_state (name, cursor) VALUES ('demo', 'expired-long-ago')").run();
    const run = await sync.runNow();
    expect(run).toMatchObject({ status: 'ok', pages: PAGES, inserted: profiles.length });
    expect(run.report).toMatchObject({ resumedFrom: 'expired-long-ago', restarted: true });
    expect(crm.requests.map((r) => r.status).slice(0, 2)).toEqual([410, 200]);
  });

  it('shares a run under way, runs on a schedule and stops', async () => {
    const crm = await demoCrm();
    const seen: number[] = [];
    const { sync } = syncTo(crm, { everyMinutes: 0.0005 }, { onRun: (run) => seen.push(run.id) });
    expect(sync.runNow()).toBe(sync.runNow());
    await sync.runNow();
    sync.start();
    await expect.poll(() => seen.length, { timeout: 2_000 }).toBeGreaterThanOrEqual(3);
    await sync.stop();
    const stopped = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.length).toBe(stopped);
    expect(sync.runs(50).every((r) => r.status === 'ok')).toBe(true);
  });
});

describe('checkSyncConfig', () => {
  const config = { name: 'crm', url: 'https://crm.example.com/api/customers?shop=1', everyMinutes: 15 };

  it('fills in the defaults', () => {
    expect(checkSyncConfig(config)).toEqual({ ...config, overlapMs: 24 * 3_600_000, pageSize: 200 });
  });

  it('accepts only http and https URLs without credentials, and sane numbers', () => {
    expect(() => checkSyncConfig({ ...config, url: 'file:///etc/passwd' })).toThrow(/http or https, not file:/);
    expect(() => checkSyncConfig({ ...config, url: 'ftp://crm.example.com/' })).toThrow(/http or https/);
    expect(() => checkSyncConfig({ ...config, url: 'crm.example.com' })).toThrow(/not a URL/);
    expect(() => checkSyncConfig({ ...config, url: 'https://me:pw@crm.example.com/' })).toThrow(/token/);
    expect(() => checkSyncConfig({ ...config, everyMinutes: 0 })).toThrow(/everyMinutes/);
    expect(() => checkSyncConfig({ ...config, pageSize: 5_000 })).toThrow(/pageSize/);
    expect(() => checkSyncConfig({ ...config, overlapMs: -1 })).toThrow(/overlapMs/);
  });
});
