// The engine's one SQLite connection: opened in WAL mode, with the numbered migrations applied at
// start so a database written by an older version opens and is brought up to date.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations';

export type Db = Database.Database;

/** One schema step: SQL to run, or a function for what SQL alone cannot do (converting data in JS). */
export type Migration = string | ((db: Db) => void);

export const DB_FILE = 'livedeck.db';

/**
 * Opens (creating if needed) the database in `dataDir`. `LIVEDECK_SQLITE_BINDING` points at a
 * better-sqlite3 build for another ABI (the desktop app's Electron build), leaving Node's intact.
 */
export function openDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const nativeBinding = process.env.LIVEDECK_SQLITE_BINDING || undefined;
  const db = new Database(join(dataDir, DB_FILE), { nativeBinding });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Deleted content is overwritten, so an erased person leaves no bytes behind in free pages.
  db.pragma('secure_delete = ON');
  migrate(db);
  return db;
}

/** Applies every migration newer than the database's `user_version`, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`database schema v${current} is newer than this LiveDeck (v${migrations.length}); update the app`);
  }
  migrations.slice(current).forEach((step, i) => {
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${current + i + 1}`);
    })();
  });
}
