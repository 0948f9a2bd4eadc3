// The segments LiveDeck knows: the built-in ones, then those ops saved (condition trees in the
// `segments` table). Their order is their bit in a person's segment mask, so there are at most 31:
// 21 saved ones beside the 10 built in (a database saved with more keeps the extra rows, unused).
import type { Db } from '../storage/db';
import { parseJson } from '../shared/values';
import { builtinSegments, conditionSchema, type Segment } from './segments';

export const MAX_SEGMENTS = 31;
export const MAX_SAVED_SEGMENTS = MAX_SEGMENTS - builtinSegments.length;

/** Built-in segments first, then the saved ones in the order they were added. */
export function listSegments(db: Db): Segment[] {
  const saved = db
    .prepare<[number], { id: string; name: string; tree: string }>('SELECT id, name, tree FROM segments ORDER BY position LIMIT ?')
    .all(MAX_SAVED_SEGMENTS)
    .flatMap((row) => {
      const tree = conditionSchema.safeParse(parseJson(row.tree));
      return tree.success ? [{ id: row.id, name: row.name, tree: tree.data }] : [];
    });
  return [...builtinSegments, ...saved];
}

/**
 * Adds a segment, or replaces a saved one with the same id; the tree is checked first (its error
 * message says what is wrong). Built-in segments cannot be replaced.
 */
export function saveSegment(db: Db, segment: { id: string; name: string; tree: unknown }): Segment[] {
  const tree = conditionSchema.safeParse(segment.tree);
  if (!tree.success) {
    const problems = tree.error.issues.map((i) => `${i.message}${i.path.length ? ` at ${i.path.join('.')}` : ''}`).join('; ');
    throw new Error(`invalid condition tree: ${problems} (see docs/segments.md)`);
  }
  if (builtinSegments.some((s) => s.id === segment.id)) throw new Error(`${segment.id} is a built-in segment`);
  const exists = db.prepare('SELECT 1 FROM segments WHERE id = ?').get(segment.id);
  const saved = db.prepare('SELECT count(*) FROM segments').pluck().get() as number;
  if (!exists && saved >= MAX_SAVED_SEGMENTS) throw new Error(`at most ${MAX_SEGMENTS} segments (${MAX_SAVED_SEGMENTS} of your own)`);
  db.prepare(
    `INSERT INTO segments (id, name, position, tree)
     VALUES (@id, @name, (SELECT coalesce(max(position), 0) + 1 FROM segments), @tree)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, tree = excluded.tree`,
  ).run({ id: segment.id, name: segment.name, tree: JSON.stringify(tree.data) });
  return listSegments(db);
}

export function removeSegment(db: Db, id: string): Segment[] {
  db.prepare('DELETE FROM segments WHERE id = ?').run(id);
  return listSegments(db);
}

