// The engine: plain Node, no Electron. It owns the database, the sources, the pipeline and the
// snapshot cadence, implements every request of the contract, and pushes streams to whichever
// transport hosts it (the desktop utility process or the browser-mode WebSocket server).
import type { FeedItem, Handlers, Health, Snapshot, StreamName, Streams, WirePush } from '../contract';
import { RoomMetrics } from '../metrics/room-metrics';
import { Pipeline } from '../pipeline/pipeline';
import { DemoSource } from '../sources/demo/demo-source';
import type { Source } from '../sources/source';
import { openDb, type Db } from '../storage/db';
import { Recorder } from '../storage/recorder';
import { SettingsStore } from '../storage/settings-store';
import { Feed } from './feed';

export interface EngineOptions {
  dataDir: string;
  version: string;
  demo: { seed: number; rate: number };
  /** Time between pushed snapshots; the UI never receives more than this cadence allows. */
  snapshotEveryMs?: number;
}

export type PushListener = (push: WirePush) => void;

export class Engine {
  readonly handlers: Handlers;
  private readonly db: Db;
  private readonly settings: SettingsStore;
  private readonly recorder: Recorder;
  private readonly metrics = new RoomMetrics();
  private readonly feed = new Feed();
  private readonly pipeline: Pipeline;
  private readonly sources: Source[];
  private readonly listeners = new Set<PushListener>();
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private rate = { ts: Date.now(), events: 0, perSec: 0 };

  constructor(private readonly options: EngineOptions) {
    this.db = openDb(options.dataDir);
    this.settings = new SettingsStore(this.db);
    this.sources = [new DemoSource(options.demo)];
    this.recorder = new Recorder(this.db, '演示直播间', this.sources.map((s) => s.name));
    this.pipeline = new Pipeline([this.metrics.apply.bind(this.metrics), this.feed.add, this.recorder.add.bind(this.recorder)]);
    this.handlers = {
      getInfo: () => ({ version: options.version, dataDir: options.dataDir, session: this.recorder.session }),
      getSnapshot: () => this.snapshot(this.feed.recent()),
      getSettings: () => this.settings.get(),
      setLanguage: ({ language }) => {
        const settings = this.settings.set({ language });
        this.emit('settings', settings);
        return settings;
      },
    };
  }

  start(): void {
    for (const source of this.sources) source.start(this.pipeline.push);
    this.timer = setInterval(() => this.emit('snapshot', this.snapshot(this.feed.takeFresh())), this.options.snapshotEveryMs ?? 250);
  }

  stop(): void {
    clearInterval(this.timer);
    for (const source of this.sources) source.stop();
    this.recorder.close();
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

  private snapshot(feed: FeedItem[]): Snapshot {
    return {
      seq: ++this.seq,
      ts: Date.now(),
      session: this.recorder.session,
      kpis: this.metrics.kpis(),
      trend: this.metrics.trend(),
      feed,
      health: this.health(),
    };
  }

  private health(): Health {
    const now = Date.now();
    if (now - this.rate.ts >= 1000) {
      this.rate = { ts: now, events: this.pipeline.events, perSec: ((this.pipeline.events - this.rate.events) * 1000) / (now - this.rate.ts) };
    }
    return { events: this.pipeline.events, eventsPerSec: Math.round(this.rate.perSec), errors: this.pipeline.stageErrors };
  }
}
