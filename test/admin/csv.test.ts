/**
 * The workspace's CSV files (miniapp/admin/src/csv.ts, pages/import/report.ts): what Excel on
 * Chinese Windows needs to open them (BOM, CRLF, RFC 4180 quoting), formulas kept from running,
 * and the rows of an uploaded file read back with the line numbers the BFF reports.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { csvField, decodeCsvBytes, parseCsv, toCsv } from '../../miniapp/admin/src/csv';
import { columnText, errorReportCsv, goodRowCount, templateCsv } from '../../miniapp/admin/src/pages/import/report';
import { IMPORT_COLUMNS } from '@shared/requests/instruments';

/** The file as csv-parse (the BFF's parser) reads it, BOM removed. */
const readBack = (text: string) => parse(text, { bom: true, relax_column_count: true }) as string[][];

describe('writing CSV', () => {
  test('starts with a UTF-8 byte-order mark and ends every record with CRLF', () => {
    const text = toCsv([['行号', '原因'], [2, '未知的器具类别']]);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.slice(1)).toBe('行号,原因\r\n2,未知的器具类别\r\n');
  });

  test('quotes fields with commas, quotes or line breaks and doubles their quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('说 "好"')).toBe('"说 ""好"""');
    expect(csvField('第一行\n第二行')).toBe('"第一行\n第二行"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
  });

  test.each(['=1+1', '+86 138', '-2', '@SUM(A1)', '\t=cmd', '=HYPERLINK("http://x","点我")'])('makes %j text, not a formula', (cell) => {
    const [[back]] = readBack(toCsv([[cell]]));
    expect(back).toBe(`'${cell}`);
  });

  test('any cells come back unchanged through the BFF parser, but for the formula guard', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const back = readBack(toCsv(rows));
        expect(back).toEqual(rows.map((r) => r.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c))));
      }),
    );
  });
});

describe('reading an uploaded file', () => {
  // Excel writes CRLF between records and LF inside a cell (Alt+Enter); editors write LF throughout.
  test.each([['\n'], ['\r\n']])('gives each record the line the BFF reports for it (records ending %j, blank lines skipped, line breaks in cells counted)', (eol) => {
    const text = ['business,category', '', 'A,price_scale', '"B, 二号","多行\n备注"', 'C , 0101', ''].join(eol);
    const ours = parseCsv(text).map((r) => [r.line, r.cells]);
    const theirs = (parse(text, { skip_empty_lines: true, trim: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>).map((r) => [r.info.lines, r.record]);
    expect(ours).toEqual(theirs);
    expect(ours).toEqual([[1, ['business', 'category']], [3, ['A', 'price_scale']], [5, ['B, 二号', '多行\n备注']], [6, ['C', '0101']]]);
  });

  test('counts lines in a file that mixes line ends as the BFF does (it reads CRLF, LF and CR alike)', () => {
    const text = 'business,category\r\nA,"x\r\ny"\nB,"p\rq"\rC,0101\r\n';
    const theirs = (parse(text.replace(/\r\n?/g, '\n'), { skip_empty_lines: true, trim: true, info: true }) as unknown as Array<{ info: { lines: number } }>).map((r) => r.info.lines);
    expect(parseCsv(text).map((r) => r.line)).toEqual(theirs);
    expect(theirs).toEqual([1, 3, 5, 6]);
  });

  test('reads UTF-8 with or without BOM and GBK, as the BFF does', () => {
    const text = 'business,installLocation\nX,一号摊位\n';
    expect(decodeCsvBytes(new Uint8Array(Buffer.from(text)))).toBe(text);
    expect(decodeCsvBytes(new Uint8Array(Buffer.from(`\uFEFF${text}`)))).toBe(text);
    expect(decodeCsvBytes(new Uint8Array(iconv.encode(text, 'gbk')))).toBe(text);
  });
});

describe('the import files', () => {
  const errors = [
    { line: 3, column: 'category', columnNumber: 2, code: 'UNKNOWN_CATEGORY', message: '未知的器具类别', reason: 'invalid_value' },
    { line: 5, column: 'business', columnNumber: 1, code: 'BUSINESS_NOT_FOUND', message: '找不到该经营者（或不在本辖区）' },
  ];
  const file = 'business,category,model\nA,price_scale,m1\nA,teapot,"=cmd|x"\nA,0101,m3\nZ,price_scale,m4\n';

  test('the error report lists line, column, code and reason, then the bad row as it was in the file', () => {
    expect(readBack(errorReportCsv(errors, file))).toEqual([
      ['行号', '列', '错误代码', '原因', 'business', 'category', 'model'],
      ['3', '器具类别（category，第 2 列）', 'UNKNOWN_CATEGORY', '未知的器具类别', 'A', 'teapot', "'=cmd|x"],
      ['5', '经营者（business，第 1 列）', 'BUSINESS_NOT_FOUND', '找不到该经营者（或不在本辖区）', 'Z', 'price_scale', 'm4'],
    ]);
    expect(readBack(errorReportCsv(errors, null))[1]).toEqual(['3', '器具类别（category，第 2 列）', 'UNKNOWN_CATEGORY', '未知的器具类别']);
  });

  test('counts the good rows of a refused file: data rows minus the lines with an error', () => {
    expect(goodRowCount({ failed: 4, errors: [...errors, { ...errors[0], column: 'model', code: 'VALIDATION_FAILED' }] })).toBe(2);
    expect(columnText({})).toBe('整行');
  });

  test('the template has every column and an example row the BFF parser reads', () => {
    const [header, example] = readBack(templateCsv('91370102MA3C00001E'));
    expect(header).toEqual(IMPORT_COLUMNS);
    expect(example[0]).toBe('91370102MA3C00001E');
    expect(example[1]).toBe('price_scale');
  });
});
