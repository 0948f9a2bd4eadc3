// Numbered schema migrations: entry N-1 takes the database from version N-1 to N. Append only;
// never edit a migration that has shipped.

export const migrations: string[] = [
  // 1: settings, recorded sessions and their events.
  `
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER,
    status     TEXT NOT NULL CHECK (status IN ('live', 'ended', 'interrupted'))
  );
  CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    ts         INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    platform   TEXT NOT NULL,
    user_id    TEXT,
    amount_fen INTEGER,
    payload    TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
  ) WITHOUT ROWID;
  `,
  // 2: configured sources (JSON per source, validated by the contract's schema when saved).
  `
  CREATE TABLE sources (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    config   TEXT NOT NULL
  );
  `,
];
