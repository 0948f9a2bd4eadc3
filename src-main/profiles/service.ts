// The engine's profile side: the enrichment cache, the CRM sync schedule (the built-in demo CRM while
// the demo room plays and no CRM is configured), file imports (staged uploads, preview, import with
// progress), and the store at a glance for the Profiles page. An import keeps the other identity
// writers (the cache's flush, the sync) waiting until it is done; after an import or a sync run the
// cache is cleared so the next sighting of a viewer reads what it brought.
import type { CrmSyncSetting, ImportPreview, ImportReportView, ProfileStoreView, SegmentView, SyncRunView } from '../contract';
import type { Db } from '../storage/db';
import { isRecord, messageOf } from '../shared/values';
import type { SecretBox } from '../storage/secrets';
import { readValue, writeValue } from '../storage/settings-store';
import { ProfileCache } from './cache';
import { startDemoCrm, type DemoCrm } from './demo-crm';
import { mergeLog, undoMerge } from './identity';
import { importProfiles, previewProfiles, suggestField, type ProfileMapping } from './import';
import { recoverInterruptedImport } from './import-write';
import { profileFields } from './records';
import { listSegments } from './segment-store';
import { builtinSegments, type Segment } from './segments';
import { CrmSync, checkSyncConfig, type SyncRun } from './sync';
import { Uploads } from './uploads';

const SETTING_KEY = 'crm_sync';
const DEMO_EVERY_MINUTES = 10;
const RUNS_SHOWN = 10;
const MERGES_SHOWN = 20;
const PREVIEW_ROWS = 10;
const REJECTIONS_SHOWN = 200;

export class ProfileService {
  readonly cache: ProfileCache;
  private sync: CrmSync | undefined;
  private demoCrm: DemoCrm | undefined;
  private setting: CrmSyncSetting = { kind: 'off' };
  readonly uploads = new Uploads();
  /** An import is running: identity writers wait, erasure and retention are refused. */
  importing = false;

  /** Built-in and saved segments, in bit order. */
  segments: Segment[];

  constructor(
    private readonly db: Db,
    /** Seals the CRM token at rest. */
    private readonly secrets: SecretBox,
    /** Whether the demo room is among the enabled sources (then the demo CRM is the default). */
    private readonly demoPlaying: () => boolean,
    /** Told when the store changed under the cache (a sync run, an import, an undone merge). */
    private readonly changed: () => void = () => {},
  ) {
    // An import cut short by a crash may have left the index of identities by person dropped.
    recoverInterruptedImport(db);
    this.cache = new ProfileCache(db);
    this.segments = listSegments(db);
    this.cache.setSegments(this.segments);
  }

  segmentViews(): SegmentView[] {
    const builtin = new Set(builtinSegments.map((s) => s.id));
    return this.segments.map((s) => ({ ...s, builtin: builtin.has(s.id) }));
  }

  /** Saves or removes a segment; persons' masks are read again. */
  changeSegments(change: (db: Db) => Segment[]): SegmentView[] {
    this.cache.flush();
    this.segments = change(this.db);
    this.cache.setSegments(this.segments);
    return this.segmentViews();
  }

  /** Starts the configured sync (a first run at once, then on its schedule). */
  async start(): Promise<void> {
    await this.apply(this.saved() ?? (this.demoPlaying() ? { kind: 'demo' } : { kind: 'off' }));
  }

  async stop(): Promise<void> {
    await this.sync?.stop();
    await this.demoCrm?.close();
    this.sync = undefined;
    this.demoCrm = undefined;
    this.cache.flush();
  }

  /** Saves and applies a sync setting; an http setting without a token keeps the saved one. */
  async configure(setting: CrmSyncSetting): Promise<ProfileStoreView> {
    const saved = this.saved();
    const next = setting.kind === 'http' && !setting.token && saved?.kind === 'http' ? { ...setting, token: saved.token } : setting;
    if (next.kind === 'http') checkSyncConfig({ name: 'crm', ...next });
    writeValue(this.db, SETTING_KEY, next.kind === 'http' && next.token ? { ...next, token: this.secrets.seal(next.token) } : next);
    await this.apply(next);
    return this.view();
  }

  preview(uploadId: string): ImportPreview {
    const { fileName, bytes } = this.uploads.file(uploadId);
    const preview = previewProfiles(bytes, PREVIEW_ROWS);
    const suggested = Object.fromEntries(preview.header.map((column) => [column, suggestField(column)]));
    return { fileName, ...preview, fields: [...profileFields], suggested };
  }

  /** Imports a staged file; `onProgress` hears rows done after each batch. The upload is discarded after. */
  async import(uploadId: string, mapping: Record<string, string>, onProgress: (done: number, total: number) => void): Promise<ImportReportView> {
    const unknown = Object.values(mapping).filter((field) => !(profileFields as readonly string[]).includes(field));
    if (unknown.length > 0) throw new Error(`unknown profile field: ${unknown.join(', ')}`);
    if (this.importing) throw new Error('another import is running');
    const { fileName, bytes } = this.uploads.file(uploadId);
    this.importing = true;
    this.cache.flush();
    this.cache.hold(true);
    await this.sync?.stop();
    try {
      const report = await importProfiles(this.db, bytes, { fileName, mapping: mapping as ProfileMapping, onProgress });
      this.uploads.discard(uploadId);
      return { ...report, rejections: report.rejections.slice(0, REJECTIONS_SHOWN) };
    } catch (err) {
      // A write that failed may have left the index of identities by person dropped: made again now, not at the next start.
      recoverInterruptedImport(this.db);
      throw err;
    } finally {
      this.importing = false;
      this.cache.hold(false);
      this.storeChanged();
      this.sync?.start();
    }
  }

  /** Runs the sync now; throws when none is configured. */
  async syncNow(): Promise<SyncRunView> {
    if (!this.sync) throw new Error('no CRM sync is configured');
    if (this.importing) throw new Error('an import is running; sync after it');
    return runView(await this.sync.runNow());
  }

  view(): ProfileStoreView {
    const one = (sql: string) => this.db.prepare<[], number>(sql).pluck().get() ?? 0;
    const customers = one("SELECT COUNT(DISTINCT person_id) FROM identities WHERE type = 'crm_id'");
    const persons = one('SELECT COUNT(*) FROM persons');
    const { token, ...setting } = this.setting as CrmSyncSetting & { token?: string };
    return {
      persons,
      customers,
      provisional: persons - customers,
      crossPlatform: one(
        "SELECT COUNT(*) FROM (SELECT person_id FROM identities WHERE type LIKE '%\\_uid' ESCAPE '\\' GROUP BY person_id HAVING COUNT(DISTINCT type) > 1)",
      ),
      suppressed: one('SELECT COUNT(*) FROM suppressions'),
      sync: { setting: setting as CrmSyncSetting, hasToken: !!token, running: this.sync?.running ?? false, runs: this.sync?.runs(RUNS_SHOWN).map(runView) ?? [] },
      imports: this.db
        .prepare<[number], ProfileStoreView['imports'][number]>(
          'SELECT id, file, started_at AS startedAt, inserted, updated, rejected FROM import_runs ORDER BY id DESC LIMIT ?',
        )
        .all(RUNS_SHOWN),
      merges: mergeLog(this.db, MERGES_SHOWN),
    };
  }

  undoMerge(id: number): ProfileStoreView {
    if (this.importing) throw new Error('an import is running; undo after it');
    this.cache.flush();
    undoMerge(this.db, id);
    this.storeChanged();
    return this.view();
  }

  private storeChanged(): void {
    this.cache.invalidate();
    this.changed();
  }

  private saved(): CrmSyncSetting | undefined {
    const value = readValue(this.db, SETTING_KEY);
    if (!isRecord(value) || typeof value.kind !== 'string') return undefined;
    const setting = value as CrmSyncSetting;
    return setting.kind === 'http' && setting.token ? { ...setting, token: this.secrets.open(setting.token) } : setting;
  }

  private async apply(setting: CrmSyncSetting): Promise<void> {
    await this.sync?.stop();
    this.sync = undefined;
    if (setting.kind !== 'demo') {
      await this.demoCrm?.close();
      this.demoCrm = undefined;
    }
    this.setting = setting;
    const onRun = () => this.storeChanged();
    try {
      if (setting.kind === 'demo') {
        this.demoCrm ??= await startDemoCrm();
        this.sync = new CrmSync(this.db, { name: 'demo', url: this.demoCrm.url, everyMinutes: DEMO_EVERY_MINUTES }, { onRun });
      } else if (setting.kind === 'http') {
        this.sync = new CrmSync(this.db, { name: 'crm', url: setting.url, token: setting.token, everyMinutes: setting.everyMinutes }, { onRun });
      }
    } catch (err) {
      console.error(`CRM sync not started: ${messageOf(err)}`);
    }
    this.sync?.start();
  }
}

function runView(run: SyncRun): SyncRunView {
  const { id, startedAt, finishedAt, status, pages, inserted, updated, unchanged, deleted, rejected, error, report } = run;
  return { id, startedAt, finishedAt, status, pages, inserted, updated, unchanged, deleted, rejected, error, rejections: report.rejections };
}
