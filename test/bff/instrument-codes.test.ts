import { makeInstrumentCode } from '@shared/instrumentCode';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * A code resolves to exactly one instrument: no external code may take over another
 * instrument's platform code (or an external code in use), and where old data already holds such
 * a clash, the platform code wins.
 */
let app: TestApp;
let lixia: string; // regulator of 历下区 (370102)
let tianqiao: string; // regulator of 天桥区 (370105)
let lixiaBusiness: string;
let victimCode: string; // 天桥区's instrument
let ownId: string; // 历下区's instrument

beforeAll(async () => {
  app = await startTestApp();
  lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  tianqiao = await app.tokenFor('regulator', { regionCode: '370105' });
  lixiaBusiness = (await app.request('/api/v1/admin/businesses', { token: lixia, body: { name: '历下区某水果摊', industry: 'market', regionCode: '370102' } })).body.id;
  const tianqiaoBusiness = (await app.request('/api/v1/admin/businesses', { token: tianqiao, body: { name: '天桥区某粮油店', industry: 'retail', regionCode: '370105' } })).body.id;
  victimCode = (await app.request('/api/v1/admin/instruments', { token: tianqiao, body: { businessId: tianqiaoBusiness, category: 'price_scale', externalCodes: ['TQ-0001'] } })).body.code;
  ownId = (await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId: lixiaBusiness, category: 'price_scale' } })).body.id;
});
afterAll(() => app.stop());

const patchExternal = (externalCodes: string[]) => app.request(`/api/v1/admin/instruments/${ownId}`, { token: lixia, method: 'PATCH', body: { externalCodes } });
const create = (body: Record<string, unknown>) => app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId: lixiaBusiness, category: 'price_scale', ...body } });
const importCsv = (csv: string) => app.request('/api/v1/admin/instruments/import', { token: lixia, body: csv, headers: { 'content-type': 'text/csv' } });
const issues = (res: { body: any }) => res.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]);

describe('external codes cannot hijack a platform code', () => {
  it("refuses another district's platform code as an external code (PATCH), and its scan still shows the owner's instrument", async () => {
    const res = await patchExternal([victimCode]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(issues(res)).toEqual([['externalCodes.0', 'EXTERNAL_CODE_LOOKS_LIKE_PLATFORM_CODE']]);
    const scan = await app.request(`/api/v1/scan?q=${victimCode}`);
    expect(scan.status).toBe(200);
    expect(scan.body.business.name).toBe('天桥区某粮油店');
  });

  it('refuses it on create and in a CSV import too', async () => {
    const res = await create({ externalCodes: [victimCode] });
    expect(res.status).toBe(400);
    expect(issues(res)).toEqual([['externalCodes.0', 'EXTERNAL_CODE_LOOKS_LIKE_PLATFORM_CODE']]);
    const csv = await importCsv(`business,category,externalCodes\n${lixiaBusiness},price_scale,OK-1;${victimCode}`);
    expect(csv.status).toBe(400);
    expect(csv.body.error.details.errors).toEqual([expect.objectContaining({ line: 2, column: 'externalCodes', reason: 'EXTERNAL_CODE_LOOKS_LIKE_PLATFORM_CODE' })]);
  });

  it('refuses any value a scan would read as a platform code: 19 digits (valid check digit or not), a code with a signature, a label URL', async () => {
    const mistyped = victimCode.slice(0, 18) + ((+victimCode[18] + 1) % 10);
    const res = await patchExternal([mistyped, `${victimCode}-abcdef12`, `https://jl.example.cn/i/${victimCode}-abcdef12`, 'http%3A%2F%2Fx']);
    expect(res.status).toBe(400);
    expect(issues(res)).toEqual([
      ['externalCodes.0', 'EXTERNAL_CODE_LOOKS_LIKE_PLATFORM_CODE'],
      ['externalCodes.1', 'EXTERNAL_CODE_LOOKS_LIKE_PLATFORM_CODE'],
      ['externalCodes.2', 'EXTERNAL_CODE_LOOKS_LIKE_URL'],
      ['externalCodes.3', 'EXTERNAL_CODE_LOOKS_LIKE_URL'],
    ]);
  });

  it('still takes external codes other systems use: digits of other lengths, dashes, Chinese', async () => {
    const res = await patchExternal(['2023-000123', '370102010100000001', '鲁计 2023-7']);
    expect(res.status).toBe(200);
    expect(res.body.externalCodes).toEqual(['2023-000123', '370102010100000001', '鲁计 2023-7']);
    const scan = await app.request(`/api/v1/scan?q=${encodeURIComponent('鲁计 2023-7')}`);
    expect(scan.body.instrument.id).toBe(ownId);
  });

  it("refuses an external code another district's instrument already has with 409 INSTRUMENT_CODE_TAKEN", async () => {
    const res = await patchExternal(['TQ-0001']);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INSTRUMENT_CODE_TAKEN');
    expect((await app.request('/api/v1/scan?q=TQ-0001')).body.business.name).toBe('天桥区某粮油店');
  });

  it('refuses the same external code twice in one instrument', async () => {
    const res = await patchExternal(['DUP-1', 'DUP-1']);
    expect(res.status).toBe(400);
    expect(issues(res)).toEqual([['externalCodes.1', 'EXTERNAL_CODE_REPEATED']]);
  });
});

describe('where old data holds a clash, the platform code wins', () => {
  let legacyId: string;
  beforeAll(async () => {
    // Registered before the rule: an instrument whose external code is 天桥区's platform code.
    const { Instrument } = app.server.deps.models;
    const own = await Instrument.findById(ownId).lean();
    const legacy = await Instrument.create({
      code: makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 77_000_001 }),
      externalCodes: [victimCode],
      category: 'price_scale',
      business: own!.business,
      regionCode: '370102',
    });
    legacyId = String(legacy._id);
  });

  it('a scan and the public detail page resolve the platform code', async () => {
    expect((await app.request(`/api/v1/scan?q=${victimCode}`)).body.business.name).toBe('天桥区某粮油店');
    expect((await app.request(`/api/v1/instruments/${victimCode}`)).body.business.name).toBe('天桥区某粮油店');
  });

  it('a verification result for that code lands on the platform-code instrument', async () => {
    const admin = await app.tokenFor('admin');
    const key = (await app.request('/api/v1/admin/api-keys', { token: admin, body: { name: '检定院', institution: '济南市计量检定测试院' } })).body.key;
    const res = await app.request('/api/v1/verifications', {
      headers: { 'x-api-key': key },
      body: { results: [{ instrumentCode: victimCode, date: '2026-11-20', result: 'fail', certificateNo: 'HIJACK-1' }] },
    });
    expect(res.status).toBe(200);
    const { Verification, Instrument } = app.server.deps.models;
    const victim = await Instrument.findOne({ code: victimCode }).lean();
    const recorded = await Verification.findOne({ certificateNo: 'HIJACK-1' }).lean();
    expect(String(recorded!.instrument)).toBe(String(victim!._id));
    expect(String(recorded!.instrument)).not.toBe(legacyId);
  });

  it('a new platform code equal to an external code in use is refused, and the platform never issues one', async () => {
    const { Instrument } = app.server.deps.models;
    const own = await Instrument.findById(ownId).lean();
    const next = makeInstrumentCode({ regionCode: '370102', categoryCode: '0102', serial: 1 });
    await Instrument.create({ code: makeInstrumentCode({ regionCode: '370102', categoryCode: '0102', serial: 88_000_001 }), externalCodes: [next], category: 'platform_scale', business: own!.business, regionCode: '370102' });
    const given = await create({ category: 'platform_scale', code: next });
    expect(given.status).toBe(409);
    expect(given.body.error.code).toBe('INSTRUMENT_CODE_TAKEN');
    const issued = await create({ category: 'platform_scale' });
    expect(issued.status).toBe(201);
    expect(issued.body.code).not.toBe(next);
  });
});
