import type { SessionUser } from '@shared/api';
import { findCategory } from '@shared/catalogue';
import { parse } from 'csv-parse/sync';
import { Types } from 'mongoose';
import { badRequest } from '../errors';
import type { Models } from '../models';
import { canActInRegion } from '../policies';
import { codeMismatch, insertInstruments, takenCodes, type NewInstrument } from './registry';

/**
 * CSV import of instruments. Columns (header row required, any order):
 *   business       credit code, platform id or business id
 *   category       category id (price_scale) or 4-digit code (0101)
 *   code           optional platform code; empty = issued by the platform
 *   externalCodes  optional, several separated by ';'
 *   model, serial, manufacturer, installLocation   optional text
 * Every bad row is reported with its line number. A file with errors imports nothing unless
 * `partial` is set, in which case the good rows are imported, all together or not at all.
 */
export const IMPORT_COLUMNS = ['business', 'category', 'code', 'externalCodes', 'model', 'serial', 'manufacturer', 'installLocation'] as const;
export const MAX_IMPORT_ROWS = 5000;

export interface RowError {
  line: number;
  column?: string;
  code: string;
  message: string;
}

export interface ImportReport {
  imported: number;
  failed: number;
  errors: RowError[];
  items: Array<{ line: number; id: string; code: string }>;
}

interface ParsedRow {
  line: number;
  record: Record<string, string>;
}

export async function importInstrumentsCsv(models: Models, user: SessionUser, csv: string, partial: boolean): Promise<ImportReport> {
  const rows = parseCsv(csv);
  const errors: RowError[] = [];
  const good: Array<{ line: number; row: NewInstrument }> = [];
  const businesses = await lookupBusinesses(models, rows.map((r) => r.record.business ?? ''));
  const seenInFile = new Map<string, number>();

  for (const { line, record } of rows) {
    const rowErrors: RowError[] = [];
    const fail = (column: string, code: string, message: string) => rowErrors.push({ line, column, code, message });
    const business = businesses.get((record.business ?? '').trim());
    if (!business || !canActInRegion(user, business.regionCode)) fail('business', 'BUSINESS_NOT_FOUND', '找不到该经营者（或不在本辖区）');
    const category = findCategory((record.category ?? '').trim());
    if (!category) fail('category', 'UNKNOWN_CATEGORY', '未知的器具类别');
    const code = (record.code ?? '').trim() || undefined;
    if (code && business && category) {
      const mismatch = codeMismatch(code, business.regionCode, category.id);
      if (mismatch) fail('code', mismatch.code, mismatch.message);
    }
    const externalCodes = (record.externalCodes ?? '').split(';').map((s) => s.trim()).filter(Boolean);
    for (const c of [...(code ? [code] : []), ...externalCodes]) {
      const earlier = seenInFile.get(c);
      if (earlier !== undefined) fail(c === code ? 'code' : 'externalCodes', 'DUPLICATE_IN_FILE', `编码 ${c} 与第 ${earlier} 行重复`);
      else seenInFile.set(c, line);
    }
    for (const column of ['model', 'serial', 'manufacturer', 'installLocation'] as const) {
      if ((record[column] ?? '').length > 200) fail(column, 'TOO_LONG', '内容过长（最多 200 字）');
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    good.push({
      line,
      row: {
        business: business!._id,
        regionCode: business!.regionCode,
        category: category!.id,
        code,
        externalCodes,
        model: (record.model ?? '').trim(),
        serial: (record.serial ?? '').trim(),
        manufacturer: (record.manufacturer ?? '').trim(),
        installLocation: (record.installLocation ?? '').trim(),
      },
    });
  }

  const taken = new Set(await takenCodes(models, good.flatMap((g) => (g.row.code ? [g.row.code] : [])), good.flatMap((g) => g.row.externalCodes)));
  const free = good.filter(({ line, row }) => {
    const clash = [...(row.code ? [row.code] : []), ...row.externalCodes].find((c) => taken.has(c));
    if (clash) errors.push({ line, column: clash === row.code ? 'code' : 'externalCodes', code: 'INSTRUMENT_CODE_TAKEN', message: `编码 ${clash} 已被其他器具使用` });
    return !clash;
  });
  errors.sort((a, b) => a.line - b.line);

  if (errors.length && !partial) return { imported: 0, failed: rows.length, errors, items: [] };
  const inserted = free.length
    ? await models.Instrument.db.transaction((session) => insertInstruments(models, free.map((g) => g.row), session))
    : [];
  return {
    imported: inserted.length,
    failed: rows.length - inserted.length,
    errors,
    items: inserted.map((doc, i) => ({ line: free[i].line, id: String(doc._id), code: doc.code })),
  };
}

function parseCsv(csv: string): ParsedRow[] {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: false });
  } catch (err) {
    throw badRequest('CSV_MALFORMED', `CSV 格式错误：${(err as Error).message}`);
  }
  if (!records.length) throw badRequest('CSV_EMPTY', 'CSV 文件没有数据行');
  if (records.length > MAX_IMPORT_ROWS) throw badRequest('CSV_TOO_MANY_ROWS', `一次最多导入 ${MAX_IMPORT_ROWS} 行`);
  const header = Object.keys(records[0].record);
  const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
  const missing = (['business', 'category'] as const).filter((h) => !header.includes(h));
  if (unknown.length || missing.length) throw badRequest('CSV_BAD_HEADER', '表头不正确', { unknown, missing, expected: IMPORT_COLUMNS });
  return records.map(({ record, info }) => ({ line: info.lines, record }));
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
