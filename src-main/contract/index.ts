// The contract between the engine and every UI: each request (name → arguments → result) and each
// pushed stream (name → payload), plus the wire envelopes both transports carry. The desktop preload
// and the browser-mode WebSocket implement exactly this; the engine validates arguments with the
// schemas declared here, so a bad request becomes a typed error instead of a crash.
import { z } from 'zod';
import { replayActionSchema, sourceConfigSchema } from './sources';
import { badges, consentPurposes, consentStatuses, MAX_CHUNK_BYTES, MAX_UPLOAD_BYTES, sessionExports, type AnswerLibrary, type AppInfo, type DownloadInfo, type IntentModelView, type ImportPreview, type ImportReportView, type PersonProfile, type ProfileStoreView, type ReplayFrame, type ReplayState, type SegmentView, type SessionInfo, type SessionReport, type SessionSummary, type Settings, type Snapshot, type SourceView, type SyncRunView, type TriggersView } from './types';
import { endpointUrlProblem } from '../shared/endpoint-url';
import { messageOf } from '../shared/values';

export * from './types';
export type { ReplayAction, SourceConfig, SourceConfigInput } from './sources';

/** Declares one request: `request<Result>()(argumentSchema)`; the result is carried as a type only. */
const request =
  <R>() =>
  <A extends z.ZodType>(args: A): { args: A; result?: R } => ({ args });

const noArgs = z.object({}).strict();
const qa = z.object({ q: z.string().trim().min(1).max(200), a: z.string().trim().min(1).max(500) }).strict();
const answerLibrarySchema = z
  .object({
    products: z
      .array(
        z
          .object({
            productId: z.string().trim().min(1).max(128),
            name: z.string().trim().max(200),
            link: z.number().int().min(1).max(999).optional(),
            sellingPoints: z.string().max(500),
            sizeNotes: z.string().max(500),
            priceMechanics: z.string().max(500),
            faq: z.array(qa).max(50),
          })
          .strict(),
      )
      .max(500),
    general: z.array(qa).max(200),
  })
  .strict();
/** Where LiveDeck posts or pulls on its own: http(s), no credentials (those go in the secret or token). */
const endpointUrl = (what: string) =>
  z
    .string()
    .max(2000)
    .superRefine((url, ctx) => {
      const problem = endpointUrlProblem(url, what);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    });
const personArgs = z.object({ personId: z.number().int().positive() }).strict();
const crmSyncSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('off') }).strict(),
  z.object({ kind: z.literal('demo') }).strict(),
  z
    .object({
      kind: z.literal('http'),
      url: endpointUrl('a CRM URL'),
      token: z.string().max(500).optional(),
      everyMinutes: z.number().int().min(1).max(7 * 24 * 60),
    })
    .strict(),
]);

export const languages = ['zh-CN', 'en'] as const;


export const requests = {
  getInfo: request<AppInfo>()(noArgs),
  getSnapshot: request<Snapshot>()(noArgs),
  getSettings: request<Settings>()(noArgs),
  setLanguage: request<Settings>()(z.object({ language: z.enum(languages) }).strict()),
  /** Sets which feed items stand out: keywords, and badges of the persons. */
  setFeedHighlight: request<Settings>()(
    z.object({ keywords: z.array(z.string().trim().min(1).max(20)).max(30), badges: z.array(z.enum(badges)).max(badges.length) }).strict(),
  ),
  /** Sets how long recordings and unlinked viewers are kept (0 = keep) and applies it at once. */
  setRetention: request<Settings>()(z.object({ days: z.number().int().min(0).max(3650) }).strict()),
  listSources: request<SourceView[]>()(noArgs),
  saveSource: request<SourceView[]>()(sourceConfigSchema),
  removeSource: request<SourceView[]>()(z.object({ id: z.string() }).strict()),
  setSourceEnabled: request<SourceView[]>()(z.object({ id: z.string(), enabled: z.boolean() }).strict()),
  controlReplay: request<SourceView[]>()(replayActionSchema),
  /** Recorded sessions, newest first, with their totals. */
  listSessions: request<SessionSummary[]>()(noArgs),
  /** An annotation at this moment of the live session: kept with it and marked on its trend. */
  annotate: request<null>()(z.object({ text: z.string().trim().min(1).max(200) }).strict()),
  /** A recorded session's report (null when there is no such session). */
  getSessionReport: request<SessionReport | null>()(z.object({ id: z.string().max(64) }).strict()),
  /** Plays a recorded session through the dashboards (frames on the replay stream); null when there is no such session. */
  openReplay: request<ReplayFrame | null>()(z.object({ id: z.string().max(64) }).strict()),
  /** Pauses or plays the replay, sets its speed, or moves it to a moment of the session; null without a replay. */
  steerReplay: request<ReplayState | null>()(
    z.object({ playing: z.boolean().optional(), speed: z.number().min(1).max(100).optional(), seekTs: z.number().int().optional() }).strict(),
  ),
  closeReplay: request<null>()(noArgs),
  /** Makes a file of a recorded session (viewers masked unless `identities`), to read with readDownload. */
  exportSession: request<DownloadInfo>()(z.object({ id: z.string().max(64), as: z.enum(sessionExports), identities: z.boolean() }).strict()),
  /** Up to one chunk (base64) of a file the engine made, from `offset`; the last chunk ends the download. */
  readDownload: request<{ data: string; done: boolean }>()(z.object({ downloadId: z.uuid(), offset: z.number().int().min(0) }).strict()),
  /** Adds the session of an uploaded session file (beginImport / importChunk) to the recordings. */
  importSession: request<{ session: SessionSummary; events: number; rejected: number }>()(z.object({ uploadId: z.uuid() }).strict()),
  /** The purchase-intent model in force. */
  getIntentModel: request<IntentModelView>()(noArgs),
  /** Trains the purchase-intent model on the recorded sessions (progress on the intentTraining stream); it is in force at once. */
  trainIntent: request<IntentModelView>()(noArgs),
  /** Ops' notes on a session (复盘 remarks). */
  setSessionNotes: request<SessionSummary[]>()(z.object({ id: z.string().max(64), notes: z.string().max(2000) }).strict()),
  /** Deletes a recorded session and its events (not the live one). */
  deleteSession: request<SessionSummary[]>()(z.object({ id: z.string().max(64) }).strict()),
  /** Ends the current session (it stays recorded) and starts a new one. */
  startSession: request<SessionInfo>()(z.object({ title: z.string().trim().min(1).max(100) }).strict()),
  renameSession: request<SessionInfo>()(z.object({ title: z.string().trim().min(1).max(100) }).strict()),
  /** Ops' answer library (话术库) that talking points take their suggested answers from. */
  getAnswers: request<AnswerLibrary>()(noArgs),
  saveAnswers: request<AnswerLibrary>()(answerLibrarySchema),
  /** The anchor answered a talking point: it retires. */
  answerPoint: request<boolean>()(z.object({ topic: z.string().max(20), question: z.string().max(2000) }).strict()),
  /** Ops put a point on the anchor view, big and highlighted; an empty text takes it down. */
  pushPoint: request<null>()(z.object({ text: z.string().trim().max(200) }).strict()),
  /** The profile store at a glance: counts, the CRM sync and its runs, recent imports. */
  getProfileStore: request<ProfileStoreView>()(noArgs),
  /** Sets where profiles are pulled from; an http setting without a token keeps the saved token. */
  configureCrmSync: request<ProfileStoreView>()(crmSyncSchema),
  /** Segments: the built-in ones, then those ops saved. */
  listSegments: request<SegmentView[]>()(noArgs),
  /** Saves a segment (a condition tree, checked by the engine); replaces a saved one with the same id. */
  saveSegment: request<SegmentView[]>()(
    z.object({ id: z.string().regex(/^[a-z0-9_-]{1,40}$/), name: z.string().trim().min(1).max(40), tree: z.unknown() }).strict(),
  ),
  removeSegment: request<SegmentView[]>()(z.object({ id: z.string().max(40) }).strict()),
  /** Undoes a merge of the merge log: the merged-away person comes back with their identifiers and tags. */
  undoMerge: request<ProfileStoreView>()(z.object({ id: z.number().int().positive() }).strict()),
  /** Runs the CRM sync now and answers with the run. */
  syncCrmNow: request<SyncRunView>()(noArgs),
  /** Announces a file to import; its bytes follow in chunks. */
  beginImport: request<{ uploadId: string }>()(
    z.object({ fileName: z.string().trim().min(1).max(255), size: z.number().int().min(0).max(MAX_UPLOAD_BYTES) }).strict(),
  ),
  /** One chunk of a file (base64), starting where the previous one ended; answers the bytes received. */
  importChunk: request<{ received: number }>()(
    z.object({ uploadId: z.uuid(), offset: z.number().int().min(0), data: z.base64().max(Math.ceil(MAX_CHUNK_BYTES / 3) * 4) }).strict(),
  ),
  /** The staged file's encoding, format, header and first rows, with a suggested column mapping. */
  previewImport: request<ImportPreview>()(z.object({ uploadId: z.uuid() }).strict()),
  /** Imports the staged file with a column → field mapping (progress on the importProgress stream). */
  runImport: request<ImportReportView>()(
    z.object({ uploadId: z.uuid(), mapping: z.record(z.string().max(200), z.string().max(40)) }).strict(),
  ),
  /** One person for the profile drawer; null when there is no such person (erased, merged away). */
  getPerson: request<PersonProfile | null>()(personArgs),
  /** Records a person's consent for a purpose; false when there is no such person. */
  setConsent: request<boolean>()(personArgs.extend({ purpose: z.enum(consentPurposes), status: z.enum(consentStatuses) }).strict()),
  /** Puts a person on (or takes them off) the suppression list that every action honours. */
  setSuppressed: request<boolean>()(personArgs.extend({ suppressed: z.boolean(), reason: z.string().trim().max(200).default('') }).strict()),
  /** Erases a person: profile deleted, recorded events anonymised. */
  erasePerson: request<boolean>()(personArgs),
  /** Ops approve or dismiss a coupon suggestion (one key each on the dashboard). */
  approveSuggestion: request<boolean>()(z.object({ key: z.string().max(300) }).strict()),
  dismissSuggestion: request<boolean>()(z.object({ key: z.string().max(300) }).strict()),
  /** Coupon triggers: rules, templates, the audit, uplift, the webhook outbox. */
  getTriggers: request<TriggersView>()(noArgs),
  /** Saves a rule (JSON, docs/triggers.md; a change needs a higher version); sessions started after use it. */
  saveTriggerRule: request<TriggersView>()(z.object({ json: z.unknown() }).strict()),
  saveCouponTemplate: request<TriggersView>()(z.object({ json: z.unknown() }).strict()),
  /** Where person coupons are posted (docs/webhooks.md); no url removes it; a secret left out keeps the saved one. */
  configureWebhook: request<TriggersView>()(
    z.object({ url: endpointUrl('a webhook URL').optional(), secret: z.string().min(16).max(500).optional() }).strict(),
  ),
  /** Sends a dead letter again. */
  retryDelivery: request<boolean>()(z.object({ key: z.string().max(300) }).strict()),
  /** Ops set the product being explained (平台事件 also set it). */
  setProductOnAir: request<null>()(z.object({ productId: z.string().min(1).max(128), productName: z.string().max(200).optional() }).strict()),
};

export type Method = keyof typeof requests;

/** What a view-only client (the anchor overlay in an OBS browser source) may call: reading, nothing else. */
export const viewMethods: ReadonlySet<Method> = new Set<Method>(['getSnapshot', 'getSettings']);
export type ArgsOf<M extends Method> = z.input<(typeof requests)[M]['args']>;
export type ResultOf<M extends Method> = Exclude<(typeof requests)[M]['result'], undefined>;
export const methods = Object.keys(requests) as Method[];

/** Pushed streams: name → payload. */
export interface Streams {
  snapshot: Snapshot;
  /** The replay of a recorded session, at the snapshot cadence while one is open. */
  replay: ReplayFrame;
  settings: Settings;
  /** How far a training of the intent model is, 0–1. */
  intentTraining: { fraction: number };
  /** Rows of a running import applied so far. */
  importProgress: { uploadId: string; done: number; total: number };
}
export type StreamName = keyof Streams;

/** What the engine implements: one handler per request, typed by the contract. */
export type Handlers = { [M in Method]: (args: z.output<(typeof requests)[M]['args']>) => ResultOf<M> | Promise<ResultOf<M>> };

/** `too_large` and `rate_limited`: the browser-mode server's per-connection limits (the connection stays up). */
export const errorCodes = ['bad_json', 'bad_envelope', 'unknown_method', 'bad_args', 'unauthorized', 'too_large', 'rate_limited', 'internal'] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class ContractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

// Wire envelopes, the same over the utility-process port and the WebSocket.
export interface WireRequest {
  id: number;
  method: string;
  args?: unknown;
}
export type WireReply =
  | { id: number | null; ok: true; result: unknown }
  | { id: number | null; ok: false; error: { code: ErrorCode; message: string } };
export interface WirePush<S extends StreamName = StreamName> {
  stream: S;
  payload: Streams[S];
}

const wireRequest = z.object({ id: z.number().int().nonnegative(), method: z.string().max(100), args: z.unknown().optional() });

/**
 * Checks an envelope and its arguments; throws ContractError. Returns the method and parsed arguments.
 * A `viewOnly` client is refused any other method before its arguments are even looked at.
 */
export function parseRequest(raw: unknown, viewOnly = false): { id: number; method: Method; args: unknown } {
  const envelope = unlessUnreadable(() => wireRequest.safeParse(raw));
  if (!envelope?.success) throw new ContractError('bad_envelope', 'expected {id, method, args}');
  const { id, method, args } = envelope.data;
  if (!Object.hasOwn(requests, method)) throw new ContractError('unknown_method', `unknown method "${method}"`);
  if (viewOnly && !viewMethods.has(method as Method)) throw new ContractError('unauthorized', `${method}: this view is read-only`);
  const parsed = unlessUnreadable(() => requests[method as Method].args.safeParse(args ?? {}));
  if (!parsed) throw new ContractError('bad_args', `${method}: a value that cannot be read (a length that is not a number)`);
  if (!parsed.success) throw new ContractError('bad_args', `${method}: ${z.prettifyError(parsed.error)}`);
  return { id, method: method as Method, args: parsed.data };
}

/** zod's safeParse still throws on a value it cannot convert (`{"length": {"toString": 1}}`): undefined then. */
function unlessUnreadable<R>(parse: () => R): R | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}

/** Runs one already-decoded request against the handlers and always produces a reply; `viewOnly` clients may only read. */
export async function dispatch(handlers: Handlers, raw: unknown, viewOnly = false): Promise<WireReply> {
  const id = typeof (raw as WireRequest | null)?.id === 'number' ? (raw as WireRequest).id : null;
  try {
    const req = parseRequest(raw, viewOnly);
    const handler = handlers[req.method] as (args: unknown) => unknown;
    return { id: req.id, ok: true, result: await handler(req.args) };
  } catch (err) {
    if (err instanceof ContractError) return { id, ok: false, error: { code: err.code, message: err.message } };
    return { id, ok: false, error: { code: 'internal', message: messageOf(err) } };
  }
}

/** What the desktop preload exposes as `window.livedeck`: one function per request, replies as envelopes. */
export interface DesktopApi {
  request: { [M in Method]: (args: ArgsOf<M>) => Promise<WireReply> };
  onPush(listener: (push: WirePush) => void): () => void;
  openAnchorWindow(): Promise<void>;
  setAlwaysOnTop(on: boolean): Promise<void>;
  /** Prints the page (its print layout) to a PDF the user saves; false when they cancel. */
  savePdf(fileName: string): Promise<boolean>;
}
