// A room as the UI holds it: the latest snapshot's KPIs and trend, and a bounded comment feed grown
// from each snapshot's delta. The live room is fed by the engine's snapshot stream and refetched on
// (re)connect; a replay (replay.svelte.ts) feeds another Room from the replay stream.
import type { Cue, FeedItem, IntentView, NextProduct, Health, Kpis, Marker, MinutePoint, PlatformKpis, ProductKpis, SegmentKpis, SessionInfo, Settings, Snapshot, SourceHealth, TalkingPoint, TriggersLive } from '@contract';
import { engine } from './engine';
import { i18n } from './i18n.svelte';

/** Feed items kept: the list renders only the rows in view, so this can be generous. */
const FEED_ROWS = 2000;
/** Charts redraw at most this often, whatever the snapshot cadence. */
const TREND_EVERY_MS = 1000;

export class Room {
  session = $state<SessionInfo | undefined>();
  kpis = $state<Kpis | undefined>();
  health = $state<Health | undefined>();
  trend = $state.raw<MinutePoint[]>([]);
  markers = $state.raw<Marker[]>([]);
  platforms = $state.raw<PlatformKpis[]>([]);
  segments = $state.raw<SegmentKpis[]>([]);
  triggers = $state.raw<TriggersLive>({ pending: [], toCopy: [] });
  products = $state.raw<ProductKpis[]>([]);
  points = $state.raw<TalkingPoint[]>([]);
  cues = $state.raw<Cue[]>([]);
  next = $state.raw<NextProduct[]>([]);
  intent = $state.raw<IntentView[]>([]);
  pushed = $state.raw<Snapshot['pushed']>();
  feed = $state.raw<FeedItem[]>([]);
  sources = $state.raw<SourceHealth[]>([]);
  private trendAt = 0;

  /** `full`: the snapshot's feed is the whole backlog (from getSnapshot, or a replay opened or moved) rather than a delta. */
  apply(s: Snapshot, full: boolean): void {
    this.session = s.session;
    this.kpis = s.kpis;
    this.health = s.health;
    this.sources = s.sources;
    this.platforms = s.platforms;
    this.segments = s.segments;
    this.triggers = s.triggers;
    this.products = s.products;
    this.points = s.points;
    this.cues = s.cues;
    this.next = s.next;
    this.intent = s.intent;
    this.pushed = s.pushed;
    if (full || performance.now() - this.trendAt >= TREND_EVERY_MS) {
      this.trend = s.trend;
      this.markers = s.markers;
      this.trendAt = performance.now();
    }
    const lastSeq = full ? 0 : (this.feed.at(-1)?.seq ?? 0);
    const fresh = s.feed.filter((item) => item.seq > lastSeq);
    if (full) this.feed = fresh.slice(-FEED_ROWS);
    else if (fresh.length > 0) this.feed = [...this.feed, ...fresh].slice(-FEED_ROWS);
  }
}

/** The live room, with the engine's settings and whether the engine is reachable. */
class LiveRoom extends Room {
  connected = $state(false);
  settings = $state.raw<Settings | undefined>();

  constructor() {
    super();
    engine.on('snapshot', (s) => this.apply(s, false));
    engine.on('settings', (s) => this.useSettings(s));
    engine.onConnection((connected) => {
      this.connected = connected;
      if (connected) void this.refresh();
    });
  }

  private async refresh(): Promise<void> {
    const [snapshot, settings] = await Promise.all([engine.invoke('getSnapshot', {}), engine.invoke('getSettings', {})]);
    this.useSettings(settings);
    this.apply(snapshot, true);
  }

  private useSettings(settings: Settings): void {
    this.settings = settings;
    i18n.language = settings.language;
  }
}

export const room = new LiveRoom();
