// Phone numbers as identifiers: normalised to 11 mainland digits, then kept only as a salted SHA-256
// hash. The salt is random per database and lives in `settings` under `phone_salt`.
import { hash, randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/db';

const MOBILE = /^1[3-9]\d{9}$/;

/** The 11-digit mobile number in `raw` (full-width digits, +86/0086, spaces, dashes allowed), or undefined. */
export function normalisePhone(raw: string): string | undefined {
  if (MOBILE.test(raw)) return raw;
  const ascii = raw.replace(/[\uFF10-\uFF19\uFF0B]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const compact = ascii.replace(/[\s\u3000\-\u2010-\u2015\uFF0D]/g, '').replace(/^(\+86|0086)/, '');
  return MOBILE.test(compact) ? compact : undefined;
}

/**
 * Per database: the salt query, and the salt once known to be committed. Only `phoneSalt` writes the
 * row, so a salt read or created outside a transaction is kept; one seen inside a transaction may be
 * its own uncommitted insert, which a rollback would take back, so it is read again next time.
 */
interface SaltState {
  read: Statement<[], string>;
  committed?: string;
}

const salts = new WeakMap<Db, SaltState>();

/** This database's phone salt, created on first use. */
export function phoneSalt(db: Db): string {
  let state = salts.get(db);
  if (!state) {
    state = { read: db.prepare<[], string>("SELECT value FROM settings WHERE key = 'phone_salt'").pluck() };
    salts.set(db, state);
  }
  if (state.committed !== undefined) return state.committed;
  const stored = state.read.get();
  const salt = stored === undefined ? randomBytes(16).toString('hex') : (JSON.parse(stored) as string);
  if (stored === undefined) db.prepare("INSERT INTO settings (key, value) VALUES ('phone_salt', ?)").run(JSON.stringify(salt));
  if (!db.inTransaction) state.committed = salt;
  return salt;
}

/** The stored form of a normalised phone number. */
export function hashPhone(salt: string, phone: string): string {
  return hash('sha256', `${salt}:${phone}`, 'hex');
}
