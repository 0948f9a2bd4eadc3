import Database from 'better-sqlite3';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src-main/events/live-event';
import { sessionReport } from '../../src-main/review/report';
import { exportSessionFile, importSessionFile, SessionFileError } from '../../src-main/review/session-file';
import { sessionTable, toCsv, toXlsx } from '../../src-main/review/tables';
import { DemoRoom } from '../../src-main/sources/demo/demo-room';
import { migrate, openDb, type Db } from '../../src-main/storage/db';
import { EventWriter, readEvents } from '../../src-main/storage/event-log';
import { Recorder } from '../../src-main/storage/recorder';
import { Sessions } from '../../src-main/storage/sessions';
import { tempDir } from '../helpers/temp-dir';

const START = Date.UTC(2026, 10, 21, 12);

/** A recorded five-minute demo session with a note, and one hostile comment. */
function recorded(): { db: Db; id: string; events: LiveEvent[] } {
  const db = openDb(tempDir());
  const recorder = new Recorder(db, '双十一预热 / 第1场', ['demo']);
  const events: LiveEvent[] = new DemoRoom({ seed: 9, startTs: START, rate: 100 }).eventsUntil(START + 5 * 60_000);
  events.push({ kind: 'chat', id: 'evil', platform: 'douyin', roomId: 'r', ts: START + 5 * 60_000, recvTs: START + 5 * 60_000, user: { id: 'u-evil', name: '=HYPERLINK("x")' }, text: '<b>\u0001"好"</b>, =1+1' });
  for (const e of events) recorder.add(e);
  recorder.close();
  new Sessions(db).annotate(recorder.session.id, START + 60_000, '开场福袋');
  return { db, id: recorder.session.id, events };
}

const reportOf = (db: Db, id: string) => sessionReport(db, new Sessions(db), id)!;

describe('a portable session file', { timeout: 30_000 }, () => {
  it('carries the session to another machine: the same report, notes, and viewers as pseudonyms', () => {
    const { db, id, events } = recorded();
    const bytes = exportSessionFile(db, id, false);
    const elsewhere = openDb(tempDir());
    const imported = importSessionFile(elsewhere, bytes);
    expect(imported).toMatchObject({ events: events.length, rejected: 0, session: { id, title: '双十一预热 / 第1场', status: 'ended', events: events.length } });
    const [here, there] = [reportOf(db, id), reportOf(elsewhere, id)];
    expect(there.kpis).toEqual(here.kpis);
    expect(there.trend).toEqual(here.trend);
    expect(there.products).toEqual(here.products);
    expect(there.markers).toEqual(here.markers);
    const ids = new Set(events.flatMap((e) => (e.user ? [e.user.id] : [])));
    const names = new Set(events.flatMap((e) => (e.user && [...e.user.name].length > 3 ? [e.user.name] : [])));
    for (const e of readEvents(elsewhere, id)) {
      if (!e.user) continue;
      expect(ids.has(e.user.id)).toBe(false);
      expect(names.has(e.user.name)).toBe(false);
    }
    // Asked for, identities travel; the same file cannot come in twice.
    const withIds = openDb(tempDir());
    importSessionFile(withIds, exportSessionFile(db, id, true));
    expect([...readEvents(withIds, id)].find((e) => e.id === 'evil')?.user).toEqual({ id: 'u-evil', name: '=HYPERLINK("x")' });
    expect(() => importSessionFile(withIds, bytes)).toThrow('already here');
  });

  it('refuses what is not a session file, and takes nothing from a damaged one', () => {
    const { db, id } = recorded();
    const elsewhere = openDb(tempDir());
    const sessions = () => elsewhere.prepare('SELECT count(*) FROM sessions').pluck().get();
    expect(() => importSessionFile(elsewhere, Buffer.from('not sqlite at all'.repeat(100)))).toThrow(SessionFileError);
    const plainDb = new Database(':memory:');
    migrate(plainDb);
    expect(() => importSessionFile(elsewhere, plainDb.serialize())).toThrow('not a LiveDeck session file'); // a database, but no session file
    const damaged = new Database(exportSessionFile(db, id, false));
    damaged.prepare("UPDATE event_chunks SET data = x'00ff00ff' WHERE id = (SELECT max(id) FROM event_chunks)").run();
    expect(() => importSessionFile(elsewhere, damaged.serialize())).toThrow('damaged');
    expect(sessions()).toBe(0);
  });

  it('leaves out events that fail the event check, and says how many', () => {
    const { db, id, events } = recorded();
    const file = new Database(exportSessionFile(db, id, false));
    // A forged chunk whose events break the schema: a chat without text, an order with a negative amount.
    const forged = [
      { kind: 'chat', id: 'f1', platform: 'douyin', roomId: 'r', ts: START, recvTs: START },
      { kind: 'order_paid', id: 'f2', platform: 'douyin', roomId: 'r', ts: START, recvTs: START, orderId: 'o', productId: 'p', amountFen: -5 },
    ] as unknown as LiveEvent[];
    new EventWriter(file, id).append(forged);
    const imported = importSessionFile(openDb(tempDir()), file.serialize());
    expect(imported).toMatchObject({ events: events.length, rejected: 2 });
  });
});

describe('spreadsheets of a session', { timeout: 30_000 }, () => {
  it('writes one workbook of minutes, orders and events with masked viewers, and CSVs a spreadsheet cannot run', () => {
    const { db, id, events } = recorded();
    const report = reportOf(db, id);
    const files = unzipSync(toXlsx(db, report, false));
    const workbook = strFromU8(files['xl/workbook.xml']);
    expect([...workbook.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1])).toEqual(['分钟', '订单', '事件']);
    const rows = (n: number) => strFromU8(files[`xl/worksheets/sheet${n}.xml`]).match(/<row>/g)!.length;
    expect(rows(1)).toBe(report.trend.length + 1);
    expect(rows(2)).toBe(events.filter((e) => e.kind.startsWith('order_')).length + 1);
    expect(rows(3)).toBe(events.length + 1);
    const sheet3 = strFromU8(files['xl/worksheets/sheet3.xml']);
    expect(sheet3).toContain('&lt;b&gt;&quot;好&quot;&lt;/b&gt;, =1+1'); // escaped, control character dropped
    expect(sheet3).not.toContain('HYPERLINK("x")');
    expect(sheet3).not.toContain('\u0001');

    const csv = toCsv(sessionTable(db, report, 'events', true)).toString('utf8');
    expect(csv.startsWith('\uFEFFtime,platform,kind,user,detail\r\n')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""x"") (u-evil)","<b>\u0001""好""</b>, =1+1"`);
    const orders = toCsv(sessionTable(db, report, 'orders', false)).toString('utf8').trimEnd().split('\r\n');
    expect(orders[0]).toBe('\uFEFFtime,platform,kind,order_id,product_id,amount_yuan,coupon_id,user');
    expect(orders.length).toBe(events.filter((e) => e.kind.startsWith('order_')).length + 1);
  });
});
