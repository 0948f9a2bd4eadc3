// A recorded session as tables for spreadsheets: its minutes (from its report), its orders, and every
// event, each with a header; as CSV (UTF-8 with a BOM, as Excel here expects) or one XLSX workbook.
// Viewers appear as masked nicknames unless the user asks for their identities (platform user id
// and full nickname); phone numbers and CRM data are never in a recording, so never in an export.
import type { SessionReport } from '../contract';
import type { LiveEvent } from '../events/live-event';
import type { Db } from '../storage/db';
import { readEvents } from '../storage/event-log';
import { maskName } from '../talking/greetings';
import { xlsx, type Cell, type Sheet } from './xlsx';

export const tableNames = ['minutes', 'orders', 'events'] as const;
export type TableName = (typeof tableNames)[number];

const ORDER_KINDS: ReadonlySet<string> = new Set(['order_created', 'order_paid', 'order_refund']);
const ENVELOPE: ReadonlySet<string> = new Set(['id', 'platform', 'roomId', 'ts', 'recvTs', 'user', 'kind', 'trafficSource']);

const time = (ts: number): string => new Date(ts).toISOString();
const yuan = (fen: number): number => fen / 100;

function who(e: LiveEvent, identities: boolean): string {
  if (!e.user) return '';
  return identities ? `${e.user.name} (${e.user.id})` : maskName(e.user.name);
}

/** The table's header and rows; events and orders are read from the recording as they are written out. */
export function sessionTable(db: Db, report: SessionReport, table: TableName, identities: boolean): Omit<Sheet, 'name'> {
  const id = report.summary.id;
  switch (table) {
    case 'minutes':
      return {
        header: ['minute', 'online', 'entries', 'comments', 'gmv_yuan'],
        rows: report.trend.map((m) => [time(m.t), m.online, m.entries, m.comments, yuan(m.gmvFen)]),
      };
    case 'orders':
      return {
        header: ['time', 'platform', 'kind', 'order_id', 'product_id', 'amount_yuan', 'coupon_id', 'user'],
        rows: (function* (): Generator<Cell[]> {
          for (const e of readEvents(db, id)) {
            if (!ORDER_KINDS.has(e.kind)) continue;
            const o = e as LiveEvent & { orderId: string; productId: string; amountFen: number; couponId?: string };
            yield [time(o.ts), o.platform, o.kind, o.orderId, o.productId, yuan(o.amountFen), o.couponId ?? null, who(e, identities)];
          }
        })(),
      };
    case 'events':
      return {
        header: ['time', 'platform', 'kind', 'user', 'detail'],
        rows: (function* (): Generator<Cell[]> {
          for (const e of readEvents(db, id)) yield [time(e.ts), e.platform, e.kind, who(e, identities), detail(e)];
        })(),
      };
  }
}

/** What the event says beyond its envelope: a comment's text, else its fields as JSON. */
function detail(e: LiveEvent): string {
  if (e.kind === 'chat') return e.text;
  const rest = Object.fromEntries(Object.entries(e).filter(([key]) => !ENVELOPE.has(key)));
  return Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
}

/** A CSV of the table. A text cell a spreadsheet would take for a formula (=, +, -, @) is quoted with a leading '. */
export function toCsv({ header, rows }: Omit<Sheet, 'name'>): Buffer {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The three tables as one workbook. */
export function toXlsx(db: Db, report: SessionReport, identities: boolean): Buffer {
  const names: Record<TableName, string> = { minutes: '分钟', orders: '订单', events: '事件' };
  return xlsx(tableNames.map((table) => ({ name: names[table], ...sessionTable(db, report, table, identities) })));
}
