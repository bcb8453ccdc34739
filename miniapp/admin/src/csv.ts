/**
 * CSV files the workspace writes (the import template, the error report) and reads back (the
 * rows of an uploaded file, to show each bad row's own cells). Written for Excel on Chinese
 * Windows: UTF-8 with a byte-order mark (without one Excel reads the bytes as GBK and shows
 * mojibake), CRLF line ends, fields quoted per RFC 4180.
 */

const BOM = '\uFEFF';

/**
 * A cell that starts like a formula (= + - @, or a tab / CR that some spreadsheets skip before
 * one) is run by the spreadsheet when the file is opened ("CSV injection"); a leading ' makes
 * it text. Error reports repeat what others typed, so every cell goes through this.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: neutralised if it looks like a formula, quoted when it holds a comma, quote, CR, LF or edge spaces. */
export function csvField(value: unknown): string {
  let text = value == null ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The text of a CSV file (BOM, CRLF after every record) for these rows. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  return BOM + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Offers `text` as a download named `fileName` (a CSV Blob through a temporary link). */
export function downloadCsv(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: some browsers start reading the Blob only after click() has returned.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The text of an uploaded file, found the way the BFF finds it (bff/src/services/instrumentImport.ts
 * decodeCsv): a byte-order mark, else strict UTF-8, else GB18030 (what Excel on Chinese Windows
 * saves). Null when it is neither: the server then says why.
 */
export function decodeCsvBytes(bytes: Uint8Array): string | null {
  const starts = (...b: number[]) => b.every((x, i) => bytes[i] === x);
  const attempt = (encoding: string, from = 0) => {
    try {
      return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(from));
    } catch {
      return null;
    }
  };
  if (starts(0xef, 0xbb, 0xbf)) return attempt('utf-8', 3);
  if (starts(0xff, 0xfe)) return attempt('utf-16le', 2);
  if (starts(0xfe, 0xff)) return attempt('utf-16be', 2);
  return attempt('utf-8') ?? attempt('gb18030');
}

export interface CsvRecord {
  /** The line the record ends on (the header is line 1): the line number the BFF reports. */
  line: number;
  cells: string[];
}

/**
 * The records of a CSV text per RFC 4180 (quoted fields may hold commas, quotes and line
 * breaks), cells trimmed and blank lines skipped as the BFF's parser does. Lenient: a broken
 * quote does not throw (the server reports it); the records read so far are kept.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let inQuotes = false;
  const endCell = () => {
    cells.push(quoted ? cell : cell.trim());
    cell = '';
    quoted = false;
  };
  const endRecord = () => {
    endCell();
    if (cells.length > 1 || cells[0] !== '') records.push({ line, cells });
    cells = [];
  };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') inQuotes = false;
      else {
        // CRLF, LF and a lone CR each end one line, as the BFF counts them.
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line += 1;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      inQuotes = true;
      quoted = true;
      cell = '';
    } else if (ch === ',') endCell();
    else if (ch === '\n' || ch === '\r') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      line += 1;
    } else cell += ch;
  }
  if (cell !== '' || cells.length) endRecord();
  return records;
}
