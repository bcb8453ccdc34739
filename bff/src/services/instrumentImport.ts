import type { ImportReport, ImportRowError as RowError, SessionUser } from '@shared/api';
import { parseInstrumentCode } from '@shared/instrumentCode';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { Types } from 'mongoose';
import type { z } from 'zod';
import { AppError, badRequest } from '../errors';
import type { Models } from '../models';
import { canActInRegion } from '../policies';
import { IMPORT_COLUMN_LABELS, IMPORT_COLUMNS, ImportRow, MAX_IMPORT_ROWS, REQUIRED_IMPORT_COLUMNS, type ImportColumn } from '@shared/requests/instruments';
import { codeMismatch, insertInstruments, takenCodes, type NewInstrument } from './registry';

/**
 * CSV import of instruments. Columns (header row required, any order):
 *   business       credit code, platform id or business id
 *   category       category id (price_scale) or 4-digit code (0101)
 *   code           optional platform code; empty = issued by the platform
 *   externalCodes  optional, several separated by ';'
 *   model, serial, manufacturer, installLocation   optional text
 * Each row is checked by the API's create schema (ImportRow in shared/requests/instruments.ts), so
 * a file can hold nothing the API would refuse. Any other column name (including `__proto__`,
 * `constructor`) and a column given twice refuse the whole file. Every bad cell is reported with
 * its line and column. A file with errors imports nothing unless `partial` is set, in which case
 * the good rows are imported, all together or not at all. The bytes are decoded by decodeCsv().
 */
export { IMPORT_COLUMNS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '@shared/requests/instruments';

interface ParsedRow {
  line: number;
  /** One string per known column; absent columns are empty. */
  cells: Record<ImportColumn, string>;
}

export async function importInstrumentsCsv(models: Models, user: SessionUser, csv: string, partial: boolean): Promise<ImportReport> {
  const { header, rows } = parseCsv(csv);
  const errors: RowError[] = [];
  const good: Array<{ line: number; row: NewInstrument }> = [];
  const checked = rows.map(({ line, cells }) => ({ line, cells, result: ImportRow.safeParse(cells) }));
  const businesses = await lookupBusinesses(models, checked.flatMap(({ result }) => (result.success ? [result.data.business] : [])));
  const seenInFile = new Map<string, number>();

  for (const { line, cells, result } of checked) {
    const rowErrors: RowError[] = [];
    const fail = (column: ImportColumn, code: string, message: string, reason?: string) =>
      rowErrors.push({ line, column, columnNumber: header.get(column), code, message, ...(reason ? { reason } : {}) });
    if (!result.success) {
      for (const issue of firstIssuePerColumn(result.error.issues)) fail(issue.column, ...describeIssue(issue, cells));
      errors.push(...rowErrors);
      continue;
    }
    const { business: businessKey, ...fields } = result.data;
    const business = businesses.get(businessKey);
    if (!business || !canActInRegion(user, business.regionCode)) fail('business', 'BUSINESS_NOT_FOUND', '找不到该经营者（或不在本辖区）');
    if (fields.code && business) {
      const mismatch = codeMismatch(fields.code, business.regionCode, fields.category);
      if (mismatch) fail('code', mismatch.code, mismatch.message);
    }
    for (const c of [...(fields.code ? [fields.code] : []), ...fields.externalCodes]) {
      const earlier = seenInFile.get(c);
      if (earlier !== undefined) fail(c === fields.code ? 'code' : 'externalCodes', 'DUPLICATE_IN_FILE', `编码 ${c} 与第 ${earlier} 行重复`);
      else seenInFile.set(c, line);
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    good.push({ line, row: { ...fields, business: business!._id, regionCode: business!.regionCode } });
  }

  const taken = new Set(await takenCodes(models, good.flatMap((g) => (g.row.code ? [g.row.code] : [])), good.flatMap((g) => g.row.externalCodes)));
  const free = good.filter(({ line, row }) => {
    const clash = [...(row.code ? [row.code] : []), ...row.externalCodes].find((c) => taken.has(c));
    if (clash) {
      const column = clash === row.code ? 'code' : 'externalCodes';
      errors.push({ line, column, columnNumber: header.get(column), code: 'INSTRUMENT_CODE_TAKEN', message: `编码 ${clash} 已被其他器具使用` });
    }
    return !clash;
  });
  errors.sort((a, b) => a.line - b.line || (a.columnNumber ?? 0) - (b.columnNumber ?? 0));

  if (errors.length && !partial) return { imported: 0, failed: rows.length, errors, items: [] };
  const inserted = free.length
    ? await models.Instrument.db.transaction((session) => insertInstruments(models, free.map((g) => g.row), session))
    : [];
  return {
    imported: inserted.length,
    failed: rows.length - inserted.length,
    errors,
    items: inserted.map((doc, i) => ({ line: free[i].line, id: String(doc._id), code: doc.code, businessId: String(doc.business) })),
  };
}

/** Names that are not columns, however they are spelled: a header is matched against IMPORT_COLUMNS only. */
function isImportColumn(name: string): name is ImportColumn {
  return (IMPORT_COLUMNS as readonly string[]).includes(name);
}

/**
 * The header (column name to its 1-based position) and the data rows, each row's cells keyed by
 * the known columns only (absent columns are empty), so no header can reach an object's
 * prototype (`__proto__`, `constructor`).
 */
function parseCsv(csv: string): { header: Map<ImportColumn, number>; rows: ParsedRow[] } {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // One line end for csv-parse, which takes the first one it meets as the record delimiter and
    // miscounts lines after any other (a file edited in two programs mixes them). No cell may hold
    // a line break (textLine), so no stored value changes.
    records = parse(csv.replace(/\r\n?/g, '\n'), { skip_empty_lines: true, trim: true, info: true, relax_column_count: false }) as unknown as typeof records;
  } catch (err) {
    throw malformed(err as Error & { code?: string; lines?: number });
  }
  const [first, ...data] = records;
  if (!data.length) throw badRequest('CSV_EMPTY', 'CSV 文件没有数据行');
  if (data.length > MAX_IMPORT_ROWS) throw badRequest('CSV_TOO_MANY_ROWS', `一次最多导入 ${MAX_IMPORT_ROWS} 行`);
  const names = first.record;
  const unknown = names.filter((h) => !isImportColumn(h));
  const repeated = [...new Set(names.filter((h, i) => names.indexOf(h) < i))];
  const missing = REQUIRED_IMPORT_COLUMNS.filter((h) => !names.includes(h));
  if (unknown.length || missing.length || repeated.length) {
    const problems = [
      unknown.length && `未知的列 ${unknown.join('、')}`,
      missing.length && `缺少必填列 ${missing.join('、')}`,
      repeated.length && `列重复 ${repeated.join('、')}`,
    ].filter(Boolean);
    throw badRequest('CSV_BAD_HEADER', `表头不正确：${problems.join('；')}（第一行应为列名：${IMPORT_COLUMNS.join(',')}）`, { unknown, missing, repeated, expected: IMPORT_COLUMNS });
  }
  const header = new Map(names.map((name, i) => [name as ImportColumn, i + 1]));
  const rows = data.map(({ record, info }) => ({
    line: info.lines,
    cells: Object.fromEntries(IMPORT_COLUMNS.map((column) => [column, header.has(column) ? record[header.get(column)! - 1] : ''])) as Record<ImportColumn, string>,
  }));
  return { header, rows };
}

/** csv-parse's errors in Chinese, with the line they are on (its own messages are English). */
const MALFORMED_MESSAGES: Record<string, string> = {
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: '列数与表头不一致（多了或少了逗号）',
  CSV_QUOTE_NOT_CLOSED: '引号没有闭合',
  CSV_INVALID_CLOSING_QUOTE: '引号后面多了字符（引号内的引号要写成两个 ""）',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: '引号后面多了字符（引号内的引号要写成两个 ""）',
};

function malformed(err: Error & { code?: string; lines?: number }): AppError {
  const what = (err.code && MALFORMED_MESSAGES[err.code]) ?? '无法解析';
  const line = typeof err.lines === 'number' && err.lines > 0 ? err.lines : undefined;
  return badRequest('CSV_MALFORMED', `CSV 格式错误：${line ? `第 ${line} 行` : ''}${what}`, { ...(line ? { line } : {}), reason: err.code ?? 'CSV_PARSE' });
}

type Issue = z.core.$ZodIssue;

/** One error per cell: a cell with 45,000 bad codes is one error, not 45,000. */
function firstIssuePerColumn(issues: Issue[]): Array<Issue & { column: ImportColumn }> {
  const byColumn = new Map<ImportColumn, Issue & { column: ImportColumn }>();
  for (const issue of issues) {
    const column = String(issue.path[0] ?? '');
    if (isImportColumn(column) && !byColumn.has(column)) byColumn.set(column, { ...issue, column });
  }
  return [...byColumn.values()];
}

const REASON_MESSAGES: Record<string, string> = {
  EXTERNAL_CODE_LOOKS_LIKE_PLATFORM_CODE: '其他编码不能是平台识别码的形式（19 位数字）',
  EXTERNAL_CODE_LOOKS_LIKE_URL: '其他编码不能是网址',
  EXTERNAL_CODE_FORMAT: '其他编码含有不允许的字符',
  EXTERNAL_CODE_REPEATED: '同一编码重复填写',
};

/** The row error for a schema issue: a stable code, the issue's reason, a message for people. */
function describeIssue(issue: Issue & { column: ImportColumn }, cells: Record<ImportColumn, string>): [code: string, message: string, reason: string] {
  const label = IMPORT_COLUMN_LABELS[issue.column];
  const reason = /^[A-Z][A-Z0-9_]+$/.test(issue.message) ? issue.message : issue.code;
  if (issue.column === 'category') return ['UNKNOWN_CATEGORY', '未知的器具类别', reason];
  if (issue.column === 'business') return ['BUSINESS_NOT_FOUND', '找不到该经营者（或不在本辖区）', reason];
  if (issue.column === 'code') {
    const parsed = parseInstrumentCode(cells.code.trim());
    return ['INVALID_CODE', parsed.ok ? '识别码不正确' : parsed.message, reason];
  }
  if (issue.code === 'too_big') {
    const max = String(issue.maximum);
    const message = issue.origin === 'array' ? `${label}最多 ${max} 个` : issue.path.length > 1 ? `${label}中的编码过长（最多 ${max} 字）` : `${label}过长（最多 ${max} 字）`;
    return ['VALIDATION_FAILED', message, reason];
  }
  return ['VALIDATION_FAILED', REASON_MESSAGES[reason] ?? `${label}内容不正确`, reason];
}

async function lookupBusinesses(models: Models, keys: string[]) {
  const unique = [...new Set(keys.map((k) => k.trim()).filter(Boolean))];
  const ids = unique.filter((k) => /^[0-9a-f]{24}$/i.test(k)).map((k) => new Types.ObjectId(k));
  const upper = unique.map((k) => k.toUpperCase());
  const found = await models.Business.find(
    { $or: [{ _id: { $in: ids } }, { creditCode: { $in: upper } }, { platformId: { $in: upper } }] },
    { regionCode: 1, creditCode: 1, platformId: 1 },
  ).lean();
  const byKey = new Map<string, { _id: Types.ObjectId; regionCode: string }>();
  for (const b of found) {
    const entry = { _id: b._id as Types.ObjectId, regionCode: b.regionCode };
    byKey.set(String(b._id), entry);
    if (b.creditCode) byKey.set(b.creditCode, entry);
    if (b.platformId) byKey.set(b.platformId, entry);
  }
  // Keys are matched as typed, and credit codes / platform ids also in upper case.
  return new Map(unique.map((k) => [k, byKey.get(k) ?? byKey.get(k.toUpperCase())]).filter((e): e is [string, { _id: Types.ObjectId; regionCode: string }] => Boolean(e[1])));
}

/**
 * The text of an uploaded CSV. Chinese spreadsheets save CSV as GBK at least as often as UTF-8,
 * so the encoding is found, in this order: a byte-order mark; the `charset` the client declared;
 * strict UTF-8; GB18030 (a superset of GBK and GB2312). Bytes that are not text in that encoding
 * (or a NUL, which no text file holds) are refused with the line they are on, never stored as
 * mojibake.
 */
export function decodeCsv(bytes: Buffer, declaredCharset?: string): string {
  for (const [bom, encoding] of BOMS) {
    if (bytes.length >= bom.length && bom.every((b, i) => bytes[i] === b)) return decodeAs(bytes.subarray(bom.length), encoding);
  }
  if (declaredCharset) return decodeAs(bytes, declaredCharset.toLowerCase());
  const utf8 = decodeStrictly(bytes, 'utf-8');
  if (utf8.ok) return withoutNul(utf8.text);
  const gb = decodeStrictly(bytes, 'gb18030');
  if (gb.ok) return withoutNul(gb.text);
  // Neither fits: name the line where the likelier encoding (the one that read further) broke.
  throw undecodable(gb.line >= utf8.line ? gb : utf8);
}

const BOMS: Array<[number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
  [[0x84, 0x31, 0x95, 0x33], 'gb18030'],
];

type Decoded = { ok: true; text: string } | { ok: false; line: number; encoding: string };

function decodeAs(bytes: Buffer, encoding: string): string {
  const decoded = decodeStrictly(bytes, encoding);
  if (!decoded.ok) throw undecodable(decoded);
  return withoutNul(decoded.text);
}

function decodeStrictly(bytes: Buffer, encoding: string): Decoded {
  if (encoding === 'utf-8' || encoding === 'utf8') return decodeUtf8(bytes);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return firstReplacement(new TextDecoder(encoding).decode(bytes), encoding);
  if (!iconv.encodingExists(encoding)) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `不支持的字符编码：${String(encoding).slice(0, 40)}，请使用 UTF-8 或 GBK`);
  return firstReplacement(iconv.decode(bytes, encoding, { stripBOM: false }), encoding);
}

/** UTF-8 line by line: a newline byte never occurs inside a multi-byte character, so the failing line is exact. */
function decodeUtf8(bytes: Buffer): Decoded {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    let start = 0;
    for (let line = 1; ; line += 1) {
      const end = bytes.indexOf(0x0a, start);
      try {
        strict.decode(bytes.subarray(start, end < 0 ? bytes.length : end));
      } catch {
        return { ok: false, line, encoding: 'utf-8' };
      }
      if (end < 0) return { ok: false, line, encoding: 'utf-8' };
      start = end + 1;
    }
  }
}

/** Decoders that replace what they cannot read with U+FFFD: the first one marks the broken line. */
function firstReplacement(text: string, encoding: string): Decoded {
  const at = text.indexOf('\uFFFD');
  return at < 0 ? { ok: true, text } : { ok: false, line: lineAt(text, at), encoding };
}

function withoutNul(text: string): string {
  const at = text.indexOf('\u0000');
  if (at >= 0) throw undecodable({ line: lineAt(text, at), encoding: 'binary' });
  return text;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

const undecodable = ({ line, encoding }: { line: number; encoding: string }) =>
  badRequest('CSV_ENCODING', `第 ${line} 行含有无法识别的字符（不是有效的文本编码），请将文件另存为 UTF-8 或 GBK 编码的 CSV 后重试`, { line, encoding });
