// Training rows for the intent model, from sessions played event by event: the tracker follows every
// viewer, and at a fixed cadence of event time each viewer in the room (or with a cart or order not
// paid) is snapshotted as a row of features; when the session ends, each row is labelled 1 when that
// viewer paid (order_paid) later in the session. Rows keep the viewer's person id, so a hold-out can
// keep a viewer's rows together.
import type { LiveEvent } from '../events/live-event';
import type { PersonFacts } from '../profiles/person';
import type { Topic } from '../text/topics';
import { FEATURE_COUNT, IntentTracker } from './features';
import type { Rows } from './fit';

export const SNAPSHOT_EVERY_MS = 60_000;
const INITIAL_ROWS = 4_096;

export class Dataset {
  private x = new Float64Array(INITIAL_ROWS * FEATURE_COUNT);
  private y = new Uint8Array(INITIAL_ROWS);
  private persons = new Float64Array(INITIAL_ROWS);
  private times = new Float64Array(INITIAL_ROWS);
  private slots = new Int32Array(INITIAL_ROWS);
  private count = 0;
  sessions = 0;

  // The session being played.
  private tracker = new IntentTracker();
  private slotPersons: number[] = [];
  private lastPaid = new Map<number, number>();
  private sessionFirstRow = 0;
  private nextSnapshot = Infinity;

  constructor(private readonly everyMs = SNAPSHOT_EVERY_MS) {}

  get rows(): number {
    return this.count;
  }

  startSession(): void {
    this.tracker = new IntentTracker();
    this.slotPersons = [];
    this.lastPaid.clear();
    this.sessionFirstRow = this.count;
    this.nextSnapshot = Infinity;
  }

  /** An event of the session, in order, with its person (and the chat's topic when known, as for the tracker). */
  add(e: LiveEvent, person: PersonFacts | undefined, topic?: Topic | null): void {
    if (this.nextSnapshot === Infinity) this.nextSnapshot = e.ts + this.everyMs;
    while (e.ts > this.nextSnapshot) {
      this.snapshot(this.nextSnapshot);
      this.nextSnapshot += this.everyMs;
    }
    const slot = this.tracker.observe(e, person, topic);
    if (slot < 0) return;
    if (slot === this.slotPersons.length) this.slotPersons.push(person!.id);
    if (e.kind === 'order_paid') this.lastPaid.set(slot, e.ts);
  }

  /** Labels the session's rows: paid after the row's moment. */
  endSession(): void {
    for (let r = this.sessionFirstRow; r < this.count; r++) this.y[r] = (this.lastPaid.get(this.slots[r]) ?? -Infinity) > this.times[r] ? 1 : 0;
    this.sessionFirstRow = this.count;
    this.nextSnapshot = Infinity;
    this.sessions++;
  }

  /** The labelled rows whose viewer `keep` accepts (all of them without a filter). */
  take(keep: (personId: number) => boolean = () => true): Rows {
    let count = 0;
    for (let r = 0; r < this.sessionFirstRow; r++) if (keep(this.persons[r])) count++;
    const x = new Float64Array(count * FEATURE_COUNT);
    const y = new Uint8Array(count);
    let to = 0;
    for (let r = 0; r < this.sessionFirstRow; r++) {
      if (!keep(this.persons[r])) continue;
      x.set(this.x.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT), to * FEATURE_COUNT);
      y[to++] = this.y[r];
    }
    return { x, y, count };
  }

  private snapshot(ts: number): void {
    const tracker = this.tracker;
    for (let slot = 0; slot < tracker.size; slot++) {
      if (!tracker.isPresent(slot) && !tracker.hasOpenCart(slot)) continue;
      const r = this.grow();
      tracker.write(slot, ts, this.x, r * FEATURE_COUNT);
      this.persons[r] = this.slotPersons[slot];
      this.times[r] = ts;
      this.slots[r] = slot;
    }
  }

  /** The index of a new row, growing the buffers when full. */
  private grow(): number {
    if (this.count === this.y.length) {
      const size = this.y.length * 2;
      this.x = resized(this.x, size * FEATURE_COUNT);
      this.y = resized(this.y, size);
      this.persons = resized(this.persons, size);
      this.times = resized(this.times, size);
      this.slots = resized(this.slots, size);
    }
    return this.count++;
  }
}

function resized<T extends Float64Array | Uint8Array | Int32Array>(array: T, size: number): T {
  const grown = new (array.constructor as new (n: number) => T)(size);
  grown.set(array);
  return grown;
}
