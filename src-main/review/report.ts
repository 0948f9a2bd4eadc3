// A recorded session's report: the figures of the same metrics and talking points the live dashboard
// uses (so they are the live ones), its annotations and answered points on the trend, and each coupon
// rule's outcomes and uplift within the session. The figures come from the live session while it runs;
// when it ends they are kept (`session_reports`), so a long session opens without decoding its events;
// a session cut off by a crash is read back once from its recording and kept then. Nothing else is
// written: the profile store and the triggers are not involved.
import type { Marker, SessionReport, SessionSummary, SessionTriggerView } from '../contract';
import { RoomMetrics } from '../metrics/room-metrics';
import type { Db } from '../storage/db';
import { readEvents } from '../storage/event-log';
import { Sessions } from '../storage/sessions';
import { TalkingPoints } from '../talking/talking-points';
import { armCountsOf, sessionOutcomes } from '../triggers/decision-log';
import { upliftReport } from '../triggers/uplift';
import { parseJson } from '../shared/values';

/** The whole session's minutes and markers: eight hours at most. */
const ALL_MINUTES = 8 * 60 + 60;
const ALL_MS = ALL_MINUTES * 60_000;
const TOP_QUESTIONS = 10;
/** Markers the events make; notes and answered points come from the session's notes. */
const EVENT_MARKERS: ReadonlySet<Marker['kind']> = new Set(['product_switch', 'coupon']);

/** What the metrics and talking points of a session say. */
export type ReportFigures = Pick<SessionReport, 'kpis' | 'platforms' | 'segments' | 'products' | 'trend' | 'markers' | 'questions'>;
/** What is kept of an ended session: its figures, and its coupon rules' outcomes (final once it ended). */
type KeptReport = ReportFigures & Pick<SessionReport, 'triggers'>;

/** A session's metrics and talking points: the live session's, or a read-back's. */
export interface ReportSource {
  metrics: RoomMetrics;
  points: TalkingPoints;
}

export function figuresOf({ metrics, points }: ReportSource): ReportFigures {
  return {
    kpis: metrics.kpis(),
    platforms: metrics.platformKpis(),
    segments: metrics.segmentKpis(),
    products: metrics.productKpis(),
    trend: metrics.trend(ALL_MINUTES),
    markers: metrics.recentMarkers(ALL_MS).filter((m) => EVENT_MARKERS.has(m.kind)),
    questions: points.top(TOP_QUESTIONS, metrics.now),
  };
}

/** Keeps the report of a session that has ended (`figures` of all its events). */
export function keepReport(db: Db, sessionId: string, figures: ReportFigures): void {
  const summary = new Sessions(db).get(sessionId);
  if (summary) store(db, summary, { ...figures, triggers: sessionTriggers(db, summary) });
}

function store(db: Db, summary: SessionSummary, kept: KeptReport): void {
  db.prepare('INSERT OR REPLACE INTO session_reports (session_id, events, report) VALUES (?, ?, ?)').run(summary.id, summary.events, JSON.stringify(kept));
}

/** The kept report of a session, if it is of all its events. */
function keptReport(db: Db, summary: SessionSummary): KeptReport | undefined {
  const row = db.prepare<[string], { events: number; report: string }>('SELECT events, report FROM session_reports WHERE session_id = ?').get(summary.id);
  return row && row.events === summary.events ? (parseJson(row.report) as KeptReport) : undefined;
}

/** The recording read back through the metrics and talking points. */
function readBackFigures(db: Db, sessionId: string): ReportFigures {
  const source = { metrics: new RoomMetrics(), points: new TalkingPoints() };
  for (const e of readEvents(db, sessionId)) {
    source.metrics.apply(e);
    source.points.add(e);
  }
  return figuresOf(source);
}

/**
 * The report of a session: `live` is the running session's source when `sessionId` is it. Otherwise the
 * kept figures, else the recording read back (and kept, unless the session is still live elsewhere).
 */
export function sessionReport(db: Db, sessions: Sessions, sessionId: string, live?: ReportSource): SessionReport | null {
  const summary = sessions.get(sessionId);
  if (!summary) return null;
  let report = live ? { ...figuresOf(live), triggers: sessionTriggers(db, summary) } : keptReport(db, summary);
  if (!report) {
    report = { ...readBackFigures(db, sessionId), triggers: sessionTriggers(db, summary) };
    if (summary.status !== 'live') store(db, summary, report);
  }
  const notes: Marker[] = sessions.annotations(sessionId).map((n) => ({ ts: n.ts, kind: n.kind, label: n.text }));
  return { summary, ...report, markers: [...report.markers, ...notes].sort((a, b) => a.ts - b.ts) };
}

function sessionTriggers(db: Db, summary: SessionSummary): SessionTriggerView[] {
  // Conversions after a live session's clock are still to come; an ended session's windows are all closed.
  const until = summary.status === 'live' ? Date.now() : Number.MAX_SAFE_INTEGER;
  return sessionOutcomes(db, summary.id).map((rule) => {
    const { treated, holdout } = armCountsOf(db, rule.ruleId, rule.scope, until, summary.id);
    return { ...rule, uplift: upliftReport(rule.ruleId, rule.scope, treated, holdout) };
  });
}
