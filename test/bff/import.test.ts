import { makeInstrumentCode } from '@shared/instrumentCode';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let lixia: string;
let stallId: string;
let companyCredit: string;
let outsidePlatformId: string;

beforeAll(async () => {
  app = await startTestApp();
  lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  const admin = await app.tokenFor('admin');
  stallId = (await app.request('/api/v1/admin/businesses', { token: lixia, body: { name: '历下区某蔬菜摊', industry: 'market', regionCode: '370102' } })).body.id;
  companyCredit = '91370102MA3C00001E';
  await app.request('/api/v1/admin/businesses', { token: lixia, body: { name: '济南某超市有限公司', industry: 'retail', regionCode: '370102', creditCode: companyCredit } });
  outsidePlatformId = (await app.request('/api/v1/admin/businesses', { token: admin, body: { name: '章丘区某市场', industry: 'market', regionCode: '370114' } })).body.platformId;
});
afterAll(() => app.stop());

const importCsv = (csv: string, partial = false) =>
  app.request(`/api/v1/admin/instruments/import${partial ? '?partial=1' : ''}`, { token: lixia, body: csv, headers: { 'content-type': 'text/csv' } });
const count = () => app.server.deps.models.Instrument.countDocuments();

describe('CSV import of instruments', () => {
  it('imports a clean file, issuing codes where none are given', async () => {
    const given = makeInstrumentCode({ regionCode: '370102', categoryCode: '0102', serial: 50_000_001 });
    const csv = [
      'business,category,code,externalCodes,model,manufacturer,installLocation',
      `${stallId},price_scale,,,ACS-15,上海友声,1 号摊位`,
      `${companyCredit},0102,${given},SD-001;SD-002,TCS-150,凯丰,收银台`,
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, failed: 0, errors: [] });
    expect(res.body.items.map((i: { line: number }) => i.line)).toEqual([2, 3]);
    expect(res.body.items[1].code).toBe(given);
    const company = await app.server.deps.models.Business.findOne({ creditCode: companyCredit }).lean();
    expect(res.body.items.map((i: { businessId: string }) => i.businessId)).toEqual([stallId, String(company!._id)]);
    const scan = await app.request('/api/v1/scan?q=SD-002');
    expect(scan.body.instrument.code).toBe(given);
  });

  it('reports every bad row with its line and reason, and writes nothing', async () => {
    const before = await count();
    const bad = makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 50_000_002 });
    const csv = [
      'business,category,code,externalCodes',
      `${stallId},price_scale,,X-1`, // line 2: fine
      `NO-SUCH-BUSINESS,price_scale,,`, // line 3: unknown business
      `${stallId},teapot,,`, // line 4: unknown category
      `${stallId},price_scale,${bad.slice(0, 18)}${(+bad[18] + 1) % 10},`, // line 5: bad check digit
      `${stallId},price_scale,,X-1`, // line 6: duplicate of line 2 in the file
      `${outsidePlatformId},price_scale,,`, // line 7: outside the region
      `${stallId},price_scale,,SD-001`, // line 8: external code already used
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('IMPORT_REJECTED');
    const errors = res.body.error.details.errors.map((e: { line: number; code: string }) => [e.line, e.code]);
    expect(errors).toEqual([
      [3, 'BUSINESS_NOT_FOUND'],
      [4, 'UNKNOWN_CATEGORY'],
      [5, 'INVALID_CODE'],
      [6, 'DUPLICATE_IN_FILE'],
      [7, 'BUSINESS_NOT_FOUND'],
      [8, 'INSTRUMENT_CODE_TAKEN'],
    ]);
    expect(await count()).toBe(before);
  });

  it('with ?partial=1 imports only the good rows and still reports the bad ones', async () => {
    const before = await count();
    const csv = ['business,category', `${stallId},price_scale`, `nobody,price_scale`, `${stallId},platform_scale`].join('\n');
    const res = await importCsv(csv, true);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, failed: 1 });
    expect(res.body.errors).toEqual([expect.objectContaining({ line: 3, column: 'business', code: 'BUSINESS_NOT_FOUND' })]);
    expect(await count()).toBe(before + 2);
  });

  it('refuses a wrong header, an empty file and broken CSV with clear codes', async () => {
    expect((await importCsv('shop,kind\nA,B')).body.error.code).toBe('CSV_BAD_HEADER');
    expect((await importCsv('business,category\n')).body.error.code).toBe('CSV_EMPTY');
    expect((await importCsv('business,category\n"unterminated,price_scale')).body.error.code).toBe('CSV_MALFORMED');
    expect((await app.request('/api/v1/admin/instruments/import', { token: lixia, body: { csv: 'json is not csv' } })).body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('says in Chinese what is wrong with the header or the CSV, and on which line', async () => {
    const header = (await importCsv('business,model,model,shop\nA,B,C,D')).body.error;
    expect(header.message).toBe('表头不正确：未知的列 shop；缺少必填列 category；列重复 model（第一行应为列名：business,category,code,externalCodes,model,serial,manufacturer,installLocation）');
    const columns = (await importCsv(`business,category\n${stallId},price_scale\n${stallId},price_scale,extra`)).body.error;
    expect(columns).toMatchObject({ code: 'CSV_MALFORMED', message: 'CSV 格式错误：第 3 行列数与表头不一致（多了或少了逗号）', details: { line: 3 } });
    const quote = (await importCsv(`business,category\n${stallId},"price"scale`)).body.error;
    expect(quote.message).toBe('CSV 格式错误：第 2 行引号后面多了字符（引号内的引号要写成两个 ""）');
    expect(quote.message).not.toMatch(/[A-Za-z]{4,}/);
  });
});
