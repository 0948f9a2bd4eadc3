// The engine's trigger side: the rule configuration, one trigger engine per session, and delivery of
// what it decides — a room-wide coupon announced on the anchor view, a person's coupon posted to the
// shop's webhook (through the outbox) or listed for ops to copy. A delivery the outbox gives up on is
// reported back, so it stops counting against caps and budget. The webhook secret is sealed at rest.
import { randomBytes } from 'node:crypto';
import type { TriggerDecisionView, TriggersLive, TriggersView } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';
import type { Segment } from '../profiles/segments';
import { isRecord } from '../shared/values';
import type { Db } from '../storage/db';
import type { SecretBox } from '../storage/secrets';
import { readValue, removeValue, writeValue } from '../storage/settings-store';
import { loadTriggerConfig, saveRule, saveTemplate, type TriggerConfig } from './store';
import { TriggerEngine, type Decision, type RoomView } from './trigger-engine';
import { checkEndpoint, WebhookOutbox, type Delivery } from './webhook';

const WEBHOOK_KEY = 'trigger_webhook';
const SALT_KEY = 'trigger_salt';
/** A room-wide coupon stays on the anchor view this long. */
const ANNOUNCE_MS = 60_000;
const COPY_SHOWN = 10;

export class TriggerService {
  private config: TriggerConfig;
  private outbox: WebhookOutbox | undefined;
  /** The session's trigger engine, rebuilt when rules or segments change (decisions persist; caps reload). */
  private engine: TriggerEngine | undefined;
  private session: { id: string; segments: readonly Segment[] } | undefined;
  private toCopy: TriggerDecisionView[] = [];
  private announcement: TriggersLive['announcement'];
  private readonly salt: string;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {
    this.config = loadTriggerConfig(db);
    this.salt = (readValue(db, SALT_KEY) as string | undefined) ?? this.newSalt();
    this.outbox = this.openOutbox();
  }

  /** A new session's triggers (the previous one's buffered decisions are written first). */
  startSession(sessionId: string, segments: readonly Segment[]): void {
    this.toCopy = [];
    this.announcement = undefined;
    this.session = { id: sessionId, segments };
    this.rebuild();
  }

  /** The segment list changed: person masks now mean the new list. */
  setSegments(segments: readonly Segment[]): void {
    if (!this.session) return;
    this.session = { ...this.session, segments };
    this.rebuild();
  }

  observe(event: LiveEvent, person: PersonFacts | undefined, room: RoomView): void {
    this.engine?.observe(event, person, room);
  }

  start(): void {
    this.outbox?.start();
  }

  async stop(): Promise<void> {
    this.engine?.flush();
    await this.outbox?.stop();
  }

  live(now: number): TriggersLive {
    const fresh = this.announcement && now - this.announcement.ts <= ANNOUNCE_MS ? this.announcement : undefined;
    return { pending: this.engine?.pending().map(view) ?? [], toCopy: this.toCopy, ...(fresh && { announcement: fresh }) };
  }

  approve(key: string): boolean {
    return this.engine?.approve(key) !== undefined;
  }

  dismiss(key: string): boolean {
    return this.engine?.dismiss(key) !== undefined;
  }

  view(): TriggersView {
    const stats = this.outbox?.stats();
    const webhook = this.savedWebhook();
    return {
      rules: this.config.rules,
      templates: this.config.templates,
      decisions: this.engine?.decisions(200).map(view) ?? [],
      uplift: this.config.rules.filter((r) => r.enabled).flatMap((r) => (this.engine ? [this.engine.uplift(r.id)] : [])),
      webhook: { url: webhook?.url, hasSecret: !!webhook?.secret, pending: stats?.pending ?? 0, sent: stats?.sent ?? 0, dead: stats?.dead ?? 0 },
      deadLetters: (this.outbox?.deadLetters() ?? []).map(({ key, attempts, lastError, createdAt }) => ({ key, attempts, lastError, createdAt })),
    };
  }

  /** Saves a rule or template (JSON, checked); the live session uses it at once. */
  save(kind: 'rule' | 'template', json: unknown): TriggersView {
    if (kind === 'rule') saveRule(this.db, json);
    else saveTemplate(this.db, json);
    this.config = loadTriggerConfig(this.db);
    this.rebuild();
    return this.view();
  }

  /** Sets (or with no url, removes) the webhook coupons are posted to; a secret left out keeps the saved one. */
  async configureWebhook(url: string | undefined, secret: string | undefined): Promise<TriggersView> {
    // Checked before the working outbox stops: a refused setting leaves the saved webhook running.
    const endpoint = url ? { url, secret: secret ?? this.savedWebhook()?.secret ?? '' } : undefined;
    if (endpoint && !endpoint.secret) throw new Error('a webhook needs a secret to sign with');
    if (endpoint) checkEndpoint(endpoint);
    await this.outbox?.stop();
    this.outbox = undefined;
    if (endpoint) writeValue(this.db, WEBHOOK_KEY, { url: endpoint.url, secret: this.secrets.seal(endpoint.secret) });
    else removeValue(this.db, WEBHOOK_KEY);
    this.outbox = this.openOutbox();
    this.outbox?.start();
    return this.view();
  }

  retry(key: string): boolean {
    return this.outbox?.retry(key) ?? false;
  }

  flush(): void {
    this.engine?.flush();
  }

  /**
   * A fresh engine for the session with the current rules and segments. Decisions, caps, budgets,
   * stock and pending suggestions reload from the audit; carts and visits in progress start over.
   */
  private rebuild(): void {
    if (!this.session) return;
    this.engine?.flush();
    const { id: sessionId, segments } = this.session;
    this.engine = new TriggerEngine(this.db, { sessionId, rules: this.config.rules, templates: this.config.templates, segments, salt: this.salt, onDecision: (d) => this.deliver(d) });
  }

  private deliver(d: Decision): void {
    if (d.outcome !== 'fired' && d.outcome !== 'approved') return;
    if (d.channel === 'anchor') this.announcement = { text: d.say ?? d.coupon.name, ts: d.ts };
    else if (d.channel === 'copy') this.toCopy = [view(d), ...this.toCopy].slice(0, COPY_SHOWN);
    else if (this.outbox) this.outbox.enqueue({ key: d.key, body: d });
    // Delivery is reported back on the next turn: the engine must not be called from its own callback.
    else queueMicrotask(() => this.engine?.deliveryFailed(d.key, 'no webhook is configured'));
  }

  private openOutbox(): WebhookOutbox | undefined {
    const webhook = this.savedWebhook();
    return webhook && new WebhookOutbox(this.db, webhook, { onChange: (d) => this.delivered(d) });
  }

  private delivered(d: Delivery): void {
    if (d.status === 'dead') queueMicrotask(() => this.engine?.deliveryFailed(d.key, d.lastError ?? 'gave up'));
  }

  private savedWebhook(): { url: string; secret: string } | undefined {
    const value = readValue(this.db, WEBHOOK_KEY);
    if (!isRecord(value) || typeof value.url !== 'string' || typeof value.secret !== 'string') return undefined;
    return { url: value.url, secret: this.secrets.open(value.secret) };
  }

  private newSalt(): string {
    const salt = randomBytes(16).toString('hex');
    writeValue(this.db, SALT_KEY, salt);
    return salt;
  }
}

function view(d: Decision): TriggerDecisionView {
  return {
    key: d.key,
    ruleId: d.ruleId,
    ruleName: d.ruleName,
    scope: d.scope,
    personId: d.personId,
    productId: d.productId,
    ts: d.ts,
    outcome: d.outcome,
    reason: d.reason,
    channel: d.channel,
    coupon: { id: d.coupon.id, name: d.coupon.name, faceValueFen: d.coupon.faceValueFen, thresholdFen: d.coupon.thresholdFen },
    say: d.say,
    expiresAt: d.expiresAt,
  };
}
