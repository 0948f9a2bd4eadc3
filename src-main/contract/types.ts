// Payload types of the contract: what the UI receives from the engine. Plain data, JSON-safe. Also
// the few constants the UI needs: the renderer imports values only from here (`@contract/types`), so
// that the request schemas, and zod with them, stay out of its bundle.
import type { SourceConfig } from './sources';

export type Language = 'zh-CN' | 'en';

/** The largest file accepted for import. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
/** The largest import chunk in one request (its base64 still fits a 1 MiB frame). */
export const MAX_CHUNK_BYTES = 512 * 1024;

export interface Settings {
  language: Language;
  /** Feed items ops want to stand out: those containing a keyword, or from a person with one of the badges. */
  feedHighlight: { keywords: string[]; badges: Badge[] };
  /** Recorded sessions, and viewers seen live but never linked to a CRM record, are deleted after this many days; 0 keeps them. */
  retentionDays: number;
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
  /** How stored secrets (tokens, cookies) are protected: by the OS keychain, or by a key file in the data folder. */
  secrets: 'os' | 'file';
}

/** Persons at each step of the purchase funnel (观看 → 曝光 → 点击 → 加购 → 下单 → 成交). */
export interface Funnel {
  exposed: number;
  clicked: number;
  carted: number;
  ordered: number;
  paid: number;
}

/**
 * One slice of the room (all of it, a platform, a product): counts and exact distinct persons, kept as
 * numerators and denominators so each rate can be shown the way the platforms define it (kpis.md).
 * Money in fen. Persons are distinct identified users; masked and anonymous users are not persons.
 */
export interface CutKpis {
  /** 累计观看人数: distinct persons seen in the room (entered, or acted there without an entry we saw). */
  uv: number;
  /** 观看次数: entries, repeats counted. */
  pv: number;
  comments: number;
  commenters: number;
  /** Persons who chatted, liked, shared, followed or sent a gift (互动率 = interacting / uv). */
  interacting: number;
  likes: number;
  follows: number;
  shares: number;
  fansJoins: number;
  giftValueFen: number;
  funnel: Funnel;
  ordersCreated: number;
  paidOrders: number;
  /** 成交金额: paid amount; refunds are kept apart. */
  gmvFen: number;
  refundedOrders: number;
  refundFen: number;
  coupons: { issued: number; claimed: number; redeemed: number; gmvFen: number };
  adSpendFen: number;
  privateDomainJoins: number;
  /** Entries by traffic source. */
  traffic: Record<string, number>;
}

/** The whole room's KPIs. */
export interface Kpis extends CutKpis {
  /** 实时在线人数: the latest platform-reported count of each platform, summed. */
  online: number;
  /** Online now minus online five minutes ago; null until five minutes have passed. */
  onlineChange5m: number | null;
  /** 最高在线 / 平均在线 over the per-minute online samples. */
  peakOnline: number;
  avgOnline: number;
  /** Total watch time of all persons (enter → leave, or until now while present), ms; 人均 = watchMs / uv. */
  watchMs: number;
  /** Comments in the last 60 seconds. */
  commentsPerMin: number;
  /** The product being explained now, if known. */
  productOnAir?: string;
  /** Headline counts as they were five minutes ago (event time), for the cards' change; absent early on. */
  fiveMinutesAgo?: { uv: number; pv: number; comments: number; gmvFen: number; paidOrders: number };
}

export interface PlatformKpis extends CutKpis {
  platform: string;
  online: number;
}

/** A segment as the Profiles page lists it: built-in, or saved by ops (a condition tree, docs/segments.md). */
export interface SegmentView {
  id: string;
  name: string;
  tree: unknown;
  builtin: boolean;
}

/** An audience segment's numbers (过往买家, 从未购买, VIP, …): its persons' events, counted as they were in it then. */
export interface SegmentKpis extends CutKpis {
  segment: string;
  name: string;
}

export interface ProductKpis {
  productId: string;
  name?: string;
  priceFen?: number;
  onAir: boolean;
  funnel: Funnel;
  paidOrders: number;
  gmvFen: number;
  refundFen: number;
}

/** A moment worth marking on the trend: a product switch, a coupon, a talking point answered, a note. */
export interface Marker {
  ts: number;
  kind: 'product_switch' | 'coupon' | 'point' | 'note';
  label: string;
}

/** One minute of the trend, keyed by the minute's start (ms). */
export interface MinutePoint {
  t: number;
  online: number;
  entries: number;
  comments: number;
  gmvFen: number;
}

/** A question the room keeps asking: a topic, its representative wording, how many asked and when. */
export interface TalkingPoint {
  topic: string;
  question: string;
  count: number;
  /** Distinct persons who asked. */
  askers: number;
  /** Of them, past buyers or VIPs: worth answering first. */
  valuedAskers: number;
  firstTs: number;
  lastTs: number;
  /** The product it is about: the link number it names, else the product on air when it was first asked. */
  productId?: string;
  /** What the anchor can say, from the answer library. */
  suggestion?: string;
}

/** Ops' answer library (话术库): per product, and general questions. */
export interface AnswerLibrary {
  products: ProductAnswers[];
  general: { q: string; a: string }[];
}

export interface ProductAnswers {
  productId: string;
  name: string;
  /** Its link number in the shop window (3号链接), so questions naming it find it. */
  link?: number;
  sellingPoints: string;
  sizeNotes: string;
  priceMechanics: string;
  faq: { q: string; a: string }[];
}

/** What the anchor should do next, and why, in numbers. */
export interface Cue {
  kind: 'interact' | 'explain' | 'price' | 'urgency' | 'greet';
  title: string;
  reason: string;
}

/** Who a commenter is, at a glance: VIP, 复购, 已购此商品 (the product on air), 新客, 跨平台. */
export const badges = ['vip', 'repeat', 'bought_this', 'new', 'cross_platform', 'high_intent'] as const;
export type Badge = (typeof badges)[number];

/** What the live feed shows: comments, and the moments around them worth seeing in line. */
export const feedKinds = ['chat', 'gift', 'cart_add', 'order_paid', 'follow', 'fansclub', 'share', 'private_domain_join'] as const;
export type FeedKind = (typeof feedKinds)[number];

export interface FeedItem {
  /** Increases by one per item within an engine run: the UI's key and its de-dup of deltas. */
  seq: number;
  id: string;
  ts: number;
  kind: FeedKind;
  platform: string;
  user: string;
  /** A comment's text; a gift's name; the product of a cart or an order. */
  text: string;
  /** Gifts in a gift item. */
  count?: number;
  /** An order's amount, a gift's value. */
  amountFen?: number;
  /** The person in the profile store (opens the profile drawer); absent for masked users. */
  personId?: number;
  badges: Badge[];
  /** The segments the person is in (bit i: the snapshot's segments[i]). */
  segments: number;
  /** The person's purchase intent (0–1) when the item arrived. */
  intent?: number;
}

/** The purchase-intent model in force: the shipped prior until one is trained here, and how it did on held-out viewers. */
export interface IntentModelView {
  source: 'prior' | 'trained';
  trainedAt: number;
  sessions: number;
  rows: number;
  positives: number;
  auc: number;
  logLoss: number;
  baseLogLoss: number;
}

/** A viewer likely to buy who has not paid this session: for ops, with the reasons behind the score. */
export interface IntentView {
  personId: number;
  name: string;
  /** The name as it may be shown to the room (pushed to the anchor view). */
  maskedName: string;
  platform: string;
  /** 0–1. */
  score: number;
  /** Up to three, e.g. 加购未付 8 分钟. */
  reasons: string[];
}

/** Consent purposes: marketing (coupons, triggers) and profiling (intent scores, recommendations). */
export const consentPurposes = ['marketing', 'profiling'] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];
export const consentStatuses = ['granted', 'denied', 'revoked'] as const;
export type ConsentStatus = (typeof consentStatuses)[number];

/** Where profiles are pulled from: the demo CRM (demo mode), a CRM endpoint (docs/crm-sync.md), or nowhere. */
export type CrmSyncSetting =
  | { kind: 'off' }
  | { kind: 'demo' }
  | { kind: 'http'; url: string; token?: string; everyMinutes: number };

export interface SyncRunView {
  id: number;
  startedAt: number;
  finishedAt: number | null;
  status: 'running' | 'ok' | 'failed';
  pages: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  rejected: number;
  error: string | null;
  /** Rejected records with their reasons (at most 50). */
  rejections: { page: number; crmId?: string; reason: string }[];
}

export interface ImportRunView {
  id: number;
  file: string;
  startedAt: number;
  inserted: number;
  updated: number;
  rejected: number;
}

/** A file staged for import, as the column-mapping step shows it. */
export interface ImportPreview {
  fileName: string;
  encoding: string;
  format: 'csv' | 'jsonl';
  header: string[];
  /** The first rows, cells in header order. */
  rows: string[][];
  rowCount: number;
  /** Every profile field a column can be mapped to. */
  fields: string[];
  /** A guessed field per column ('' for none), from the usual Chinese CRM column names. */
  suggested: Record<string, string>;
}

export interface ImportReportView {
  runId: number;
  encoding: string;
  format: 'csv' | 'jsonl';
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Rejected rows with their reasons (the first 200). */
  rejections: { row: number; reason: string }[];
}

/** An entry of the identity merge log: a merge (undoable), or an identifier dropped or a record refused by the rules. */
export interface MergeView {
  id: number;
  ts: number;
  cause: 'merge' | 'refused' | 'dropped';
  fromPerson: number | null;
  toPerson: number | null;
  undone: boolean;
  /** For a merge: the merged-away person's name and identifier types; otherwise the rule and identifier type. */
  detail: string;
}

/** The profile store at a glance, for the Profiles page. */
export interface ProfileStoreView {
  persons: number;
  /** Linked to a CRM record. */
  customers: number;
  /** Seen live only. */
  provisional: number;
  /** With uids on two or more platforms. */
  crossPlatform: number;
  suppressed: number;
  /** The sync as configured (a token is never sent back, only whether one is set). */
  sync: { setting: CrmSyncSetting; hasToken: boolean; running: boolean; runs: SyncRunView[] };
  imports: ImportRunView[];
  /** The latest merge-log entries, newest first. */
  merges: MergeView[];
}

/** A coupon trigger decision as ops see it (the audit's row). */
export interface TriggerDecisionView {
  key: string;
  ruleId: string;
  ruleName: string;
  scope: 'person' | 'room';
  personId?: number;
  productId?: string;
  ts: number;
  outcome: 'fired' | 'suggested' | 'approved' | 'dismissed' | 'expired' | 'suppressed' | 'holdout' | 'duplicate' | 'delivery_failed';
  /** The guard that suppressed it, or why a delivery failed. */
  reason?: string;
  channel: 'anchor' | 'webhook' | 'copy';
  coupon: { id: string; name: string; faceValueFen: number; thresholdFen: number };
  /** A line for the anchor or ops. */
  say?: string;
  expiresAt?: number;
}

/** The live trigger state in a snapshot: suggestions waiting for ops, coupons to copy, a room-wide announcement. */
export interface TriggersLive {
  pending: TriggerDecisionView[];
  /** Fired or approved person coupons with channel "copy", newest first: ops send them by hand. */
  toCopy: TriggerDecisionView[];
  /** The latest room-wide coupon for the anchor view, while fresh. */
  announcement?: { text: string; ts: number };
}

export interface UpliftView {
  ruleId: string;
  unit: 'person' | 'room_viewer';
  treated: { decisions: number; exposed: number; converted: number; rate: number | null };
  holdout: { decisions: number; exposed: number; converted: number; rate: number | null };
  difference: number | null;
  /** 95% interval of the difference (Newcombe's hybrid score). */
  ci95: [number, number] | null;
}

/** The Triggers page: rules and templates (as JSON), the audit, uplift per rule, and the webhook outbox. */
export interface TriggersView {
  rules: ({ id: string; name: string; explain?: string; version: number; enabled: boolean; scope: 'person' | 'room' } & Record<string, unknown>)[];
  templates: ({ id: string; name: string; faceValueFen: number } & Record<string, unknown>)[];
  decisions: TriggerDecisionView[];
  uplift: UpliftView[];
  webhook: { url?: string; hasSecret: boolean; pending: number; sent: number; dead: number };
  deadLetters: { key: string; attempts: number; lastError: string | null; createdAt: number }[];
}

/** A person as the profile drawer shows them. Phone numbers exist only as hashes and are never shown. */
export interface PersonProfile {
  id: number;
  name: string | null;
  /** Only seen live, not linked to a CRM record. */
  provisional: boolean;
  createdAt: number;
  /** Identifiers by type; a phone's value is replaced by a fixed mark (only its salted hash is stored). */
  identities: { type: string; value: string }[];
  tags: { tag: string; source: string; expiresAt: number | null }[];
  level?: number;
  orders: number;
  ltvFen: number;
  lastPurchaseAt?: number;
  couponShare: number;
  rfm?: string;
  purchases: { orderId: string; productId: string; amountFen: number; paidAt: number; coupon: boolean; source: string }[];
  /** What they did in the current session, newest first. */
  timeline: { ts: number; kind: string; platform: string; detail: string }[];
  consent: { purpose: ConsentPurpose; status: ConsentStatus; ts: number }[];
  suppressed: boolean;
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

/** A product worth explaining next, for this audience, with the reason in numbers. */
export interface NextProduct {
  productId: string;
  /** `3号 保湿面霜`. */
  label: string;
  /** 0–1. */
  score: number;
  reason: string;
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
  platforms: PlatformKpis[];
  /** Audience composition and conversion by segment. */
  segments: SegmentKpis[];
  triggers: TriggersLive;
  products: ProductKpis[];
  trend: MinutePoint[];
  markers: Marker[];
  /** Open talking points, most asked first. */
  points: TalkingPoint[];
  /** Rhythm cues for the anchor, most pressing first. */
  cues: Cue[];
  /** What to explain next for who is in the room (live only), best first. */
  next: NextProduct[];
  /** Viewers about to buy who have not paid yet (live only), most likely first. */
  intent: IntentView[];
  /** What ops pushed to the anchor view last (cleared by pushing an empty text). */
  pushed?: { text: string; ts: number };
  feed: FeedItem[];
  health: Health;
  sources: SourceHealth[];
}

export type SourceType = SourceConfig['type'];

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

/** A recorded session in the review list. */
/** A recorded session read back through the live metrics: the review page's report. */
export interface SessionReport {
  summary: SessionSummary;
  kpis: Kpis;
  platforms: PlatformKpis[];
  /** Audience composition by segment as the live session saw it (empty for a report rebuilt from an interrupted recording). */
  segments: SegmentKpis[];
  products: ProductKpis[];
  /** Every minute of the session. */
  trend: MinutePoint[];
  markers: Marker[];
  /** The questions the room asked most. */
  questions: TalkingPoint[];
  /** Each coupon rule that decided in the session: its outcomes, and treated against holdout within the session. */
  triggers: SessionTriggerView[];
}

/** What a recorded session can be exported as: its portable file, one workbook, one table as CSV, or its kept raw frames. */
export const sessionExports = ['session_file', 'xlsx', 'minutes_csv', 'orders_csv', 'events_csv', 'raw_frames'] as const;
export type SessionExport = (typeof sessionExports)[number];

/** A file the engine made, to be read in chunks with readDownload. */
export interface DownloadInfo {
  downloadId: string;
  fileName: string;
  mime: string;
  size: number;
}

/** Where a replay of a recorded session stands. */
export interface ReplayState {
  sessionId: string;
  title: string;
  startTs: number;
  endTs: number;
  /** Session time shown now. */
  position: number;
  /** 1–100 × real time. */
  speed: number;
  playing: boolean;
  ended: boolean;
  /** Events replayed so far, of the session's total. */
  events: number;
  total: number;
  /** Events the dashboards' stages failed on (counted, skipped). */
  errors: number;
}

/** A replay as the dashboards show it: the room at the replay's position, in the live snapshot's shape. */
export interface ReplayFrame {
  state: ReplayState;
  /** The snapshot's feed is the whole backlog (the replay was opened or moved), not the items since the last frame. */
  full: boolean;
  snapshot: Snapshot;
}

export interface SessionTriggerView {
  ruleId: string;
  name: string;
  scope: 'person' | 'room';
  outcomes: Partial<Record<TriggerDecisionView['outcome'], number>>;
  uplift: UpliftView;
}

export interface SessionSummary {
  id: string;
  title: string;
  startedAt: number;
  /** When it ended, or its last event for a session cut off by a crash. */
  endedAt?: number;
  status: 'live' | 'ended' | 'interrupted';
  events: number;
  comments: number;
  paidOrders: number;
  gmvFen: number;
  /** Platforms the session saw events from. */
  platforms: string[];
  peakOnline: number;
  /** 累计观看人数. */
  uv: number;
  notes: string;
}
