import iconv from 'iconv-lite';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * A CSV import is held to the same field rules as the API, whatever encoding the spreadsheet
 * saved it in, and its header names only known columns.
 */
let app: TestApp;
let lixia: string;
let stallId: string;

beforeAll(async () => {
  app = await startTestApp();
  lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  stallId = (await app.request('/api/v1/admin/businesses', { token: lixia, body: { name: '历下区某干货摊', industry: 'market', regionCode: '370102' } })).body.id;
});
afterAll(() => app.stop());

/** Posts raw bytes, as a browser uploading a file does. */
async function post(bytes: Buffer | string, contentType = 'text/csv') {
  const res = await fetch(`${app.url}/api/v1/admin/instruments/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${lixia}`, 'content-type': contentType },
    body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}
const count = () => app.server.deps.models.Instrument.countDocuments();
const header = 'business,category,model,installLocation';

describe('each CSV row passes the API create schema', () => {
  it('refuses a row with 45,000 external codes (3 MB) without storing it or echoing it back', async () => {
    const before = await count();
    const codes = Array.from({ length: 45_000 }, (_, i) => `EXT-${String(i).padStart(60, '0')}`).join(';');
    const res = await post(`business,category,externalCodes\n${stallId},price_scale,${codes}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('IMPORT_REJECTED');
    expect(res.body.error.details.errors).toEqual([expect.objectContaining({ line: 2, column: 'externalCodes', columnNumber: 3, code: 'VALIDATION_FAILED' })]);
    expect(res.text.length).toBeLessThan(2_000);
    expect(await count()).toBe(before);
  });

  it('applies the API limits and formats, each error with its line and column', async () => {
    const csv = [
      'business,category,externalCodes,model,serial',
      `${stallId},price_scale,,${'M'.repeat(101)},`, // line 2: model longer than the API allows
      `${stallId},price_scale,A;A,,`, // line 3: the same external code twice
      `${stallId},price_scale,${'X'.repeat(65)},,S-1`, // line 4: an external code too long
      `${stallId},price_scale,,ok,${'S'.repeat(101)}`, // line 5: serial too long
    ].join('\n');
    const res = await post(csv);
    expect(res.status).toBe(400);
    const errors = res.body.error.details.errors.map((e: { line: number; column: string; columnNumber: number; reason: string }) => [e.line, e.column, e.columnNumber, e.reason]);
    expect(errors).toEqual([
      [2, 'model', 4, 'too_big'],
      [3, 'externalCodes', 3, 'EXTERNAL_CODE_REPEATED'],
      [4, 'externalCodes', 3, 'too_big'],
      [5, 'serial', 5, 'too_big'],
    ]);
    for (const e of res.body.error.details.errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('CSV encodings', () => {
  const row = () => `${stallId},price_scale,友声 ACS-15,东区 3 号摊位`;
  const storedLocation = async (id: string) => (await app.server.deps.models.Instrument.findById(id).lean())!.installLocation;

  it('stores a GBK file (as Excel saves it in China) as the Chinese text it holds', async () => {
    const res = await post(iconv.encode(`${header}\r\n${row()}\r\n`, 'gbk'));
    expect(res.status).toBe(200);
    expect(await storedLocation(res.body.items[0].id)).toBe('东区 3 号摊位');
  });

  it('reads UTF-8 with and without a BOM, and UTF-16 with its BOM', async () => {
    for (const bytes of [
      Buffer.from(`${header}\n${row()}\n`, 'utf8'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${header}\n${row()}\n`, 'utf8')]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}\n${row()}\n`, 'utf16le')]),
    ]) {
      const res = await post(bytes);
      expect(res.status).toBe(200);
      expect(await storedLocation(res.body.items[0].id)).toBe('东区 3 号摊位');
    }
  });

  it('honours a declared charset', async () => {
    const res = await post(iconv.encode(`${header}\n${row()}\n`, 'gbk'), 'text/csv; charset=GB2312');
    expect(res.status).toBe(200);
    expect(await storedLocation(res.body.items[0].id)).toBe('东区 3 号摊位');
    const unknown = await post(`${header}\n${row()}\n`, 'text/csv; charset=x-klingon');
    expect(unknown.status).toBe(415);
    expect(unknown.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses bytes that are not text in the declared (or any supported) encoding with a 400 naming the line', async () => {
    const before = await count();
    const gbk = await post(iconv.encode(`${header}\n${stallId},price_scale,,\n${row()}\n`, 'gbk'), 'text/csv; charset=utf-8');
    expect(gbk.status).toBe(400);
    expect(gbk.body.error).toMatchObject({ code: 'CSV_ENCODING', details: { line: 3 } });
    expect(gbk.body.error.message).toContain('第 3 行');
    const junk = Buffer.concat([Buffer.from(`${header}\n${stallId},price_scale,,\n`), Buffer.from([0xff, 0xfe, 0xfd, 0x0a])]);
    const res = await post(Buffer.concat([Buffer.from('\n'), junk]));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'CSV_ENCODING', details: { line: 4 } });
    const nul = await post(`${header}\n${stallId},price_scale,a\u0000b,\n`);
    expect(nul.status).toBe(400);
    expect(nul.body.error).toMatchObject({ code: 'CSV_ENCODING', details: { line: 2 } });
    expect(await count()).toBe(before);
  });

  it('refuses a body that is not CSV with 415', async () => {
    const res = await post(JSON.stringify({ csv: `${header}\n${row()}` }), 'application/json');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('CSV header', () => {
  it.each(['__proto__', 'constructor', 'prototype', 'toString'])('refuses a column named %s, naming it', async (name) => {
    const res = await post(`business,category,${name}\n${stallId},price_scale,x\n`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'CSV_BAD_HEADER', details: { unknown: [name] } });
  });

  it('refuses a column given twice', async () => {
    const res = await post(`business,category,model,model\n${stallId},price_scale,a,b\n`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'CSV_BAD_HEADER', details: { repeated: ['model'] } });
  });
});

describe('line numbers', () => {
  it('are the lines a person sees, whatever line ends the file mixes (CRLF, LF, CR, and CRLF inside a quoted cell)', async () => {
    const csv = [
      `${header}\r\n`,
      `${stallId},price_scale,"two\r\nlines",x\r\n`, // lines 2-3: a line break is not allowed in model
      `${stallId},teapot,m,x\n`, // line 4
      `${stallId},price_scale,m,x\r`, // line 5: fine
      `NO-SUCH,price_scale,m,x\r\n`, // line 6
    ].join('');
    const res = await post(csv);
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [3, 'model'],
      [4, 'category'],
      [6, 'business'],
    ]);
  });
});
