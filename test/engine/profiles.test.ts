import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedItem, Snapshot } from '../../src-main/contract';
import { Engine } from '../../src-main/engine/engine';
import { startDemoCrm } from '../../src-main/profiles/demo-crm';
import { PHONE_MARK } from '../../src-main/profiles/profile-view';
import { demoProfiles, PROFILE_COUNT } from '../../src-main/sources/demo/audience';
import { DB_FILE, openDb } from '../../src-main/storage/db';
import { readEvents } from '../../src-main/storage/event-log';
import { applyRecords, demoRecords } from '../helpers/demo-records';
import { tempDir } from '../helpers/temp-dir';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

/** An engine whose profile store already holds the demo audience's CRM customers. */
function engineWithCrm(): { dataDir: string; engine: Engine } {
  const dataDir = tempDir();
  const db = openDb(dataDir);
  applyRecords(db, demoRecords(demoProfiles()));
  db.close();
  return { dataDir, engine: new Engine({ dataDir, version: 't', demo: { seed: 11, rate: 800 }, snapshotEveryMs: 100 }) };
}

async function feedUntil(e: Engine, found: (item: FeedItem) => boolean, timeoutMs = 8000): Promise<FeedItem> {
  const seen: FeedItem[] = [];
  const off = e.onPush((p) => p.stream === 'snapshot' && seen.push(...(p.payload as Snapshot).feed));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const hit = seen.find(found);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no such comment among ${seen.length}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    off();
  }
}

describe('the engine and the profile store', () => {
  it('shows who a commenter is: badges in the feed and the profile drawer', async () => {
    ({ engine } = engineWithCrm());
    engine.start();
    const vip = await feedUntil(engine, (item) => item.badges.includes('vip') && item.personId !== undefined);
    const profile = (await engine.handlers.getPerson({ personId: vip.personId! }))!;
    expect(profile.provisional).toBe(false);
    expect(profile.tags.map((t) => t.tag)).toContain('VIP');
    expect(profile.identities.map((i) => i.type)).toEqual(expect.arrayContaining(['crm_id', 'phone']));
    expect(profile.identities.find((i) => i.type === 'phone')!.value).toBe(PHONE_MARK);
    expect(profile.purchases.length).toBeGreaterThan(0);
    expect(profile.orders).toBe(profile.purchases.length);
    expect(profile.timeline.some((t) => t.kind === 'chat' && t.detail === vip.text)).toBe(true);
    // A viewer the CRM does not know is new and provisional, but still has a drawer.
    const stranger = await feedUntil(engine, (item) => item.badges.join() === 'new' && item.personId! > PROFILE_COUNT); // the CRM's persons come first
    const provisional = (await engine.handlers.getPerson({ personId: stranger.personId! }))!;
    expect(provisional).toMatchObject({ provisional: true, orders: 0, name: stranger.user });
    expect(provisional.identities).toEqual([{ type: `${stranger.platform}_uid`, value: expect.any(String) }]);
    expect(await engine.handlers.getPerson({ personId: 99_999_999 })).toBeNull();
  });

  it('records consent and suppression, and erases a person leaving no trace in the database files', async () => {
    const setup = engineWithCrm();
    engine = setup.engine;
    engine.start();
    const item = await feedUntil(engine, (i) => i.badges.includes('repeat') && i.personId !== undefined);
    const personId = item.personId!;
    expect(await engine.handlers.setConsent({ personId, purpose: 'marketing', status: 'revoked' })).toBe(true);
    expect(await engine.handlers.setSuppressed({ personId, suppressed: true, reason: '客户要求' })).toBe(true);
    const before = (await engine.handlers.getPerson({ personId }))!;
    expect(before.consent).toEqual([{ purpose: 'marketing', status: 'revoked', ts: expect.any(Number) }]);
    expect(before.suppressed).toBe(true);
    const crmId = before.identities.find((i) => i.type === 'crm_id')!.value;
    const uids = before.identities.filter((i) => i.type.endsWith('_uid')).map((i) => i.value);

    // The room goes quiet first, so that the person cannot come back (as a new viewer) before the check.
    for (const source of await engine.handlers.listSources({})) await engine.handlers.setSourceEnabled({ id: source.config.id, enabled: false });
    expect(await engine.handlers.erasePerson({ personId })).toBe(true);
    expect(await engine.handlers.getPerson({ personId })).toBeNull();
    expect(await engine.handlers.erasePerson({ personId })).toBe(false);
    await engine.stop();
    engine = undefined;
    const db = openDb(setup.dataDir);
    const recorded = db.prepare<[], string>('SELECT id FROM sessions').pluck().all().flatMap((id) => [...readEvents(db, id)]);
    const events = recorded.filter((e) => !e.user && e.kind === 'chat').length;
    expect(events).toBeGreaterThan(0); // their comments stay in the session, without them
    db.close();
    const files = ['', '-wal'].map((suffix) => {
      try {
        return readFileSync(join(setup.dataDir, DB_FILE + suffix)).toString('latin1');
      } catch {
        return '';
      }
    });
    for (const secret of [crmId, ...uids]) expect(files.some((bytes) => bytes.includes(secret))).toBe(false);
  });

  it('pulls the demo CRM while the demo room plays, and a configured CRM endpoint on demand', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't', demo: { seed: 3, rate: 50 } });
    engine.start();
    const until = async (check: () => Promise<boolean>) => {
      const deadline = Date.now() + 10_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until(async () => (await engine!.handlers.getProfileStore({})).sync.runs[0]?.status === 'ok');
    const demo = await engine.handlers.getProfileStore({});
    expect(demo.sync.setting).toEqual({ kind: 'demo' });
    expect(demo.customers).toBe(PROFILE_COUNT);
    expect(demo.crossPlatform).toBeGreaterThan(0);

    const others = demoProfiles(99, 30).map((p) => ({ ...p, crmId: `ext_${p.crmId}` }));
    const crm = await startDemoCrm({ profiles: others, token: 's3cret' });
    try {
      const configured = await engine.handlers.configureCrmSync({ kind: 'http', url: crm.url, token: 's3cret', everyMinutes: 60 });
      expect(configured.sync).toMatchObject({ setting: { kind: 'http', url: crm.url, everyMinutes: 60 }, hasToken: true });
      expect(JSON.stringify(configured)).not.toContain('s3cret');
      // Configuring starts a first run at once; "sync now" waits for it or runs again.
      expect(await engine.handlers.syncCrmNow({})).toMatchObject({ status: 'ok', rejected: 0 });
      const store = await engine.handlers.getProfileStore({});
      expect(store.customers).toBe(PROFILE_COUNT + 30);
      expect(store.sync.runs.reduce((n, r) => n + r.inserted, 0)).toBe(30);
      // Saving again without a token keeps the saved one.
      await engine.handlers.configureCrmSync({ kind: 'http', url: crm.url, everyMinutes: 30 });
      expect(await engine.handlers.syncCrmNow({})).toMatchObject({ status: 'ok', error: null }); // a lost token would be a 401
    } finally {
      await crm.close();
    }
    const off = await engine.handlers.configureCrmSync({ kind: 'off' });
    expect(off.sync).toMatchObject({ setting: { kind: 'off' }, running: false, runs: [] });
    await expect(engine.handlers.syncCrmNow({})).rejects.toThrow('no CRM sync');
  });

  it('imports a file sent in chunks: preview with a suggested mapping, progress, report', async () => {
    engine = new Engine({ dataDir: tempDir(), version: 't', demo: { seed: 3, rate: 50 } });
    engine.start();
    const progress: { done: number; total: number }[] = [];
    engine.onPush((p) => p.stream === 'importProgress' && progress.push(p.payload as { done: number; total: number }));
    const rows = Array.from({ length: 4_500 }, (_, i) => `imp_${i},客户${i},1380000${String(i).padStart(4, '0')},dy_imp_${i},VIP`);
    const file = Buffer.from(['\uFEFF客户ID,昵称,手机号,抖音号,标签,备注', ...rows, 'null,,0,-1,,'].join('\r\n'));
    const { uploadId } = await engine.handlers.beginImport({ fileName: 'export.csv', size: file.length });
    const chunk = 64 * 1024;
    for (let offset = 0; offset < file.length; offset += chunk) {
      await engine.handlers.importChunk({ uploadId, offset, data: file.subarray(offset, offset + chunk).toString('base64') });
    }
    expect(() => engine!.handlers.importChunk({ uploadId, offset: 5, data: 'AAAA' })).toThrow('expected');
    const preview = await engine.handlers.previewImport({ uploadId });
    expect(preview).toMatchObject({ fileName: 'export.csv', encoding: 'utf-8-bom', format: 'csv', rowCount: 4_501 });
    expect(preview.header).toEqual(['客户ID', '昵称', '手机号', '抖音号', '标签', '备注']);
    expect(preview.suggested).toEqual({ 客户ID: 'crm_id', 昵称: 'name', 手机号: 'phone', 抖音号: 'douyin_uid', 标签: 'tags', 备注: '' });
    expect(preview.rows[0]).toEqual(['imp_0', '客户0', '13800000000', 'dy_imp_0', 'VIP', '']);
    await expect(engine.handlers.runImport({ uploadId, mapping: { 客户ID: 'password' } })).rejects.toThrow('unknown profile field');

    const mapping = Object.fromEntries(Object.entries(preview.suggested).filter(([, f]) => f !== ''));
    const report = await engine.handlers.runImport({ uploadId, mapping });
    expect(report).toMatchObject({ rows: 4_501, inserted: 4_500, rejected: 1, rejections: [{ row: 4_501, reason: expect.stringContaining('junk') }] });
    expect(progress.length).toBeGreaterThan(1); // batches, not one block
    expect(progress.at(-1)).toEqual({ uploadId, done: 4_501, total: 4_501 });
    const store = await engine.handlers.getProfileStore({});
    expect(store.imports[0]).toMatchObject({ file: 'export.csv', inserted: 4_500, rejected: 1 });
    expect(() => engine!.handlers.previewImport({ uploadId })).toThrow('no such upload'); // discarded once imported
  });

  it('cuts the live room by a segment ops save, from the moment it is saved', async () => {
    ({ engine } = engineWithCrm());
    engine.start();
    const views = await engine.handlers.saveSegment({ id: 'moms', name: '宝妈', tree: { tag: '宝妈' } });
    expect(views.at(-1)).toEqual({ id: 'moms', name: '宝妈', tree: { tag: '宝妈' }, builtin: false });
    expect(() => engine!.handlers.saveSegment({ id: 'bad', name: '坏', tree: { all: 'x' } })).toThrow('invalid condition tree');
    const deadline = Date.now() + 15_000;
    for (;;) {
      const moms = (await engine.handlers.getSnapshot({})).segments.find((s) => s.segment === 'moms');
      if (moms && moms.uv > 0) break;
      if (Date.now() > deadline) throw new Error('no 宝妈 in the room');
      await new Promise((r) => setTimeout(r, 100));
    }
    await engine.handlers.removeSegment({ id: 'moms' });
    expect((await engine.handlers.getSnapshot({})).segments.map((s) => s.segment)).not.toContain('moms');
  });
});
