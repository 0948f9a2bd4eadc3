// The engine: plain Node, no Electron. It owns the database, the sources, the pipeline and the
// snapshot cadence, implements every request of the contract, and pushes streams to whichever
// transport hosts it (the desktop utility process or the browser-mode WebSocket server).
import { randomUUID } from 'node:crypto';
import type { AnswerLibrary, FeedItem, Handlers, Health, IntentModelView, SegmentView, SessionReport, Settings, Snapshot, StreamName, Streams, WirePush } from '../contract';
import { Ingress } from '../pipeline/ingress';
import { Pipeline } from '../pipeline/pipeline';
import { SourceManager, type DemoOverrides } from '../sources/manager';
import { openDb, type Db } from '../storage/db';
import { applyRetention } from '../storage/retention';
import { fileKey, SecretBox } from '../storage/secrets';
import { Sessions } from '../storage/sessions';
import { RawFrames } from '../storage/raw-frames';
import { readValue, SettingsStore, writeValue } from '../storage/settings-store';
import { demoAnswers } from '../sources/demo/answers';
import { emptyLibrary } from '../talking/answers';
import { erasePerson, setConsent, setSuppressed } from '../profiles/consent';
import { personProfile } from '../profiles/profile-view';
import type { ProfileCache } from '../profiles/cache';
import { ProfileService } from '../profiles/service';
import { removeSegment, saveSegment } from '../profiles/segment-store';
import type { Segment } from '../profiles/segments';
import { LiveSession } from './live-session';
import { figuresOf, keepReport, sessionReport } from '../review/report';
import { SessionReplay } from '../review/replay';
import { demoCatalog, libraryCatalog, type Catalog } from '../recommend/products';
import { Recommender } from '../recommend/recommend';
import { IntentScorer, type IntentModel } from '../intent/model';
import { intentPrior } from '../intent/prior';
import { loadIntentModel } from '../intent/store';
import { trainIntent } from '../intent/train';
import { Downloads } from '../review/downloads';
import { sessionExport } from '../review/exports';
import { importSessionFile } from '../review/session-file';
import { TriggerService } from '../triggers/service';

export interface EngineOptions {
  dataDir: string;
  version: string;
  /** Overrides for the demo source (command-line flags). */
  demo?: DemoOverrides;
  /** Time between pushed snapshots; the UI never receives more than this cadence allows. */
  snapshotEveryMs?: number;
  /** The key secrets are sealed with, hex, when the desktop keeps it in the OS keychain; else a key file in the data folder. */
  secretKey?: string;
}

/** Where the answer library is kept in the settings table. */
const ANSWERS_KEY = 'answer_library';

/** How often the live session's platforms, peak online and viewers are written to its row. */
const SUMMARY_EVERY_MS = 10_000;

/** How often the retention setting is applied while the engine runs (also at start and when changed). */
const RETENTION_EVERY_MS = 3_600_000;

export type PushListener = (push: WirePush) => void;

export class Engine {
  readonly handlers: Handlers;
  private readonly db: Db;
  private readonly secrets: SecretBox;
  private readonly settings: SettingsStore;
  private readonly sessions: Sessions;
  /** The session being recorded, with its metrics and feed; replaced when ops start a new one. */
  private session: LiveSession;
  private readonly profileService: ProfileService;
  private readonly triggers: TriggerService;
  /** Ops' answer library, once they saved one. */
  private savedAnswers: AnswerLibrary | undefined;
  /** The recorded session being replayed through the dashboards, if any. */
  private replay: SessionReplay | undefined;
  private readonly downloads = new Downloads();
  /** What the recommender knows of products: the demo room's catalog while it plays, else the answer library. */
  private readonly library: Catalog = libraryCatalog(() => this.answers);
  private readonly catalog: Catalog = (id) => (this.demoPlaying() ? demoCatalog(id) : undefined) ?? this.library(id);
  private readonly recommender = new Recommender(this.catalog);
  /** The purchase-intent model in force, its scorer, and whether a training runs. */
  private intentModel: IntentModel;
  private intentScorer: IntentScorer;
  private training = false;
  /** Raw frames of the sources set to keep them, with the live session. */
  private readonly rawFrames: RawFrames;
  private readonly profiles: ProfileCache;
  private readonly pipeline: Pipeline;
  private readonly ingress: Ingress;
  private readonly sources: SourceManager;
  private readonly listeners = new Set<PushListener>();
  private timer: NodeJS.Timeout | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private summarizedAt = 0;
  private seq = 0;
  private rate = { ts: Date.now(), events: 0, perSec: 0 };

  constructor(private readonly options: EngineOptions) {
    this.db = openDb(options.dataDir);
    this.secrets = options.secretKey ? new SecretBox(Buffer.from(options.secretKey, 'hex'), 'os') : new SecretBox(fileKey(options.dataDir), 'file');
    this.settings = new SettingsStore(this.db);
    this.sessions = new Sessions(this.db);
    this.profileService = new ProfileService(
      this.db,
      this.secrets,
      () => this.demoPlaying(),
      () => this.recommender.refresh(this.db, { recordings: false }),
    );
    this.profiles = this.profileService.cache;
    this.triggers = new TriggerService(this.db, this.secrets);
    this.intentModel = loadIntentModel(this.db);
    this.intentScorer = new IntentScorer(this.intentModel);
    this.savedAnswers = readValue(this.db, ANSWERS_KEY) as AnswerLibrary | undefined;
    this.pipeline = new Pipeline(
      (e) => this.profiles.identify(e),
      () => this.session.stages,
    );
    this.ingress = new Ingress(this.pipeline.process);
    this.rawFrames = new RawFrames(this.db, '');
    this.sources = new SourceManager(this.db, this.ingress, this.secrets, options.demo, (sourceId, data) => this.rawFrames.add(sourceId, data));
    this.session = this.newSession(this.sources.enabledNames().join(' + ') || '直播间');
    this.handlers = {
      getInfo: () => ({ version: options.version, dataDir: options.dataDir, session: this.session.recorder.session, secrets: this.secrets.protection }),
      getSnapshot: () => this.snapshot(this.session.feed.recent()),
      getSettings: () => this.settings.get(),
      setLanguage: ({ language }) => this.changeSettings({ language }),
      setFeedHighlight: (feedHighlight) => this.changeSettings({ feedHighlight }),
      setRetention: ({ days }) => {
        const settings = this.changeSettings({ retentionDays: days });
        this.applyRetention();
        return settings;
      },
      listSources: () => this.sources.list(),
      listSessions: () => {
        this.session.recorder.flush();
        this.summarize();
        return this.sessions.list();
      },
      annotate: ({ text }) => {
        const { metrics, recorder } = this.session;
        this.sessions.annotate(recorder.session.id, metrics.now || Date.now(), text);
        metrics.note('note', text);
        return null;
      },
      getSessionReport: ({ id }) => this.report(id),
      exportSession: ({ id, as, identities }) => {
        const report = this.report(id);
        if (!report) throw new Error('no such recorded session');
        const file = sessionExport(this.db, report, as, identities);
        return this.downloads.add(file.fileName, file.mime, file.bytes);
      },
      readDownload: ({ downloadId, offset }) => this.downloads.read(downloadId, offset),
      importSession: ({ uploadId }) => {
        const { bytes } = this.profileService.uploads.file(uploadId);
        this.profileService.uploads.discard(uploadId);
        return importSessionFile(this.db, bytes);
      },
      openReplay: ({ id }) => {
        this.session.recorder.flush();
        const summary = this.sessions.get(id);
        if (!summary) return null;
        this.replay = new SessionReplay(this.db, summary, this.sessions.annotations(id), () => this.answers);
        return this.replay.frame(true);
      },
      steerReplay: ({ playing, speed, seekTs }) => {
        const { replay } = this;
        if (!replay) return null;
        if (speed !== undefined) replay.setSpeed(speed);
        if (seekTs !== undefined) replay.seek(seekTs);
        if (playing !== undefined) replay.play(playing);
        this.emit('replay', replay.frame(seekTs !== undefined));
        return replay.state;
      },
      closeReplay: () => {
        this.replay = undefined;
        return null;
      },
      getIntentModel: () => this.intentView(),
      trainIntent: async () => {
        if (this.training) throw new Error('the intent model is already training');
        this.training = true;
        try {
          this.intentModel = await trainIntent(this.db, { onProgress: (fraction) => this.emit('intentTraining', { fraction }) });
          this.intentScorer = new IntentScorer(this.intentModel);
          return this.intentView();
        } finally {
          this.training = false;
        }
      },
      setSessionNotes: ({ id, notes }) => {
        this.sessions.setNotes(id, notes);
        return this.sessions.list();
      },
      deleteSession: ({ id }) => {
        if (!this.sessions.remove(id)) throw new Error('no such recorded session (the live one cannot be deleted)');
        return this.sessions.list();
      },
      saveSource: (config) => this.sources.save(config),
      removeSource: ({ id }) => this.sources.remove(id),
      setSourceEnabled: ({ id, enabled }) => this.sources.setEnabled(id, enabled),
      controlReplay: (action) => this.sources.controlReplay(action),
      startSession: ({ title }) => {
        this.endSession();
        this.session = this.newSession(title);
        return this.session.recorder.session;
      },
      renameSession: ({ title }) => this.session.recorder.rename(title),
      answerPoint: ({ topic, question }) => {
        const { points, metrics, recorder } = this.session;
        const answered = points.answer(topic, question);
        if (answered) {
          metrics.note('point', topic);
          this.sessions.annotate(recorder.session.id, metrics.now || Date.now(), topic, 'point');
        }
        return answered;
      },
      getAnswers: () => this.answers,
      saveAnswers: (library) => {
        writeValue(this.db, ANSWERS_KEY, library);
        this.savedAnswers = library;
        return library;
      },
      pushPoint: ({ text }) => {
        this.session.pushed = text ? { text, ts: Date.now() } : undefined;
        // Shown at once, not at the next tick: the anchor is waiting for it.
        this.emit('snapshot', this.snapshot(this.session.feed.takeFresh()));
        return null;
      },
      getProfileStore: () => this.profileService.view(),
      configureCrmSync: (setting) => this.profileService.configure(setting),
      syncCrmNow: () => this.profileService.syncNow(),
      undoMerge: ({ id }) => this.profileService.undoMerge(id),
      listSegments: () => this.profileService.segmentViews(),
      saveSegment: (segment) => this.changeSegments((db) => saveSegment(db, segment)),
      removeSegment: ({ id }) => this.changeSegments((db) => removeSegment(db, id)),
      beginImport: ({ fileName, size }) => ({ uploadId: this.profileService.uploads.begin(fileName, size) }),
      importChunk: ({ uploadId, offset, data }) => ({ received: this.profileService.uploads.append(uploadId, offset, Buffer.from(data, 'base64')) }),
      previewImport: ({ uploadId }) => this.profileService.preview(uploadId),
      runImport: ({ uploadId, mapping }) =>
        this.profileService.import(uploadId, mapping, (done, total) => this.emit('importProgress', { uploadId, done, total })),
      getPerson: ({ personId }) => {
        this.flush();
        return personProfile(this.db, personId, this.session.recorder.session.id, Date.now());
      },
      setConsent: ({ personId, purpose, status }) => this.changePerson(personId, () => setConsent(this.db, personId, purpose, status, Date.now())),
      setSuppressed: ({ personId, suppressed, reason }) =>
        this.changePerson(personId, () => setSuppressed(this.db, personId, suppressed, reason, Date.now())),
      erasePerson: ({ personId }) => {
        if (this.profileService.importing) throw new Error('an import is running; erase after it');
        this.flush();
        const erased = erasePerson(this.db, personId);
        this.profiles.invalidate();
        this.session.feed.forget(personId);
        return erased !== null;
      },
      approveSuggestion: ({ key }) => this.triggers.approve(key),
      dismissSuggestion: ({ key }) => this.triggers.dismiss(key),
      getTriggers: () => this.triggers.view(),
      saveTriggerRule: ({ json }) => this.triggers.save('rule', json),
      saveCouponTemplate: ({ json }) => this.triggers.save('template', json),
      configureWebhook: ({ url, secret }) => this.triggers.configureWebhook(url, secret),
      retryDelivery: ({ key }) => this.triggers.retry(key),
      setProductOnAir: ({ productId, productName }) => {
        // Ops' choice enters like any event, so it is recorded and replayed with the session.
        const now = Date.now();
        this.ingress.offer({ kind: 'product_switch', id: `ops-${randomUUID()}`, platform: 'other', roomId: '', ts: now, recvTs: now, productId, productName });
        return null;
      },
    };
  }

  start(): void {
    this.applyRetention();
    this.retentionTimer = setInterval(() => this.applyRetention(), RETENTION_EVERY_MS).unref();
    this.sources.startAll();
    void this.profileService.start();
    this.triggers.start();
    this.timer = setInterval(() => {
      try {
        this.profiles.flush();
        this.triggers.flush();
        this.rawFrames.flush();
        if (Date.now() - this.summarizedAt >= SUMMARY_EVERY_MS) this.summarize();
      } catch (err) {
        this.pipeline.fail(err);
      }
      this.emit('snapshot', this.snapshot(this.session.feed.takeFresh()));
      if (this.replay) {
        this.replay.tick();
        this.emit('replay', this.replay.frame(false));
      }
    }, this.options.snapshotEveryMs ?? 250);
  }

  /** Stops the sources and the CRM sync, writes what is buffered and closes the database. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.retentionTimer);
    this.sources.stopAll();
    this.ingress.flush();
    await this.profileService.stop();
    await this.triggers.stop();
    this.endSession();
    this.db.close();
  }

  /** Subscribes to every pushed stream; returns the unsubscribe. */
  onPush(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit<S extends StreamName>(stream: S, payload: Streams[S]): void {
    const push = { stream, payload } as WirePush;
    for (const listener of this.listeners) listener(push);
  }

  private newSession(title: string): LiveSession {
    this.recommender.refresh(this.db, { recordings: false });
    const session = new LiveSession(title, {
      db: this.db,
      sources: this.sources.enabledNames(),
      segments: this.profileService.segments,
      profiles: this.profiles,
      answers: () => this.answers,
      triggers: this.triggers,
      recommender: this.recommender,
      intent: () => this.intentScorer,
      catalog: this.catalog,
    });
    this.rawFrames.sessionId = session.recorder.session.id;
    return session;
  }

  private intentView(): IntentModelView {
    const { trainedAt, trainedOn, heldOut } = this.intentModel;
    return { source: this.intentModel === intentPrior ? 'prior' : 'trained', trainedAt, ...trainedOn, auc: heldOut.auc, logLoss: heldOut.logLoss, baseLogLoss: heldOut.baseLogLoss };
  }

  /** A recorded session's report (the live one's from its live figures), its recording written first. */
  private report(id: string): SessionReport | null {
    this.session.recorder.flush();
    return sessionReport(this.db, this.sessions, id, id === this.session.recorder.session.id ? this.session : undefined);
  }

  /** Ends the live session: its row summarised, its events written, its report kept. */
  private endSession(): void {
    this.summarize();
    const { recorder } = this.session;
    recorder.close();
    this.rawFrames.flush();
    keepReport(this.db, recorder.session.id, figuresOf(this.session));
  }

  private summarize(): void {
    this.summarizedAt = Date.now();
    this.sessions.summarize(this.session.recorder.session.id, this.session.summary());
  }

  private demoPlaying(): boolean {
    return this.sources.hasEnabled('demo');
  }

  /** The answer library ops saved; until then the demo room's while it plays (its lineup), else none. */
  private get answers(): AnswerLibrary {
    return this.savedAnswers ?? (this.demoPlaying() ? demoAnswers : emptyLibrary);
  }

  private changeSettings(patch: Partial<Settings>): Settings {
    const settings = this.settings.set(patch);
    this.emit('settings', settings);
    return settings;
  }

  /** Deletes what the retention setting no longer keeps; cached persons may be among it. */
  private applyRetention(): void {
    if (this.profileService.importing) return; // the next hourly pass will do it
    this.flush();
    const removed = applyRetention(this.db, this.settings.get().retentionDays, Date.now());
    if (removed.persons > 0) this.profiles.invalidate();
  }

  /** Writes what is buffered (recorded events, provisional persons), so a read sees everything so far. */
  private flush(): void {
    this.session.recorder.flush();
    this.profiles.flush();
  }

  /** Saves or removes a segment; the session's dashboard cuts follow at once. */
  private changeSegments(change: (db: Db) => Segment[]): SegmentView[] {
    const views = this.profileService.changeSegments(change);
    this.session.metrics.setSegments(this.profileService.segments);
    this.triggers.setSegments(this.profileService.segments);
    return views;
  }

  /** Changes a person in the store; cached facts are re-read at the next sighting. */
  private changePerson(personId: number, change: () => void): boolean {
    this.flush();
    if (!this.db.prepare('SELECT 1 FROM persons WHERE id = ?').get(personId)) return false;
    change();
    this.profiles.invalidate();
    return true;
  }

  private snapshot(feed: FeedItem[]): Snapshot {
    const sources = this.sources.list().map((v) => v.health);
    return {
      seq: ++this.seq,
      ts: Date.now(),
      session: this.session.recorder.session,
      ...this.session.view(),
      triggers: this.triggers.live(this.session.metrics.now),
      feed,
      health: this.health(sources.reduce((n, s) => n + s.errors, 0)),
      sources,
    };
  }

  private health(sourceErrors: number): Health {
    const now = Date.now();
    if (now - this.rate.ts >= 1000) {
      this.rate = { ts: now, events: this.pipeline.events, perSec: ((this.pipeline.events - this.rate.events) * 1000) / (now - this.rate.ts) };
    }
    return {
      events: this.pipeline.events,
      eventsPerSec: Math.round(this.rate.perSec),
      errors: sourceErrors + this.pipeline.stageErrors,
      queued: this.ingress.length,
      lagMs: this.ingress.lagMs(now),
      dropped: this.ingress.dropped,
    };
  }
}
