// Payload types of the contract: what the UI receives from the engine. Plain data, JSON-safe.
import type { SourceConfig } from './sources';

export type Language = 'zh-CN' | 'en';

export interface Settings {
  language: Language;
}

export interface SessionInfo {
  id: string;
  title: string;
  startedAt: number;
  /** Names of the sources feeding this session, e.g. "demo". */
  sources: string[];
}

export interface AppInfo {
  version: string;
  dataDir: string;
  session: SessionInfo;
}

/** Headline KPIs; money in fen. Definitions follow shared/reference/kpis.md. */
export interface Kpis {
  /** 实时在线人数: last platform-reported online count. */
  online: number;
  /** Online now minus online five minutes ago; null until five minutes have passed. */
  onlineChange5m: number | null;
  /** Comments in the last 60 seconds. */
  commentsPerMin: number;
  /** 评论数 this session. */
  comments: number;
  /** 累计观看人数: distinct viewers that entered. */
  uv: number;
  /** 观看次数: entries, repeats counted. */
  pv: number;
  /** 成交金额: paid amount, fen. */
  gmvFen: number;
  paidOrders: number;
}

/** One minute of the trend, keyed by the minute's start (ms). */
export interface MinutePoint {
  t: number;
  online: number;
  entries: number;
  comments: number;
  gmvFen: number;
}

export interface FeedItem {
  /** Increases by one per comment within an engine run: the UI's key and its de-dup of deltas. */
  seq: number;
  id: string;
  ts: number;
  platform: string;
  user: string;
  text: string;
}

export interface Health {
  /** Events through the pipeline this session. */
  events: number;
  eventsPerSec: number;
  /** Bad inputs over all sources, plus pipeline stage errors. */
  errors: number;
  /** Events waiting in the pipeline queue, and how long the oldest has waited. */
  queued: number;
  lagMs: number;
  /** Events dropped because the queue was full. */
  dropped: number;
}

/**
 * The room as the UI sees it. Pushed at a fixed cadence; in a pushed snapshot `feed` holds only the
 * comments that arrived since the previous push, while `getSnapshot` returns the recent backlog.
 */
export interface Snapshot {
  seq: number;
  ts: number;
  session: SessionInfo;
  kpis: Kpis;
  trend: MinutePoint[];
  feed: FeedItem[];
  health: Health;
  sources: SourceHealth[];
}

export type SourceType = 'demo' | 'ws' | 'socketio' | 'http_push' | 'replay';

/** Where a source stands: shown as a badge on the Sources page. */
export type SourceState = 'stopped' | 'connecting' | 'connected' | 'reconnecting' | 'stalled' | 'paused' | 'ended' | 'error';

export interface SourceErrorSample {
  ts: number;
  reason: string;
  kind: string;
  message: string;
  sample: string;
}

/** A source's live condition and counters. */
export interface SourceHealth {
  id: string;
  state: SourceState;
  detail?: string;
  /** Events that arrived (valid or not). */
  received: number;
  accepted: number;
  duplicates: number;
  /** Events dropped because the pipeline queue was full (should stay 0). */
  dropped: number;
  eventsPerSec: number;
  reconnects: number;
  lastEventAt?: number;
  errors: number;
  errorsByReason: Record<string, number>;
  errorsByKind: Record<string, number>;
  /** The last few bad inputs, newest last. */
  samples: SourceErrorSample[];
  /** Replay position, for replay sources. */
  replay?: { position: number; start: number; end: number; speed: number; paused: boolean };
}

export interface SourceView {
  config: SourceConfig;
  health: SourceHealth;
}
