// What a recorded session exports as, by the user's choice: its portable session file, one XLSX
// workbook of its minutes, orders and events, one of those tables as CSV, or the raw frames its
// sources kept (NDJSON, as they came: for whoever debugs an adapter), each with a file name made from
// the session's title and date.
import type { SessionExport, SessionReport } from '../contract';
import type { Db } from '../storage/db';
import { readRawFrames } from '../storage/raw-frames';
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
    case 'raw_frames':
      return { fileName: `${base}-raw-frames.ndjson`, mime: 'application/x-ndjson', bytes: rawFramesNdjson(db, summary.id) };
    case 'minutes_csv':
    case 'orders_csv':
    case 'events_csv': {
      const table = as === 'minutes_csv' ? 'minutes' : as === 'orders_csv' ? 'orders' : 'events';
      return { fileName: `${base}-${table}.csv`, mime: CSV_MIME, bytes: toCsv(sessionTable(db, report, table, identities)) };
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One line per frame: its time, its source, and its text (or base64, for a binary frame). */
function rawFramesNdjson(db: Db, sessionId: string): Buffer {
  const lines: string[] = [];
  for (const frame of readRawFrames(db, sessionId)) {
    let text: string | undefined;
    try {
      text = utf8.decode(frame.data);
    } catch {
      text = undefined;
    }
    lines.push(JSON.stringify({ ts: frame.ts, source: frame.sourceId, ...(text !== undefined ? { text } : { base64: frame.data.toString('base64') }) }));
  }
  if (lines.length === 0) throw new Error('no raw frames were kept for this session (a source keeps them when its "keep raw frames" box is ticked)');
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}
