// Shared helpers for the profile tests: a fresh database in a temp dir and small row queries.
import { openDb, type Db } from '../../src-main/storage/db';
import { tempDir } from '../helpers/temp-dir';

export function freshDb(): { db: Db; dir: string } {
  const dir = tempDir();
  return { db: openDb(dir), dir };
}

export function count(db: Db, table: string): number {
  return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
}

export function logCauses(db: Db): string[] {
  return db.prepare('SELECT cause FROM merge_log ORDER BY id').pluck().all() as string[];
}

