// The room's sources: their saved configurations (SQLite), the running instance of each enabled one,
// and each one's intake and health. Several sources on several platforms feed one room session.
import { randomUUID } from 'node:crypto';
import { ContractError, type SourceView } from '../contract';
import { secretSourceFields, sourceConfigSchema, type ReplayAction, type SourceConfig, type SourceConfigInput } from '../contract/sources';
import type { Ingress } from '../pipeline/ingress';
import type { Db } from '../storage/db';
import { bilibiliAuth } from './adapters/bilibili/auth';
import { BilibiliSource } from './adapters/bilibili/bilibili-source';
import { BarrageGrabSource } from './adapters/douyin/barrage-grab-source';
import { ChatReaderSource } from './adapters/tiktok/chat-reader-source';
import { WebcastSource } from './adapters/webcast/webcast-source';
import { ChannelsPushSource } from './adapters/wechat/channels-push-source';
import { DemoSource } from './demo/demo-source';
import { HttpPushSource } from './http-push-source';
import { Intake } from './intake';
import { ReplaySource } from './replay-source';
import { SocketIoSource } from './socketio-source';
import type { Source } from './source';
import { WsSource } from './ws-source';
import { isRecord, messageOf, parseJson } from '../shared/values';
import type { SecretBox } from '../storage/secrets';

/** Run-time overrides for the demo source (the --demo-seed / --demo-rate flags). */
export interface DemoOverrides {
  seed?: number;
  rate?: number;
}

interface Running {
  source: Source;
  intake: Intake;
}

/** What a fresh install plays: the built-in demo room. */
export const defaultSources: SourceConfigInput[] = [{ id: 'demo', name: '演示直播间', type: 'demo', platform: 'demo', enabled: true }];

export class SourceManager {
  private configs: SourceConfig[];
  private readonly running = new Map<string, Running>();
  /** Between startAll and stopAll, saving a source (re)starts it. */
  private started = false;
  private readonly selectAll;
  private readonly upsert;
  private readonly deleteOne;

  constructor(
    db: Db,
    private readonly ingress: Ingress,
    /** Seals the sources' secret fields (tokens, cookies) at rest. */
    private readonly secrets: SecretBox,
    private readonly demo: DemoOverrides = {},
    /** Where the raw frames of sources set to keep them go. */
    private readonly keepRaw: (sourceId: string, data: string | Buffer | ArrayBuffer | Buffer[]) => void = () => {},
  ) {
    this.selectAll = db.prepare<[], { config: string }>('SELECT config FROM sources ORDER BY position');
    this.upsert = db.prepare<[string, number, string]>(
      'INSERT INTO sources (id, position, config) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position, config = excluded.config',
    );
    this.deleteOne = db.prepare<[string]>('DELETE FROM sources WHERE id = ?');
    this.configs = this.load();
    if (this.configs.length === 0) for (const config of defaultSources) this.save(config);
  }

  startAll(): void {
    this.started = true;
    for (const config of this.configs) if (config.enabled) this.run(config);
  }

  stopAll(): void {
    this.started = false;
    for (const id of [...this.running.keys()]) this.halt(id);
  }

  /** Whether a source of this type is enabled. */
  hasEnabled(type: SourceConfig['type']): boolean {
    return this.configs.some((c) => c.enabled && c.type === type);
  }

  /** Names of the enabled sources, for the session record. */
  enabledNames(): string[] {
    return this.configs.filter((c) => c.enabled).map((c) => c.name);
  }

  list(): SourceView[] {
    return this.configs.map((config) => {
      const running = this.running.get(config.id);
      return { config, health: running ? running.intake.snapshot(running.source.status?.()) : idleHealth(config.id) };
    });
  }

  /** Adds a source, or replaces the one with the same id (restarting it if it runs). */
  save(input: SourceConfigInput): SourceView[] {
    const config = { ...sourceConfigSchema.parse(input), id: input.id ?? randomUUID() } as SourceConfig;
    const index = this.configs.findIndex((c) => c.id === config.id);
    if (index === -1) this.configs.push(config);
    else this.configs[index] = config;
    this.persist();
    this.halt(config.id);
    if (config.enabled && this.started) this.run(config);
    return this.list();
  }

  remove(id: string): SourceView[] {
    this.halt(id);
    this.configs = this.configs.filter((c) => c.id !== id);
    this.deleteOne.run(id);
    this.persist();
    return this.list();
  }

  setEnabled(id: string, enabled: boolean): SourceView[] {
    const config = this.find(id);
    return this.save({ ...config, enabled });
  }

  controlReplay(action: ReplayAction): SourceView[] {
    const source = this.running.get(action.id)?.source;
    if (!(source instanceof ReplaySource)) throw new ContractError('bad_args', `source ${action.id} is not a running replay`);
    if (action.action === 'pause') source.pause();
    else if (action.action === 'resume') source.resume();
    else if (action.action === 'seek') source.seek(action.ts);
    else source.setSpeed(action.speed);
    return this.list();
  }

  private find(id: string): SourceConfig {
    const config = this.configs.find((c) => c.id === id);
    if (!config) throw new ContractError('bad_args', `no source ${id}`);
    return config;
  }

  private run(config: SourceConfig): void {
    this.halt(config.id);
    const intake = new Intake(config, this.ingress, config.keepRaw ? (data) => this.keepRaw(config.id, data) : undefined);
    const source = this.build(config);
    this.running.set(config.id, { source, intake });
    try {
      source.start(intake);
    } catch (err) {
      // A source that cannot start (a bad file, a taken port) is shown as failed; the room goes on.
      intake.setState('error', messageOf(err));
    }
  }

  private halt(id: string): void {
    this.running.get(id)?.source.stop();
    this.running.delete(id);
  }

  private build(config: SourceConfig): Source {
    switch (config.type) {
      case 'demo':
        return new DemoSource({ seed: this.demo.seed ?? config.seed, rate: this.demo.rate ?? config.rate });
      case 'ws':
        return new WsSource(config);
      case 'socketio':
        return new SocketIoSource(config);
      case 'http_push':
        return new HttpPushSource(config);
      case 'replay':
        return new ReplaySource(config);
      case 'douyin_barrage_grab':
        return new BarrageGrabSource(config);
      case 'tiktok_chat_reader':
        return new ChatReaderSource(config);
      case 'wechat_channels':
        return new ChannelsPushSource(config);
      case 'webcast':
        return new WebcastSource(config);
      case 'bilibili':
        return new BilibiliSource({ ...config, roomId: Number(config.roomId), auth: bilibiliAuth(config) });
    }
  }

  private load(): SourceConfig[] {
    const configs: SourceConfig[] = [];
    for (const row of this.selectAll.all()) {
      // A row this version cannot read (edited by hand, or from a newer version) is skipped, not fatal.
      const parsed = sourceConfigSchema.safeParse(this.mapSecrets(parseJson(row.config), (v) => this.secrets.open(v)));
      if (parsed.success && parsed.data.id) configs.push(parsed.data as SourceConfig);
    }
    return configs;
  }

  private persist(): void {
    this.configs.forEach((config, position) => this.upsert.run(config.id, position, JSON.stringify(this.mapSecrets(config, (v) => this.secrets.seal(v)))));
  }

  /** A config with its secret fields (tokens, cookies) sealed or opened. */
  private mapSecrets(config: unknown, map: (value: string) => string): unknown {
    if (!isRecord(config)) return config;
    const copy: Record<string, unknown> = { ...config };
    for (const field of secretSourceFields) if (typeof copy[field] === 'string' && copy[field] !== '') copy[field] = map(copy[field]);
    return copy;
  }
}

function idleHealth(id: string): SourceView['health'] {
  return { id, state: 'stopped', received: 0, accepted: 0, duplicates: 0, dropped: 0, eventsPerSec: 0, reconnects: 0, errors: 0, errorsByReason: {}, errorsByKind: {}, samples: [] };
}
