// Incremental CRM sync: pulls the customer records a CRM changed since the last run from its HTTP
// endpoint (the protocol is docs/crm-sync.md) and applies each through records.ts. Owns each named
// sync's `sync_state` row (watermark and resume cursor) and its `sync_runs` rows, the paging (each
// page applied in one transaction together with its cursor, so a failed run resumes where it
// stopped), retries with backoff, and the schedule.
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff, type BackoffOptions } from '../sources/reconnect';
import { checkEndpointUrl } from '../shared/endpoint-url';
import { isRecord, messageOf, parseJson } from '../shared/values';
import type { Db } from '../storage/db';
import { applyRecord, removeRecord, type Purchase, type RecordFields } from './records';

/**
 * How far before the watermark each run starts reading again, for records that reach the CRM's API
 * with an updated_at older than ones already read: a long transaction commits after shorter ones,
 * a replica lags, a nightly batch job stamps its rows when it starts. One day covers a daily batch.
 * Re-reading is cheap (applying a record again changes nothing) and costs one day of changes per run;
 * RudderStack's 96 h is sized for warehouse loads that can stall over a weekend, which an operational
 * CRM's API does not go through.
 */
export const DEFAULT_OVERLAP_MS = 24 * 3_600_000;
export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 1_000;
/** A week: the longest a Node timer can wait is 24.8 days. */
export const MAX_EVERY_MINUTES = 7 * 24 * 60;
const DEFAULT_ATTEMPTS = 4;
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_REPORTED_REJECTIONS = 50;

export interface SyncConfig {
  /** Names the sync's state and runs: one name per CRM endpoint. */
  name: string;
  /** The endpoint, http or https; it may carry query parameters of its own. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Minutes between the end of a scheduled run and the start of the next. */
  everyMinutes: number;
  /** Default DEFAULT_OVERLAP_MS. */
  overlapMs?: number;
  /** The `limit` asked for, 1 to MAX_PAGE_SIZE; default DEFAULT_PAGE_SIZE. */
  pageSize?: number;
}

export type SyncSettings = SyncConfig & { overlapMs: number; pageSize: number };

export interface SyncOptions {
  /** Tries per page before the run fails (default 4). */
  attempts?: number;
  /** Waits between tries. */
  backoff?: BackoffOptions;
  /** How long one request may take, body included (default 30 s). */
  timeoutMs?: number;
  now?: () => number;
  /** Called after every run, ok or failed, e.g. to refresh caches built from the profile store. */
  onRun?: (run: SyncRun) => void;
}

export type SyncStatus = 'running' | 'ok' | 'failed';

export interface SyncRejection {
  /** 1-based page of the run. */
  page: number;
  crmId?: string;
  reason: string;
}

export interface SyncReport {
  /** The `updated_since` the run asked for. */
  since: number;
  /** The saved cursor the run continued from, when an earlier run stopped half-way. */
  resumedFrom?: string;
  /** The server no longer knew a cursor, so the run started over from `since`. */
  restarted?: boolean;
  /** The watermark a complete run saved. */
  watermark?: number;
  /** The first MAX_REPORTED_REJECTIONS rejected records and why. */
  rejections: SyncRejection[];
}

export interface SyncCounts {
  pages: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Tombstones that removed a customer's CRM data (ones for unknown ids count as unchanged). */
  deleted: number;
  rejected: number;
}

export interface SyncRun extends SyncCounts {
  id: number;
  name: string;
  startedAt: number;
  finishedAt: number | null;
  status: SyncStatus;
  error: string | null;
  report: SyncReport;
}

interface Progress extends SyncCounts {
  /** The highest updated_at read so far, starting from the saved watermark. */
  seenUpTo: number;
  report: SyncReport;
}

interface RunContext {
  id: number;
  startedAt: number;
  signal: AbortSignal;
}

interface Page {
  records: unknown[];
  nextCursor: string | null;
}

/** A failed request: worth another try, hopeless, or refused because the server forgot the cursor. */
class PullError extends Error {
  constructor(
    message: string,
    readonly kind: 'retry' | 'fatal' | 'expired',
  ) {
    super(message);
  }
}

const OUTCOMES = ['inserted', 'updated', 'unchanged', 'deleted'] as const;
type Outcome = (typeof OUTCOMES)[number];

/** The protocol's fields that map one to one onto a record's fields. */
const FIELDS = [
  'crm_id',
  'name',
  'phone',
  'union_id',
  'douyin_uid',
  'kuaishou_uid',
  'wechat_uid',
  'bilibili_uid',
  'tiktok_uid',
  'taobao_uid',
  'device_id',
  'tags',
  'level',
  'ltv_fen',
  'orders',
] as const satisfies readonly (keyof RecordFields)[];

/** The config with its defaults, or an error saying what is wrong with it. */
export function checkSyncConfig(config: SyncConfig): SyncSettings {
  const { overlapMs = DEFAULT_OVERLAP_MS, pageSize = DEFAULT_PAGE_SIZE, everyMinutes } = config;
  if (config.name.trim() === '') throw new Error('a CRM sync needs a name');
  checkEndpointUrl(config.url, 'a CRM URL');
  if (!(everyMinutes > 0 && everyMinutes <= MAX_EVERY_MINUTES)) {
    throw new Error(`everyMinutes must be more than 0 and at most ${MAX_EVERY_MINUTES}, not ${everyMinutes}`);
  }
  if (!Number.isSafeInteger(overlapMs) || overlapMs < 0) throw new Error(`overlapMs must be whole ms ≥ 0, not ${overlapMs}`);
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new Error(`pageSize must be 1 to ${MAX_PAGE_SIZE}, not ${pageSize}`);
  }
  return { ...config, overlapMs, pageSize };
}

/** One CRM endpoint kept in sync with the profile store: on demand (`runNow`) or on a schedule. */
export class CrmSync {
  readonly settings: SyncSettings;
  private current: Promise<SyncRun> | undefined;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    config: SyncConfig,
    private readonly options: SyncOptions = {},
  ) {
    this.settings = checkSyncConfig(config);
    this.now = options.now ?? Date.now;
  }

  /**
   * Runs now; while a run is under way, its promise. A failed run resolves too (status 'failed'); the
   * promise rejects only when the store cannot be written or `onRun` throws.
   */
  runNow(): Promise<SyncRun> {
    this.current ??= this.run().finally(() => (this.current = undefined));
    return this.current;
  }

  /** Whether a run is under way. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** Runs now and then `everyMinutes` after each run ends, until `stop`. */
  start(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.tick();
  }

  /** Ends the schedule and cuts a run short (it fails, and the next run resumes it); resolves when it has. */
  async stop(): Promise<void> {
    this.scheduled = false;
    clearTimeout(this.timer);
    this.abort?.abort();
    await this.current?.catch(() => undefined);
  }

  /** The latest `limit` runs of this sync, newest first. */
  runs(limit = 20): SyncRun[] {
    return this.selectRuns('WHERE name = ? ORDER BY id DESC LIMIT ?', this.settings.name, limit);
  }

  private selectRuns(where: string, ...params: (string | number)[]): SyncRun[] {
    return this.db
      .prepare<(string | number)[], Omit<SyncRun, 'report'> & { report: string }>(
        `SELECT id, name, started_at AS startedAt, finished_at AS finishedAt, status, pages, inserted, updated,
           unchanged, deleted, rejected, error, report
         FROM sync_runs ${where}`,
      )
      .all(...params)
      .map((row) => ({ ...row, report: JSON.parse(row.report) as SyncReport }));
  }

  private tick(): void {
    this.runNow()
      .catch((err: unknown) => console.error(`CRM sync ${this.settings.name}: ${messageOf(err)}`))
      .finally(() => {
        clearTimeout(this.timer);
        if (!this.scheduled) return;
        this.timer = setTimeout(() => this.tick(), this.settings.everyMinutes * 60_000);
        this.timer.unref();
      });
  }

  private async run(): Promise<SyncRun> {
    this.abort = new AbortController();
    const state = this.state();
    const since = Math.max(0, state.watermark - this.settings.overlapMs);
    const report: SyncReport = { since, ...(state.cursor !== null && { resumedFrom: state.cursor }), rejections: [] };
    const progress: Progress = { ...zeroCounts(), seenUpTo: state.watermark, report };
    const run = this.openRun(this.now(), this.abort.signal, report);
    let error: string | null = null;
    try {
      await this.pull(run, progress, state.cursor ?? undefined);
    } catch (err) {
      error = messageOf(err);
    }
    this.closeRun(run.id, error, progress.report);
    const [result] = this.selectRuns('WHERE id = ?', run.id);
    this.options.onRun?.(result);
    return result;
  }

  private state(): { watermark: number; cursor: string | null } {
    const { db, settings } = this;
    db.prepare('INSERT OR IGNORE INTO sync_state (name) VALUES (?)').run(settings.name);
    return db
      .prepare<[string], { watermark: number; cursor: string | null }>('SELECT watermark, cursor FROM sync_state WHERE name = ?')
      .get(settings.name)!;
  }

  /** Follows the pages from the saved cursor (or the start) to the last one, applying each. */
  private async pull(run: RunContext, progress: Progress, saved: string | undefined): Promise<void> {
    let { page, cursor } = await this.firstPage(run, progress, saved);
    for (;;) {
      Object.assign(progress, this.applyPage(run, progress, page));
      if (page.nextCursor === null) return;
      if (page.nextCursor === cursor) throw new Error(`the CRM answered the same next_cursor again: ${cursor}`);
      cursor = page.nextCursor;
      page = await this.fetchPage(progress.report.since, cursor, run.signal);
    }
  }

  /** The page at `saved`; when the server no longer knows that cursor, the first page instead. */
  private async firstPage(run: RunContext, progress: Progress, saved: string | undefined): Promise<{ page: Page; cursor?: string }> {
    try {
      return { page: await this.fetchPage(progress.report.since, saved, run.signal), cursor: saved };
    } catch (err) {
      if (!(err instanceof PullError && err.kind === 'expired')) throw err;
      progress.report.restarted = true;
      return { page: await this.fetchPage(progress.report.since, undefined, run.signal) };
    }
  }

  /** One page, tried up to `attempts` times with backoff while the failures are worth retrying. */
  private async fetchPage(since: number, cursor: string | undefined, signal: AbortSignal): Promise<Page> {
    const url = new URL(this.settings.url);
    url.searchParams.set('updated_since', String(since));
    url.searchParams.set('limit', String(this.settings.pageSize));
    if (cursor !== undefined) url.searchParams.set('cursor', cursor);
    const attempts = this.options.attempts ?? DEFAULT_ATTEMPTS;
    const backoff = new Backoff(this.options.backoff);
    for (;;) {
      try {
        return await this.fetchOnce(url, signal);
      } catch (err) {
        if (!(err instanceof PullError) || err.kind !== 'retry') throw err;
        if (backoff.attempts + 1 >= attempts) throw new Error(`${err.message} (gave up after ${attempts} tries)`);
        await sleep(backoff.next(), undefined, { signal }).catch(() => {
          throw new PullError('the sync was stopped', 'fatal');
        });
      }
    }
  }

  private async fetchOnce(url: URL, signal: AbortSignal): Promise<Page> {
    const { status, text } = await this.get(url, signal);
    if (status === 410 && url.searchParams.has('cursor')) throw new PullError('the CRM no longer knows the cursor', 'expired');
    if (status < 200 || status > 299) throw httpError(status, text);
    return readPage(text);
  }

  private async get(url: URL, signal: AbortSignal): Promise<{ status: number; text: string }> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const { token } = this.settings;
    const headers = { Accept: 'application/json', ...(token && { Authorization: `Bearer ${token}` }) };
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
      return { status: response.status, text: await response.text() };
    } catch (err) {
      if (signal.aborted) throw new PullError('the sync was stopped', 'fatal');
      if (err instanceof Error && err.name === 'TimeoutError') throw new PullError(`no answer within ${timeoutMs} ms`, 'retry');
      const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
      throw new PullError(`the CRM could not be reached: ${messageOf(cause)}`, 'retry');
    }
  }

  /** Applies a page and saves its cursor (or, on the last page, the watermark) in one transaction. */
  private applyPage(run: RunContext, before: Progress, page: Page): Progress {
    const { db } = this;
    return db.transaction(() => {
      const progress = structuredClone(before);
      progress.pages++;
      for (const raw of page.records) tally(progress, applyIncoming(db, raw, run.startedAt));
      if (page.nextCursor !== null) {
        db.prepare('UPDATE sync_state SET cursor = ? WHERE name = ?').run(page.nextCursor, this.settings.name);
      } else {
        // Never ahead of our own clock: one record stamped in the future must not hide the next changes.
        progress.report.watermark = Math.min(progress.seenUpTo, run.startedAt);
        db.prepare('UPDATE sync_state SET watermark = ?, cursor = NULL WHERE name = ?').run(
          progress.report.watermark,
          this.settings.name,
        );
      }
      db.prepare(
        `UPDATE sync_runs SET pages = @pages, inserted = @inserted, updated = @updated, unchanged = @unchanged,
           deleted = @deleted, rejected = @rejected, report = @report WHERE id = @id`,
      ).run({ ...countsOf(progress), report: JSON.stringify(progress.report), id: run.id });
      return progress;
    })();
  }

  /** Records a new run; runs of this sync still marked running died with an earlier process. */
  private openRun(startedAt: number, signal: AbortSignal, report: SyncReport): RunContext {
    const { db, settings } = this;
    return db.transaction(() => {
      db.prepare(
        "UPDATE sync_runs SET status = 'failed', error = 'interrupted: LiveDeck stopped during the run' WHERE name = ? AND status = 'running'",
      ).run(settings.name);
      const info = db
        .prepare("INSERT INTO sync_runs (name, started_at, status, report) VALUES (?, ?, 'running', ?)")
        .run(settings.name, startedAt, JSON.stringify(report));
      return { id: Number(info.lastInsertRowid), startedAt, signal };
    })();
  }

  private closeRun(id: number, error: string | null, report: SyncReport): void {
    this.db
      .prepare('UPDATE sync_runs SET status = ?, finished_at = ?, error = ?, report = ? WHERE id = ?')
      .run(error === null ? 'ok' : 'failed', this.now(), error, JSON.stringify(report), id);
  }
}

function zeroCounts(): SyncCounts {
  return { pages: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0 };
}

function countsOf({ pages, inserted, updated, unchanged, deleted, rejected }: SyncCounts): SyncCounts {
  return { pages, inserted, updated, unchanged, deleted, rejected };
}

function httpError(status: number, text: string): PullError {
  const hint = status === 401 || status === 403 ? ' (check the token)' : '';
  const detail = text.trim().slice(0, 200);
  const retry = status >= 500 || status === 408 || status === 429;
  return new PullError(`the CRM answered HTTP ${status}${hint}${detail && `: ${detail}`}`, retry ? 'retry' : 'fatal');
}

function readPage(text: string): Page {
  const body = parseJson(text);
  if (!isRecord(body)) throw new PullError(`the CRM answered no JSON object: ${text.trim().slice(0, 100)}`, 'retry');
  const { records, next_cursor: nextCursor } = body;
  if (!Array.isArray(records)) throw new PullError('the CRM answer has no records list', 'retry');
  if (nextCursor !== null && (typeof nextCursor !== 'string' || nextCursor === '')) {
    throw new PullError('the CRM answer has no next_cursor (a string, or null on the last page)', 'retry');
  }
  return { records, nextCursor };
}

interface Applied {
  crmId?: string;
  updatedAt?: number;
  /** An Outcome, or why the record was rejected. */
  outcome: string;
}

/** One record of a page applied: a tombstone removes, anything else goes through applyRecord. */
function applyIncoming(db: Db, raw: unknown, now: number): Applied {
  if (!isRecord(raw)) return { outcome: 'not an object' };
  const crmId = typeof raw.crm_id === 'string' && raw.crm_id.trim() !== '' ? raw.crm_id : undefined;
  if (crmId === undefined) return { outcome: 'no crm_id (a non-empty string)' };
  const updatedAt = raw.updated_at;
  if (!isWholeNumber(updatedAt)) return { crmId, outcome: 'no updated_at (epoch ms)' };
  if (raw.deleted === true) return { crmId, updatedAt, outcome: removeRecord(db, crmId, now) ? 'deleted' : 'unchanged' };
  if (raw.deleted !== undefined && raw.deleted !== false) return { crmId, updatedAt, outcome: 'bad deleted: true or left out' };
  const fields = recordFields(raw);
  const purchases = readPurchases(raw.purchases);
  const outcome =
    typeof fields === 'string' ? fields : typeof purchases === 'string' ? purchases : applyRecord(db, { fields, purchases }, now);
  return { crmId, updatedAt, outcome };
}

function tally(progress: Progress, { crmId, updatedAt, outcome }: Applied): void {
  if (updatedAt !== undefined) progress.seenUpTo = Math.max(progress.seenUpTo, updatedAt);
  if ((OUTCOMES as readonly string[]).includes(outcome)) {
    progress[outcome as Outcome]++;
    return;
  }
  progress.rejected++;
  const { rejections } = progress.report;
  if (rejections.length < MAX_REPORTED_REJECTIONS) rejections.push({ page: progress.pages, ...(crmId && { crmId }), reason: outcome });
}

/** The record's fields as text (numbers written out, tag lists joined), or why one is malformed. */
function recordFields(raw: Record<string, unknown>): RecordFields | string {
  const fields: RecordFields = {};
  for (const field of FIELDS) {
    const value = raw[field];
    if (value === undefined || value === null) continue;
    const text = field === 'tags' && Array.isArray(value) ? listText(value) : scalarText(value);
    if (text === undefined) return `bad ${field}: ${field === 'tags' ? 'text or a list of text' : 'text or a number'}`;
    fields[field] = text;
  }
  return fields;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function listText(values: unknown[]): string | undefined {
  return values.every((v) => typeof v === 'string') ? values.join(',') : undefined;
}

/** The record's order lines, or why one is malformed: a record is applied whole or not at all. */
function readPurchases(value: unknown): Purchase[] | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return 'bad purchases: not a list';
  const purchases: Purchase[] = [];
  for (const [i, line] of value.entries()) {
    const purchase = readPurchase(line);
    if (typeof purchase === 'string') return `bad purchase ${i + 1}: ${purchase}`;
    purchases.push(purchase);
  }
  return purchases;
}

function readPurchase(line: unknown): Purchase | string {
  if (!isRecord(line)) return 'not an object';
  const { order_id: orderId, product_id: productId, amount_fen: amountFen, paid_at: paidAt, coupon } = line;
  if (typeof orderId !== 'string' || orderId.trim() === '') return 'order_id must be non-empty text';
  if (typeof productId !== 'string' || productId.trim() === '') return 'product_id must be non-empty text';
  if (!isWholeNumber(amountFen)) return 'amount_fen must be whole fen ≥ 0';
  if (!isWholeNumber(paidAt)) return 'paid_at must be epoch ms';
  if (coupon !== undefined && typeof coupon !== 'boolean') return 'coupon must be true or false';
  return { orderId, productId, amountFen, paidAt, ...(coupon !== undefined && { coupon }) };
}

function isWholeNumber(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
