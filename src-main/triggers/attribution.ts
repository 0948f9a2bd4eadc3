// Conversions for the uplift report, in event time: a person's order_paid within the attribution
// window of a decision for them (treated or held out) converts it; a room-wide decision counts the
// persons seen in its window and those of them who paid, written when the window closes, and only if
// this engine saw the whole window (after a restart, a replay of the session from its start does).
// Holds only decisions whose window is open; a room window's sets stop growing at `maxPersons`.
import type { DecisionLog } from './decision-log';

interface Open {
  key: string;
  from: number;
  until: number;
}

interface RoomWindow {
  from: number;
  until: number;
  seen: Set<number>;
  paid: Set<number>;
}

export class Attribution {
  private readonly byPerson = new Map<number, Open[]>();
  private readonly rooms = new Map<string, RoomWindow>();
  /** The time of the first person's event this engine saw. */
  private observedSince = Infinity;

  constructor(
    private readonly log: DecisionLog,
    private readonly maxPersons: number,
  ) {}

  /** A decision for a person at `from`, whose window ends at `until`. */
  openForPerson(key: string, personId: number, from: number, until: number): void {
    const open = this.byPerson.get(personId);
    if (open) open.push({ key, from, until });
    else this.byPerson.set(personId, [{ key, from, until }]);
  }

  openForRoom(key: string, from: number, until: number): void {
    this.rooms.set(key, { from, until, seen: new Set(), paid: new Set() });
  }

  /** A person did something in the room at `ts`. */
  seen(personId: number, ts: number): void {
    if (ts < this.observedSince) this.observedSince = ts;
    if (this.rooms.size === 0) return;
    for (const w of this.rooms.values()) if (ts >= w.from && w.seen.size < this.maxPersons) w.seen.add(personId);
  }

  /** A person paid an order at `ts`: every decision for them whose window it falls in converts, once. */
  paid(personId: number, ts: number): void {
    const open = this.byPerson.get(personId);
    if (open) {
      const left = open.filter((o) => {
        const converts = ts >= o.from && ts <= o.until;
        if (converts) this.log.converted(o.key);
        return !converts;
      });
      if (left.length > 0) this.byPerson.set(personId, left);
      else this.byPerson.delete(personId);
    }
    for (const w of this.rooms.values()) {
      if (ts >= w.from && ts <= w.until && w.seen.has(personId)) w.paid.add(personId);
    }
  }

  /** A decision's window closed. */
  close(key: string, personId: number | undefined): void {
    if (personId === undefined) {
      const w = this.rooms.get(key);
      if (w && this.observedSince <= w.from) this.log.exposure(key, w.seen.size, w.paid.size);
      this.rooms.delete(key);
      return;
    }
    const open = this.byPerson.get(personId);
    if (!open) return;
    const left = open.filter((o) => o.key !== key);
    if (left.length > 0) this.byPerson.set(personId, left);
    else this.byPerson.delete(personId);
  }
}
