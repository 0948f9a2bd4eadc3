import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DB_FILE, openDb } from '../../src-main/storage/db';
import { readEvents } from '../../src-main/storage/event-log';
import { migrations } from '../../src-main/storage/migrations';
import { Recorder } from '../../src-main/storage/recorder';
import { SettingsStore } from '../../src-main/storage/settings-store';
import { phoneSalt } from '../../src-main/profiles/phone';
import { defaultDataDir, resolveDataDir } from '../../src-main/storage/data-dir';
import { ev } from '../helpers/events';
import { tempDir } from '../helpers/temp-dir';

describe('database', () => {
  it('opens in WAL mode with every migration applied', () => {
    const db = openDb(tempDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['event_chunks', 'sessions', 'settings']));
    db.close();
  });

  it('brings a database from an older version up to date and keeps its data', () => {
    const dir = tempDir();
    const old = new Database(join(dir, DB_FILE));
    old.exec(migrations[0] as string);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO settings (key, value) VALUES ('language', '\"en\"')").run();
    old.close();
    const db = openDb(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(new SettingsStore(db).get().language).toBe('en');
    db.close();
  });

  it('refuses a database written by a newer LiveDeck instead of damaging it', () => {
    const dir = tempDir();
    const newer = new Database(join(dir, DB_FILE));
    newer.pragma(`user_version = ${migrations.length + 1}`);
    newer.close();
    expect(() => openDb(dir)).toThrow(/newer than this LiveDeck/);
  });

  it('never hands out internal values kept in the settings table', () => {
    const db = openDb(tempDir());
    phoneSalt(db);
    expect(new SettingsStore(db).get()).toEqual({ language: 'zh-CN', retentionDays: 365, feedHighlight: expect.objectContaining({ badges: ['vip'] }) });
    db.close();
  });

  it('keeps settings across reopening', () => {
    const dir = tempDir();
    const db = openDb(dir);
    expect(new SettingsStore(db).get()).toEqual({ language: 'zh-CN', retentionDays: 365, feedHighlight: expect.objectContaining({ badges: ['vip'] }) });
    new SettingsStore(db).set({ language: 'en' });
    db.close();
    const again = openDb(dir);
    expect(new SettingsStore(again).get()).toEqual({ language: 'en', retentionDays: 365, feedHighlight: expect.objectContaining({ badges: ['vip'] }) });
    again.close();
  });
});

describe('recorder', () => {
  it('writes buffered events in batches and ends the session on close', () => {
    const db = openDb(tempDir());
    const recorder = new Recorder(db, '测试场', ['demo']);
    const count = (id: string): number => [...readEvents(db, id)].length;
    recorder.add(ev(1000, { kind: 'chat', text: '你好' }, 'a'));
    recorder.add(ev(1001, { kind: 'order_paid', orderId: 'o1', productId: 'p1', amountFen: 990 }, 'a'));
    expect(count(recorder.session.id)).toBe(0);
    recorder.flush();
    expect(count(recorder.session.id)).toBe(2);
    const paid = [...readEvents(db, recorder.session.id)][1];
    expect(paid).toMatchObject({ kind: 'order_paid', amountFen: 990, user: { id: 'a' }, orderId: 'o1' });
    recorder.close();
    expect(db.prepare('SELECT status, ended_at IS NOT NULL AS ended FROM sessions').get()).toEqual({ status: 'ended', ended: 1 });
    db.close();
  });

  it('marks a session left live by a crash as interrupted, keeping its events', () => {
    const dir = tempDir();
    const db = openDb(dir);
    const crashed = new Recorder(db, '崩溃的一场', ['demo']);
    crashed.add(ev(1, { kind: 'enter' }, 'a'));
    crashed.flush();
    db.close(); // no close(): as after a kill
    const reopened = openDb(dir);
    const next = new Recorder(reopened, '下一场', ['demo']);
    const rows = reopened.prepare('SELECT id, status FROM sessions').all() as { id: string; status: string }[];
    expect(rows).toContainEqual({ id: crashed.session.id, status: 'interrupted' });
    expect(rows).toContainEqual({ id: next.session.id, status: 'live' });
    expect([...readEvents(reopened, crashed.session.id)]).toHaveLength(1);
    next.close();
    reopened.close();
  });
});

describe('data directory', () => {
  it('prefers --data-dir, then LIVEDECK_DATA_DIR, then the OS user-data folder', () => {
    expect(resolveDataDir('/x', { LIVEDECK_DATA_DIR: '/y' })).toBe('/x');
    expect(resolveDataDir(undefined, { LIVEDECK_DATA_DIR: '/y' })).toBe('/y');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' })).toMatch(/Roaming.LiveDeck$/);
    expect(defaultDataDir('darwin', {})).toMatch(/Library.Application Support.LiveDeck$/);
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/home/a/.config' })).toBe('/home/a/.config/LiveDeck');
  });
});
