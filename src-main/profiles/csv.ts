// A small RFC 4180 reader: comma-separated fields, double-quoted fields that may hold commas, newlines
// and doubled quotes, CRLF or LF line ends. Blank lines are skipped. Unquoted runs are sliced out of
// the text whole rather than built a character at a time. A long text can be read a number of rows
// at a time (`readCsvRows`), so that a caller can let the event loop turn in between, and its rows
// counted without reading them (`countCsvRows`).
const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

export function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (let at = 0; at < text.length; ) at = readCsvRows(text, at, Infinity, rows);
  return rows;
}

/**
 * Reads rows of `text` from `from` (the start of a row) into `rows` until `count` more are read or the
 * text ends; returns where it stopped, which is where the next row starts.
 */
export function readCsvRows(text: string, from: number, count: number, rows: string[][]): number {
  const enough = rows.length + count;
  let row: string[] = [];
  /** The field so far, up to `start`, where the unquoted run being scanned begins. */
  let field = '';
  let start = from;
  const endRow = (end: number) => {
    row.push(field + text.slice(start, end));
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      field += text.slice(start, i);
      [field, i] = quoted(text, i + 1, field);
      start = i;
    } else if (c === COMMA) {
      row.push(field + text.slice(start, i));
      field = '';
      start = ++i;
    } else if (c === LF || c === CR) {
      endRow(i);
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      start = i;
      if (rows.length >= enough) return i;
    } else i++;
  }
  if (field !== '' || start < text.length || row.length > 0) endRow(text.length);
  return text.length;
}

/** A quoted section opened just before `from`, appended to `field`; returns the field and where the section ends. */
function quoted(text: string, from: number, field: string): [string, number] {
  const close = closingQuote(text, from);
  const inside = text.slice(from, close === -1 ? text.length : close).replaceAll('""', '"');
  return [field + inside, close === -1 ? text.length : close + 1];
}

/** The quote that closes a quoted section opened just before `from` (doubled quotes are part of it), or -1. */
function closingQuote(text: string, from: number): number {
  for (let i = from; ; ) {
    const close = text.indexOf('"', i);
    if (close === -1 || text.charCodeAt(close + 1) !== QUOTE) return close;
    i = close + 2;
  }
}

/**
 * Counts rows of `text` from `from` (the start of a row) without reading their fields, skipping
 * blank lines as `readCsvRows` does, until `count` are counted or the text ends; returns how many it
 * counted and where it stopped, which is where the next row starts.
 */
export function countCsvRows(text: string, from: number, count: number): [counted: number, at: number] {
  let counted = 0;
  let i = from;
  while (i < text.length && counted < count) {
    const start = i;
    for (let c = text.charCodeAt(i); i < text.length && c !== LF && c !== CR; c = text.charCodeAt(i)) {
      if (c !== QUOTE) i++;
      else {
        const close = closingQuote(text, i + 1);
        i = close === -1 ? text.length : close + 1;
      }
    }
    // A row of nothing, or of one empty quoted field (closed, or left open at the end), is blank.
    const emptyQuoted = text.charCodeAt(start) === QUOTE && (i === start + 1 ? i === text.length : i === start + 2 && text.charCodeAt(start + 1) === QUOTE);
    if (i !== start && !emptyQuoted) counted++;
    if (i < text.length) i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
  }
  return [counted, i];
}
