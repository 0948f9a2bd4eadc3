// One recorded session as a portable file: a LiveDeck database holding that session alone (its row,
// its events, its notes), made by the same migrations, so LiveDeck on another machine reads it with
// the code that reads its own. Viewers become stable pseudonyms (one viewer, one pseudonym: every
// count stays the same) with masked nicknames unless the user asks to keep identities; no profile,
// coupon decision, setting or secret is ever in it. Importing treats the file as untrusted: it must
// be a session file of a LiveDeck no newer than this one, every event is checked as a source's would
// be (bad ones counted and left out), and it goes in in one transaction or not at all.
import { createHmac, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { SessionSummary } from '../contract';
import { checkEvent } from '../events/check';
import type { LiveEvent } from '../events/live-event';
import { migrate, type Db } from '../storage/db';
import { EventWriter, MAX_CHUNK_EVENTS, readEvents } from '../storage/event-log';
import { migrations } from '../storage/migrations';
import { Sessions } from '../storage/sessions';
import { readValue, writeValue } from '../storage/settings-store';
import { maskName } from '../talking/greetings';
import { messageOf } from '../shared/values';

const MARK_KEY = 'session_file';
const FORMAT = 1;

interface Mark {
  format: number;
  exportedAt: number;
  identities: boolean;
}

interface SessionRow {
  id: string;
  title: string;
  started_at: number;
  ended_at: number | null;
  status: string;
  platforms: string;
  peak_online: number;
  uv: number;
  notes: string;
}

const ROW_COLUMNS = 'id, title, started_at, ended_at, status, platforms, peak_online, uv, notes';

export class SessionFileError extends Error {}

/** The session's file. */
export function exportSessionFile(db: Db, sessionId: string, identities: boolean, now = Date.now()): Buffer {
  const row = db.prepare<[string], SessionRow>(`SELECT ${ROW_COLUMNS} FROM sessions WHERE id = ?`).get(sessionId);
  if (!row) throw new SessionFileError('no such session');
  const file = new Database(':memory:');
  try {
    migrate(file);
    writeValue(file, MARK_KEY, { format: FORMAT, exportedAt: now, identities } satisfies Mark);
    file
      .prepare(`INSERT INTO sessions (${ROW_COLUMNS}) VALUES (@id, @title, @started_at, @ended_at, @status, @platforms, @peak_online, @uv, @notes)`)
      .run({ ...row, status: row.status === 'live' ? 'interrupted' : row.status });
    const pseudonym = identities ? undefined : pseudonymiser();
    const writer = new EventWriter(file, sessionId);
    let written = 0;
    for (const e of readEvents(db, sessionId)) {
      writer.add(pseudonym && e.user ? { ...e, user: pseudonym(e.platform, e.user) } : e);
      if (++written % MAX_CHUNK_EVENTS === 0) writer.flush(); // a chunk at a time, not the whole session in memory
    }
    writer.flush();
    const notes = new Sessions(db).annotations(sessionId);
    const insertNote = file.prepare('INSERT INTO session_notes (session_id, ts, text, kind) VALUES (?, ?, ?, ?)');
    for (const note of notes) insertNote.run(sessionId, note.ts, note.text, note.kind);
    return file.serialize();
  } finally {
    file.close();
  }
}

/** One pseudonym per viewer of this export (keyed by a salt of its own, so two exports cannot be linked). */
function pseudonymiser(): (platform: string, user: NonNullable<LiveEvent['user']>) => NonNullable<LiveEvent['user']> {
  const salt = randomBytes(16);
  return (platform, user) => ({
    ...user,
    id: `anon-${createHmac('sha256', salt).update(`${platform}\u0000${user.id}`).digest('hex').slice(0, 16)}`,
    name: maskName(user.name),
  });
}

/** Adds the file's session to the database; answers what came in and how many events were left out. */
export function importSessionFile(db: Db, bytes: Buffer): { session: SessionSummary; events: number; rejected: number } {
  let file: Db;
  try {
    file = new Database(bytes);
  } catch (err) {
    throw new SessionFileError(`not a LiveDeck session file (${messageOf(err)})`);
  }
  try {
    const version = readSafely(() => {
      file.pragma('trusted_schema = OFF');
      return file.pragma('user_version', { simple: true }) as number;
    });
    if (version > migrations.length) throw new SessionFileError(`made by a newer LiveDeck (schema v${version}); update the app`);
    const mark = readSafely(() => readValue(file, MARK_KEY)) as Partial<Mark> | undefined;
    if (mark?.format !== FORMAT) throw new SessionFileError('not a LiveDeck session file');
    const rows = readSafely(() => file.prepare<[], SessionRow>(`SELECT ${ROW_COLUMNS} FROM sessions`).all());
    if (rows.length !== 1 || !validRow(rows[0])) throw new SessionFileError('the file does not hold one valid session');
    const row = rows[0];
    if (db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(row.id)) throw new SessionFileError(`this session is already here: ${row.title}`);
    const notes = readSafely(() => new Sessions(file).annotations(row.id)).filter(
      (n) => Number.isSafeInteger(n.ts) && typeof n.text === 'string' && n.text.length <= 200 && (n.kind === 'note' || n.kind === 'point'),
    );
    let events = 0;
    let rejected = 0;
    db.transaction(() => {
      db.prepare(`INSERT INTO sessions (${ROW_COLUMNS}) VALUES (@id, @title, @started_at, @ended_at, @status, @platforms, @peak_online, @uv, @notes)`).run({
        ...row,
        status: row.status === 'ended' ? 'ended' : 'interrupted',
      });
      const writer = new EventWriter(db, row.id);
      readSafely(() => {
        for (const raw of readEvents(file, row.id)) {
          const checked = checkEvent(raw);
          if (!checked.ok) {
            rejected++;
            continue;
          }
          writer.add(checked.event);
          if (++events % MAX_CHUNK_EVENTS === 0) writer.flush(); // a chunk at a time, not the whole session in memory
        }
      });
      writer.flush();
      const sessions = new Sessions(db);
      for (const note of notes) sessions.annotate(row.id, note.ts, note.text, note.kind);
    })();
    return { session: new Sessions(db).get(row.id)!, events, rejected };
  } finally {
    file.close();
  }
}

/** Reading a damaged or foreign file fails with a message for the user, not an engine error. */
function readSafely<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof SessionFileError) throw err;
    throw new SessionFileError(`the session file is damaged (${messageOf(err)})`);
  }
}

function validRow(row: SessionRow): boolean {
  const text = (value: unknown, max: number) => typeof value === 'string' && value.length <= max;
  const count = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
  let platforms: unknown;
  try {
    platforms = JSON.parse(row.platforms);
  } catch {
    return false;
  }
  return (
    text(row.id, 64) &&
    row.id.length > 0 &&
    text(row.title, 200) &&
    count(row.started_at) &&
    (row.ended_at === null || count(row.ended_at)) &&
    count(row.peak_online) &&
    count(row.uv) &&
    text(row.notes, 2000) &&
    Array.isArray(platforms) &&
    platforms.length <= 20 &&
    platforms.every((p) => text(p, 40))
  );
}
