import type { ImportReport, ImportRowError } from '@shared/api';
import { IMPORT_COLUMN_LABELS, IMPORT_COLUMNS, type ImportColumn } from '@shared/requests/instruments';
import { parseCsv, toCsv } from '../../csv';

/** "器具类别（category，第 2 列）": the column as people name it, as the file names it, and where it is. */
export function columnText(error: Pick<ImportRowError, 'column' | 'columnNumber'>): string {
  if (!error.column) return '整行';
  const label = IMPORT_COLUMN_LABELS[error.column as ImportColumn];
  const where = [error.column, error.columnNumber ? `第 ${error.columnNumber} 列` : ''].filter(Boolean).join('，');
  return label ? `${label}（${where}）` : where;
}

/** How many rows a partial import would take: the data rows minus those with an error. */
export function goodRowCount(report: Pick<ImportReport, 'failed' | 'errors'>): number {
  return Math.max(0, report.failed - new Set(report.errors.map((e) => e.line)).size);
}

/**
 * The error report: one record per error (行号, 列, 错误代码, 原因), followed by the bad row's own
 * cells under the file's own header when the file's text is at hand, so it can be fixed from the
 * report alone.
 */
export function errorReportCsv(errors: readonly ImportRowError[], fileText: string | null): string {
  const records = fileText ? parseCsv(fileText) : [];
  const [header, ...rows] = records;
  const byLine = new Map(rows.map((r) => [r.line, r.cells]));
  return toCsv([
    ['行号', '列', '错误代码', '原因', ...(header?.cells ?? [])],
    ...errors.map((e) => [e.line, columnText(e), e.code, e.message, ...(byLine.get(e.line) ?? [])]),
  ]);
}

/** The template: the header row and one example row for `business` (a credit code or platform id of the user's region). */
export function templateCsv(business: string): string {
  const example: Record<ImportColumn, string> = {
    business,
    category: 'price_scale',
    code: '',
    externalCodes: '',
    model: 'ACS-15',
    serial: '',
    manufacturer: '上海友声',
    installLocation: '1 号摊位',
  };
  return toCsv([IMPORT_COLUMNS, IMPORT_COLUMNS.map((c) => example[c])]);
}

/** What each column holds, for the screen's description (the template's header row uses the names). */
export const COLUMN_HELP: ReadonlyArray<{ column: ImportColumn; required: boolean; help: string }> = [
  { column: 'business', required: true, help: '统一社会信用代码、平台编号或经营者 ID，须在本辖区' },
  { column: 'category', required: true, help: '类别标识（如 price_scale）或 4 位类别代码（如 0101）' },
  { column: 'code', required: false, help: '平台识别码（19 位）；留空则由平台编发' },
  { column: 'externalCodes', required: false, help: '出厂码、资产码等，多个用英文分号 ; 分隔' },
  { column: 'model', required: false, help: '型号' },
  { column: 'serial', required: false, help: '出厂编号' },
  { column: 'manufacturer', required: false, help: '制造商' },
  { column: 'installLocation', required: false, help: '安装位置，如“1 号摊位”' },
];
