// Numbered schema migrations: entry N-1 takes the database from version N-1 to N. Append only;
// never edit a migration that has shipped. An entry is SQL, or a function for a step SQL cannot do.
import type { Migration } from './db';
import { chunkRecordedEvents } from './event-chunks-migration';

export const migrations: Migration[] = [
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
  // 3: the profile store: persons, their identifiers, tags, the merge log and CRM import runs.
  `
  CREATE TABLE persons (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    display_name TEXT,
    traits       TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE identities (
    type      TEXT NOT NULL,
    value     TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    PRIMARY KEY (type, value)
  ) WITHOUT ROWID;
  CREATE INDEX identities_person ON identities (person_id);
  CREATE TABLE tags (
    person_id  INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    source     TEXT NOT NULL,
    weight     REAL NOT NULL DEFAULT 1,
    expires_at INTEGER,
    PRIMARY KEY (person_id, tag, source)
  ) WITHOUT ROWID;
  CREATE TABLE merge_log (
    id          INTEGER PRIMARY KEY,
    from_person INTEGER,
    to_person   INTEGER,
    cause       TEXT NOT NULL,
    ts          INTEGER NOT NULL,
    undone      INTEGER NOT NULL DEFAULT 0,
    detail      TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE import_runs (
    id         INTEGER PRIMARY KEY,
    file       TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    inserted   INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    rejected   INTEGER NOT NULL,
    report     TEXT NOT NULL
  );
  `,
  // 4: when a person was last seen live, order lines (CRM and live), consent per purpose, the
  // suppression list, CRM sync state and runs, and saved segments.
  `
  ALTER TABLE persons ADD COLUMN seen_at INTEGER;
  CREATE TABLE person_orders (
    order_id   TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    paid_at    INTEGER NOT NULL,
    coupon     INTEGER NOT NULL DEFAULT 0,
    source     TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX person_orders_person ON person_orders (person_id);
  CREATE TABLE consent (
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    purpose   TEXT NOT NULL,
    status    TEXT NOT NULL CHECK (status IN ('granted', 'denied', 'revoked')),
    ts        INTEGER NOT NULL,
    PRIMARY KEY (person_id, purpose)
  ) WITHOUT ROWID;
  CREATE TABLE suppressions (
    person_id INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
    reason    TEXT NOT NULL,
    ts        INTEGER NOT NULL
  );
  CREATE TABLE sync_state (
    name      TEXT PRIMARY KEY,
    watermark INTEGER NOT NULL DEFAULT 0,
    cursor    TEXT
  );
  CREATE TABLE sync_runs (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    status      TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
    pages       INTEGER NOT NULL DEFAULT 0,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    deleted     INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    report      TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE segments (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL,
    tree     TEXT NOT NULL
  );
  `,
  // 5: coupon triggers: coupon templates, versioned rules, the audit of every decision (its key makes
  // a decision idempotent: nothing fires twice, not even after a restart; arm, exposed and converted
  // feed the uplift report) and the persons held back for a session after reacting badly to a coupon.
  `
  CREATE TABLE coupon_templates (
    id     TEXT PRIMARY KEY,
    config TEXT NOT NULL
  );
  CREATE TABLE trigger_rules (
    id       TEXT PRIMARY KEY,
    version  INTEGER NOT NULL,
    position INTEGER NOT NULL,
    config   TEXT NOT NULL
  );
  CREATE TABLE trigger_decisions (
    key               TEXT PRIMARY KEY,
    session_id        TEXT NOT NULL,
    rule_id           TEXT NOT NULL,
    rule_version      INTEGER NOT NULL,
    person_id         INTEGER,
    product_id        TEXT,
    ts                INTEGER NOT NULL,
    outcome           TEXT NOT NULL CHECK (outcome IN ('fired', 'suggested', 'approved', 'dismissed', 'expired',
                        'suppressed', 'holdout', 'duplicate', 'delivery_failed')),
    reason            TEXT,
    arm               TEXT CHECK (arm IN ('treated', 'holdout')),
    channel           TEXT NOT NULL,
    coupon_id         TEXT NOT NULL,
    face_value_fen    INTEGER NOT NULL,
    quantity          INTEGER NOT NULL,
    expires_at        INTEGER,
    resolved_at       INTEGER,
    attribution_until INTEGER NOT NULL,
    exposed           INTEGER,
    converted         INTEGER,
    detail            TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX trigger_decisions_session ON trigger_decisions (session_id, ts);
  CREATE INDEX trigger_decisions_person ON trigger_decisions (person_id, ts);
  CREATE INDEX trigger_decisions_arm ON trigger_decisions (rule_id, arm) WHERE arm IS NOT NULL;
  CREATE TABLE trigger_holds (
    session_id TEXT NOT NULL,
    person_id  INTEGER NOT NULL,
    ts         INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (session_id, person_id)
  ) WITHOUT ROWID;
  `,
  // 6: the webhook outbox: each delivery with its idempotency key, attempts and state (dead letters stay).
  `
  CREATE TABLE webhook_outbox (
    key        TEXT PRIMARY KEY,
    url        TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dead')),
    last_error TEXT,
    sent_at    INTEGER
  );
  CREATE INDEX webhook_outbox_due ON webhook_outbox (status, next_at);
  `,
  // 7: recorded events in compressed chunks with their users' keys, and running totals per session
  // (the old one-row-per-event table is converted, then dropped).
  chunkRecordedEvents,
  // 8: what the sessions list shows beyond the running totals: platforms, peak online and viewers
  // (written as the session runs), and ops' notes.
  `
  ALTER TABLE sessions ADD COLUMN platforms TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE sessions ADD COLUMN peak_online INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sessions ADD COLUMN uv INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sessions ADD COLUMN notes TEXT NOT NULL DEFAULT '';
  `,
  // 9: annotations ops add to a session while it runs (shown on its trend).
  `
  CREATE TABLE session_notes (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    ts         INTEGER NOT NULL,
    text       TEXT NOT NULL
  );
  CREATE INDEX session_notes_session ON session_notes (session_id, ts);
  `,
  // 10: the kind of a timed session note (ops' annotation, or a talking point answered live), the
  // report of a session kept once it ended, so a long session opens without decoding its events, and
  // raw frames kept for sources that ask (debugging adapters).
  `
  ALTER TABLE session_notes ADD COLUMN kind TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'point'));
  CREATE TABLE session_reports (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    events     INTEGER NOT NULL,
    report     TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE raw_frames (
    id         INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    source_id  TEXT NOT NULL,
    ts         INTEGER NOT NULL,
    data       BLOB NOT NULL
  );
  CREATE INDEX raw_frames_source ON raw_frames (session_id, source_id, id);
  `,
];
