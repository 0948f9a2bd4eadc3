import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliOptions } from '../../src-main/cli/options';
import type { SessionReport, Snapshot, WirePush } from '../../src-main/contract';
import { Engine } from '../../src-main/engine/engine';
import { DB_FILE } from '../../src-main/storage/db';
import { readEvents } from '../../src-main/storage/event-log';
import { tempDir } from '../helpers/temp-dir';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

const until = async (predicate: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('engine', () => {
  it('plays the demo room through the pipeline and pushes snapshots at its cadence, never per event', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't', demo: { seed: 5, rate: 500 }, snapshotEveryMs: 100 });
    const pushes: WirePush[] = [];
    engine.onPush((p) => pushes.push(p));
    engine.start();
    const started = Date.now();
    await until(() => pushes.length >= 10);
    const elapsed = Date.now() - started;
    const snapshots = pushes.map((p) => p.payload as Snapshot);
    const last = snapshots.at(-1)!;
    expect(last.health.events).toBeGreaterThan(pushes.length * 10); // hundreds of events, ten pushes
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    expect(last.kpis.online).toBeGreaterThan(0);
    expect(last.trend.length).toBeGreaterThan(0);
    // Feed deltas never repeat a comment and arrive in order.
    const seqs = snapshots.flatMap((s) => s.feed.map((f) => f.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('records every event of the session to SQLite and closes the session on stop', async () => {
    const dataDir = tempDir();
    engine = new Engine({ dataDir, version: 't', demo: { seed: 5, rate: 300 } });
    engine.start();
    await new Promise((r) => setTimeout(r, 600));
    const counted = (await engine.handlers.getSnapshot({})).health.events;
    await engine.stop();
    engine = undefined;
    const db = new Database(join(dataDir, DB_FILE), { readonly: true });
    const recorded = db.prepare<[], string>('SELECT id FROM sessions').pluck().all().reduce((n, id) => n + [...readEvents(db, id)].length, 0);
    expect(recorded).toBeGreaterThanOrEqual(counted);
    expect(db.prepare('SELECT status FROM sessions').pluck().all()).toEqual(['ended']);
    db.close();
  });

  it('answers requests through its typed handlers', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't', demo: { seed: 5, rate: 10 } });
    expect(await engine.handlers.setLanguage({ language: 'en' })).toEqual({ language: 'en', retentionDays: 365, feedHighlight: expect.objectContaining({ badges: ['vip'] }) });
    expect(await engine.handlers.setFeedHighlight({ keywords: ['退款'], badges: ['vip', 'repeat'] })).toMatchObject({
      feedHighlight: { keywords: ['退款'], badges: ['vip', 'repeat'] },
    });
    expect(await engine.handlers.setRetention({ days: 30 })).toMatchObject({ language: 'en', retentionDays: 30 });
    expect(await engine.handlers.getInfo({})).toMatchObject({ version: 't', session: { title: '演示直播间' } });
  });
});

describe('command-line options', () => {
  it('reads flags, falls back to the environment, and ignores nonsense numbers', () => {
    const o = parseCliOptions(['--data-dir', '/d', '--port', '5000', '--host', '0.0.0.0', '--demo-rate', 'fast'], { LIVEDECK_TOKEN: 'tk' });
    expect(o).toMatchObject({ dataDir: '/d', port: 5000, host: '0.0.0.0', token: 'tk', demoRate: undefined });
    expect(parseCliOptions([], { LIVEDECK_DATA_DIR: '/e' })).toMatchObject({ dataDir: '/e', host: '127.0.0.1', port: 4317 });
  });
});

describe('session controls', () => {
  it('starts a new session (the old one stays recorded, ended), renames it, and sets the product on air', async () => {
    const dataDir = tempDir();
    engine = new Engine({ dataDir, version: 't', demo: { rate: 300 } });
    engine.start();
    await new Promise((r) => setTimeout(r, 300));
    const first = (await engine.handlers.getInfo({})).session;
    expect((await engine.handlers.getSnapshot({})).kpis.uv).toBeGreaterThan(0);

    const second = await engine.handlers.startSession({ title: '双11 返场专场' });
    expect(second.id).not.toBe(first.id);
    expect(second.title).toBe('双11 返场专场');
    expect((await engine.handlers.getSnapshot({})).kpis.pv).toBe(0); // fresh numbers for the new session
    expect((await engine.handlers.renameSession({ title: '双11 返场' })).title).toBe('双11 返场');

    const listed = await engine.handlers.listSessions({});
    expect(listed.map((x) => [x.title, x.status])).toEqual([
      ['双11 返场', 'live'],
      [first.title, 'ended'],
    ]);
    expect(listed[1].events).toBeGreaterThan(0);
    expect(listed[1].comments).toBeLessThanOrEqual(listed[1].events);

    await engine.handlers.setProductOnAir({ productId: 'sku-42', productName: '加绒卫衣' });
    const snapshot = await engine.handlers.getSnapshot({});
    expect(snapshot.kpis.productOnAir).toBe('sku-42');
    expect(snapshot.products[0]).toMatchObject({ productId: 'sku-42', name: '加绒卫衣', onAir: true });
    await engine.stop();
    engine = undefined;

    const db = new Database(join(dataDir, DB_FILE), { readonly: true });
    expect(db.prepare('SELECT title, status FROM sessions ORDER BY started_at').all()).toEqual([
      { title: first.title, status: 'ended' },
      { title: '双11 返场', status: 'ended' },
    ]);
    const recorded = db.prepare<[], string>('SELECT id FROM sessions').pluck().all().flatMap((id) => [...readEvents(db, id)]);
    expect(recorded.filter((e) => e.kind === 'product_switch' && e.platform === 'other')).toHaveLength(1);
    db.close();
  });
});

describe('the sessions list', () => {
  it('shows platforms, peak online and viewers, keeps notes, and deletes a recorded session but never the live one', async () => {
    const dataDir = tempDir();
    engine = new Engine({ dataDir, version: 't', demo: { seed: 8, rate: 400 } });
    engine.start();
    await new Promise((r) => setTimeout(r, 1500));
    const [live] = await engine.handlers.listSessions({});
    expect(live.platforms.sort()).toEqual(['douyin', 'kuaishou', 'wechat']);
    expect(live.peakOnline).toBeGreaterThan(0);
    expect(live.uv).toBeGreaterThan(0);
    expect(() => engine!.handlers.deleteSession({ id: live.id })).toThrow('live one');
    expect((await engine.handlers.setSessionNotes({ id: live.id, notes: '第二个小时互动偏低' }))[0].notes).toBe('第二个小时互动偏低');
    await engine.handlers.annotate({ text: '开始讲 2 号链接' });
    expect((await engine.handlers.getSnapshot({})).markers).toContainEqual(expect.objectContaining({ kind: 'note', label: '开始讲 2 号链接' }));
    await engine.handlers.startSession({ title: '下一场' });
    await engine.handlers.annotate({ text: '下一场开场' });
    const list = await engine.handlers.deleteSession({ id: live.id });
    expect(list.map((s) => s.title)).toEqual(['下一场']);
    await engine.stop();
    engine = undefined;
    const db = new Database(join(dataDir, DB_FILE), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM event_chunks WHERE session_id = ?').pluck().get(live.id)).toBe(0);
    // The deleted session's annotation went with it; the next session's is kept.
    expect(db.prepare('SELECT text FROM session_notes').pluck().all()).toEqual(['下一场开场']);
    db.close();
  });
});

describe('a session report', () => {
  it('holds the live figures exactly: from the live session, kept when it ends, and read back from its recording', async () => {
    const dataDir = tempDir();
    engine = new Engine({ dataDir, version: 't', demo: { seed: 12, rate: 800 } });
    engine.start();
    await new Promise((r) => setTimeout(r, 1500));
    for (const source of await engine.handlers.listSources({})) await engine.handlers.setSourceEnabled({ id: source.config.id, enabled: false });
    await engine.handlers.annotate({ text: '主推款开讲' });
    const live = await engine.handlers.getSnapshot({});
    expect(live.kpis.uv).toBeGreaterThan(50);
    const figures = (report: SessionReport) => ({ kpis: report.kpis, platforms: report.platforms, products: report.products, trend: report.trend });
    const expected = { kpis: live.kpis, platforms: live.platforms, products: live.products, trend: live.trend };

    const whileLive = (await engine.handlers.getSessionReport({ id: live.session.id }))!;
    expect(whileLive.summary).toMatchObject({ id: live.session.id, status: 'live' });
    expect(figures(whileLive)).toEqual(expected);
    expect(whileLive.segments).toEqual(live.segments);
    expect(whileLive.markers).toContainEqual(expect.objectContaining({ kind: 'note', label: '主推款开讲' }));
    expect(whileLive.questions.length).toBeGreaterThan(0);

    await engine.handlers.startSession({ title: '下一场' });
    const kept = (await engine.handlers.getSessionReport({ id: live.session.id }))!;
    expect(kept.summary.status).toBe('ended');
    expect(figures(kept)).toEqual(expected);
    expect(kept.markers.filter((m) => m.kind === 'note')).toHaveLength(1);
    await engine.stop();

    // A session cut off before its report was kept is read back from its recording (once).
    const db = new Database(join(dataDir, DB_FILE));
    db.prepare('DELETE FROM session_reports WHERE session_id = ?').run(live.session.id);
    db.close();
    engine = new Engine({ dataDir, version: 't', demo: { seed: 12, rate: 800 } });
    const readBack = (await engine.handlers.getSessionReport({ id: live.session.id }))!;
    expect(figures(readBack)).toEqual(expected);
    expect(readBack.markers).toEqual(kept.markers);
    expect(await engine.handlers.getSessionReport({ id: 'nope' })).toBeNull();
  });
});
