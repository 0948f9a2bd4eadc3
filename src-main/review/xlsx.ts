// A minimal Office Open XML workbook (.xlsx): one sheet per table, a header row then rows of strings
// and numbers, written as the zip streams (fflate) so a million-row sheet never exists as one string.
// Strings are inline (never formulas) and stripped of characters XML cannot carry.
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';

export type Cell = string | number | null;

export interface Sheet {
  name: string;
  header: string[];
  rows: Iterable<Cell[]>;
}

/** Excel's row limit, header included. */
const MAX_ROWS = 1_048_576;
const ROWS_PER_PUSH = 2_000;

const CONTENT_TYPES = (sheets: number) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
  `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
  `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
  Array.from({ length: sheets }, (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
  `</Types>`;
const ROOT_RELS =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const STYLES =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
  `<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>` +
  `<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf xfId="0"/></cellXfs></styleSheet>`;

const workbook = (names: string[]) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` +
  names.map((name, i) => `<sheet name="${escape(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
  `</sheets></workbook>`;
const workbookRels = (sheets: number) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  Array.from({ length: sheets }, (_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
  `<Relationship Id="rId${sheets + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

/** Characters XML 1.0 cannot hold (controls but tab and newlines, lone surrogates, U+FFFE/FFFF) are dropped. */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escape(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cell(value: Cell): string {
  if (value === null) return '<c/>';
  if (typeof value === 'number') return Number.isFinite(value) ? `<c><v>${value}</v></c>` : '<c/>';
  return `<c t="inlineStr"><is><t xml:space="preserve">${escape(value)}</t></is></c>`;
}

/** The workbook's bytes. A sheet past Excel's row limit is cut there. */
export function xlsx(sheets: Sheet[]): Buffer {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    out.push(data);
  });
  const put = (path: string, text: string) => {
    const file = new ZipPassThrough(path);
    zip.add(file);
    file.push(strToU8(text), true);
  };
  put('[Content_Types].xml', CONTENT_TYPES(sheets.length));
  put('_rels/.rels', ROOT_RELS);
  put('xl/workbook.xml', workbook(sheets.map((s, i) => s.name.slice(0, 31) || `Sheet${i + 1}`)));
  put('xl/_rels/workbook.xml.rels', workbookRels(sheets.length));
  put('xl/styles.xml', STYLES);
  sheets.forEach((sheet, i) => {
    const file = new ZipDeflate(`xl/worksheets/sheet${i + 1}.xml`, { level: 6 });
    zip.add(file);
    let xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
    xml += `<row>${sheet.header.map(cell).join('')}</row>`;
    let rows = 1;
    for (const row of sheet.rows) {
      if (rows++ >= MAX_ROWS) break;
      xml += `<row>${row.map(cell).join('')}</row>`;
      if (rows % ROWS_PER_PUSH === 0) {
        file.push(strToU8(xml));
        xml = '';
      }
    }
    file.push(strToU8(`${xml}</sheetData></worksheet>`), true);
  });
  zip.end();
  return Buffer.concat(out);
}
