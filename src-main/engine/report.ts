// A recorded session's report: its events read back in order through the same metrics and talking
// points the live dashboard uses (so the figures are the live ones), with its annotations on the
// trend. Nothing is written: the profile store and the triggers are not involved.
import type { SessionReport } from '../contract';
import { RoomMetrics } from '../metrics/room-metrics';
import type { Db } from '../storage/db';
import { readEvents } from '../storage/event-log';
import type { Sessions } from '../storage/sessions';
import { TalkingPoints } from '../talking/talking-points';

/** The whole session's minutes and markers: eight hours at most. */
const ALL_MINUTES = 8 * 60 + 60;
const ALL_MS = ALL_MINUTES * 60_000;
const TOP_QUESTIONS = 10;

export function sessionReport(db: Db, sessions: Sessions, sessionId: string): SessionReport | null {
  const summary = sessions.get(sessionId);
  if (!summary) return null;
  const metrics = new RoomMetrics();
  const points = new TalkingPoints();
  for (const e of readEvents(db, sessionId)) {
    metrics.apply(e);
    points.add(e);
  }
  for (const note of sessions.annotations(sessionId)) metrics.note('note', note.text, note.ts);
  return {
    summary,
    kpis: metrics.kpis(),
    platforms: metrics.platformKpis(),
    products: metrics.productKpis(),
    trend: metrics.trend(ALL_MINUTES),
    markers: metrics.recentMarkers(ALL_MS),
    questions: points.top(TOP_QUESTIONS, metrics.now),
  };
}
