// User settings kept in the database (key → JSON value), with defaults for what was never set. The
// same table holds internal values (the phone salt, the CRM sync setting, the answer library) that are
// never part of the settings; `readValue`, `writeValue` and `removeValue` reach those.
import type { Settings } from '../contract';
import type { Db } from './db';
import { parseJson } from '../shared/values';

const defaults: Settings = {
  language: 'zh-CN',
  retentionDays: 365,
  feedHighlight: { keywords: ['退款', '投诉', '假货', '质量问题'], badges: ['vip'] },
};

export class SettingsStore {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
    this.upsert = db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  /** The user's settings: only their own keys (the table also holds internal values such as the phone salt). */
  get(): Settings {
    const settings: Record<string, unknown> = { ...defaults };
    for (const row of this.select.all()) if (Object.hasOwn(defaults, row.key)) settings[row.key] = JSON.parse(row.value);
    return settings as unknown as Settings;
  }

  set(patch: Partial<Settings>): Settings {
    for (const [key, value] of Object.entries(patch)) this.upsert.run(key, JSON.stringify(value));
    return this.get();
  }
}

/** An internal value of the settings table (not a user setting), parsed; undefined when absent or unreadable. */
export function readValue(db: Db, key: string): unknown {
  const raw = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck().get(key);
  return raw === undefined ? undefined : parseJson(raw);
}

export function writeValue(db: Db, key: string, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

export function removeValue(db: Db, key: string): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(key);
}
