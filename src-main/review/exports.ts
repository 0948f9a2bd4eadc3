// What a recorded session exports as, by the user's choice: its portable session file, one XLSX
// workbook of its minutes, orders and events, or one of those tables as CSV, each with a file name
// made from the session's title and date.
import type { SessionExport, SessionReport } from '../contract';
import type { Db } from '../storage/db';
import { exportSessionFile } from './session-file';
import { sessionTable, toCsv, toXlsx } from './tables';

export interface ExportFile {
  fileName: string;
  mime: string;
  bytes: Buffer;
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_MIME = 'text/csv;charset=utf-8';

export function sessionExport(db: Db, report: SessionReport, as: SessionExport, identities: boolean): ExportFile {
  const { summary } = report;
  const date = new Date(summary.startedAt).toISOString().slice(0, 10);
  const base = `${summary.title.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 60) || 'session'}-${date}`;
  switch (as) {
    case 'session_file':
      return { fileName: `${base}.livedeck`, mime: 'application/vnd.sqlite3', bytes: exportSessionFile(db, summary.id, identities) };
    case 'xlsx':
      return { fileName: `${base}.xlsx`, mime: XLSX_MIME, bytes: toXlsx(db, report, identities) };
    case 'minutes_csv':
    case 'orders_csv':
    case 'events_csv': {
      const table = as === 'minutes_csv' ? 'minutes' : as === 'orders_csv' ? 'orders' : 'events';
      return { fileName: `${base}-${table}.csv`, mime: CSV_MIME, bytes: toCsv(sessionTable(db, report, table, identities)) };
    }
  }
}
