// Person ids handed out ahead of their rows (provisional viewers, a bulk import): the persons table's
// AUTOINCREMENT sequence is advanced past the block first, so no other insert can take one meanwhile.
import type { Db } from '../storage/db';

/** Reserves `count` consecutive person ids and returns the first. */
export function reservePersonIds(db: Db, count: number): number {
  return db.transaction(() => {
    const seq = db.prepare<[], number>("SELECT seq FROM sqlite_sequence WHERE name = 'persons'").pluck().get();
    const highest = db.prepare<[], number | null>('SELECT max(id) FROM persons').pluck().get() ?? 0;
    const first = Math.max(seq ?? 0, highest) + 1;
    const last = first - 1 + count;
    if (seq === undefined) db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('persons', ?)").run(last);
    else db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'persons'").run(last);
    return first;
  })();
}
