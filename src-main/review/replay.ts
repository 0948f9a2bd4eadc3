// A recorded session played back through the live dashboards' room state (engine/room-state.ts), at
// 1×–100× with pause, seek and the session's notes and answered points marked as they come, so the
// reviewer sees what ops saw. Read only: events are read back from the recording and never reach the
// profile store, the live tags or the triggers (a replay knows no persons, so no badges or segments).
// The timeline is the span of the recorded events' own times. Seeking back starts over from the
// beginning: the metrics are built forward only.
import type { AnswerLibrary, ReplayFrame, ReplayState, SessionSummary } from '../contract';
import type { LiveEvent } from '../events/live-event';
import { RoomState } from '../engine/room-state';
import type { Db } from '../storage/db';
import { eventSpan, readEvents } from '../storage/event-log';
import type { SessionNote } from '../storage/sessions';

const MAX_SPEED = 100;
/** Events applied per tick at most: a fast replay of a busy room stays responsive, its position lagging instead. */
const MAX_EVENTS_PER_TICK = 50_000;

export class SessionReplay {
  room!: RoomState;
  private reader!: Iterator<LiveEvent>;
  private next: LiveEvent | undefined;
  private noteIndex = 0;
  private position = 0;
  private applied = 0;
  private errors = 0;
  private speed = 1;
  private playing = true;
  private seq = 0;
  private wallAt: number;
  /** The event time the recording spans: the timeline. */
  private readonly startTs: number;
  private readonly endTs: number;

  constructor(
    private readonly db: Db,
    private readonly summary: SessionSummary,
    private readonly notes: readonly SessionNote[],
    private readonly answers: () => AnswerLibrary,
    private readonly clock: () => number = Date.now,
  ) {
    const span = eventSpan(db, summary.id) ?? { fromTs: summary.startedAt, toTs: summary.startedAt };
    this.startTs = span.fromTs;
    this.endTs = span.toTs;
    this.wallAt = clock();
    this.restart();
  }

  get state(): ReplayState {
    const { id, title } = this.summary;
    return {
      sessionId: id,
      title,
      startTs: this.startTs,
      endTs: this.endTs,
      position: this.position,
      speed: this.speed,
      playing: this.playing,
      ended: this.ended,
      events: this.applied,
      total: this.summary.events,
      errors: this.errors,
    };
  }

  /**
   * The room at the replay's position in the live snapshot's shape: `full` carries the feed's backlog
   * (the replay was opened or moved), else the items since the previous frame.
   */
  frame(full: boolean): ReplayFrame {
    const { room, state } = this;
    const fresh = room.feed.takeFresh();
    return {
      state,
      full,
      snapshot: {
        seq: ++this.seq,
        ts: this.clock(),
        session: { id: this.summary.id, title: this.summary.title, startedAt: this.summary.startedAt, sources: [] },
        ...room.view(),
        triggers: { pending: [], toCopy: [] },
        feed: full ? room.feed.recent() : fresh,
        health: { events: state.events, eventsPerSec: 0, errors: state.errors, queued: 0, lagMs: 0, dropped: 0 },
        sources: [],
      },
    };
  }

  /** Moves the replay on by the wall time since the last tick times the speed. */
  tick(): void {
    const now = this.clock();
    if (this.playing) this.advance(this.position + (now - this.wallAt) * this.speed, MAX_EVENTS_PER_TICK);
    this.wallAt = now;
  }

  play(playing: boolean): void {
    this.tick();
    this.playing = playing && !this.ended;
  }

  setSpeed(speed: number): void {
    this.tick();
    this.speed = Math.min(MAX_SPEED, Math.max(1, speed));
  }

  /** Jumps to session time `ts` (clamped to the session): back means starting over. */
  seek(ts: number): void {
    const target = Math.min(this.endTs, Math.max(this.startTs, ts));
    if (target < this.position) this.restart();
    this.advance(target, Infinity);
    this.wallAt = this.clock();
  }

  private restart(): void {
    this.room = new RoomState([], this.answers);
    this.reader = readEvents(this.db, this.summary.id)[Symbol.iterator]();
    this.pull();
    this.noteIndex = 0;
    this.position = this.startTs;
    this.applied = 0;
    this.errors = 0;
  }

  /** Applies the events up to `target` (at most `budget` of them) and moves the position there. */
  private advance(target: number, budget: number): void {
    const { measure, show } = this.room;
    let reached = target;
    let n = 0;
    while (this.next && this.next.ts <= target) {
      const e = this.next;
      if (n++ === budget) {
        reached = e.ts - 1; // held back by the budget: just before the next event
        break;
      }
      this.markNotes(e.ts);
      try {
        measure(e, undefined);
        for (const stage of show) stage(e, undefined);
      } catch {
        this.errors++;
      }
      this.applied++;
      this.pull();
    }
    this.position = Math.min(this.endTs, Math.max(this.position, reached));
    this.markNotes(this.position);
    if (this.ended) this.playing = false;
  }

  /** The next recorded event; a chunk that cannot be read ends the replay there (counted). */
  private pull(): void {
    try {
      this.next = this.reader.next().value ?? undefined;
    } catch {
      this.errors++;
      this.next = undefined;
    }
  }

  private get ended(): boolean {
    return this.next === undefined || this.position >= this.endTs;
  }

  /** Notes and answered points up to `ts`, marked on the trend at their time. */
  private markNotes(ts: number): void {
    while (this.noteIndex < this.notes.length && this.notes[this.noteIndex].ts <= ts) {
      const note = this.notes[this.noteIndex++];
      this.room.metrics.note(note.kind, note.text, note.ts);
    }
  }
}
