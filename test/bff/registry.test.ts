import { isValidInstrumentCode, makeInstrumentCode, parseInstrumentCode } from '@shared/instrumentCode';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let jinan: string; // regulator of 济南市 (370100)
let lixia: string; // regulator of 历下区 (370102)
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  jinan = await app.tokenFor('regulator', { regionCode: '370100' });
  lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  admin = await app.tokenFor('admin');
});
afterAll(() => app.stop());

const business = (over: Record<string, unknown> = {}) => ({
  name: '历下区泉城农贸市场',
  industry: 'market',
  regionCode: '370102',
  address: '泉城路 1 号',
  location: [117.02, 36.66],
  contacts: [{ name: '王经理', phone: '0531-88880000' }],
  ...over,
});

describe('businesses', () => {
  it('a regulator registers a business in its region; a stall without credit code gets a platform id', async () => {
    const res = await app.request('/api/v1/admin/businesses', { token: lixia, body: business() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: '历下区泉城农贸市场', regionName: '历下区', industryName: '集贸市场', location: [117.02, 36.66] });
    expect(res.body.platformId).toMatch(/^P\d{12}$/);
    const withCode = await app.request('/api/v1/admin/businesses', { token: lixia, body: business({ creditCode: '91370102ma3c00001e', name: '济南某超市有限公司' }) });
    expect(withCode.status).toBe(201);
    expect(withCode.body.creditCode).toBe('91370102MA3C00001E');
    const again = await app.request('/api/v1/admin/businesses', { token: lixia, body: business({ creditCode: '91370102MA3C00001E' }) });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('BUSINESS_EXISTS');
  });

  it('rejects a bad credit code, an unknown region and an unknown industry with field details', async () => {
    const res = await app.request('/api/v1/admin/businesses', { token: jinan, body: business({ creditCode: '91370102MA3C00001F', regionCode: '379999', industry: 'casino' }) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['creditCode', 'industry', 'regionCode']);
  });

  it('keeps a regulator inside its region: cannot create, see or change outside it', async () => {
    const huaiyin = await app.request('/api/v1/admin/businesses', { token: jinan, body: business({ name: '槐荫区某加油站', industry: 'fuel', regionCode: '370104' }) });
    expect(huaiyin.status).toBe(201);
    const create = await app.request('/api/v1/admin/businesses', { token: lixia, body: business({ regionCode: '370104' }) });
    expect(create.status).toBe(403);
    const read = await app.request(`/api/v1/admin/businesses/${huaiyin.body.id}`, { token: lixia });
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('BUSINESS_NOT_FOUND');
    const patch = await app.request(`/api/v1/admin/businesses/${huaiyin.body.id}`, { token: lixia, method: 'PATCH', body: { name: '改名' } });
    expect(patch.status).toBe(404);
    const list = await app.request('/api/v1/admin/businesses?pageSize=100', { token: lixia });
    expect(list.body.items.every((b: { regionCode: string }) => b.regionCode === '370102')).toBe(true);
    const cityList = await app.request('/api/v1/admin/businesses?pageSize=100', { token: jinan });
    expect(cityList.body.items.map((b: { id: string }) => b.id)).toContain(huaiyin.body.id);
    const adminRead = await app.request(`/api/v1/admin/businesses/${huaiyin.body.id}`, { token: admin });
    expect(adminRead.status).toBe(200);
  });

  it('lists with filters and pagination in the contract shape', async () => {
    const res = await app.request('/api/v1/admin/businesses?industry=fuel&page=1&pageSize=1', { token: jinan });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, pageSize: 1 });
    expect(res.body.total).toBeGreaterThanOrEqual(1);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0].industry).toBe('fuel');
    const bad = await app.request('/api/v1/admin/businesses?pageSize=1000', { token: jinan });
    expect(bad.status).toBe(400);
  });
});

describe('instruments', () => {
  let businessId: string;
  beforeAll(async () => {
    businessId = (await app.request('/api/v1/admin/businesses', { token: lixia, body: business({ name: '历下区某某水产摊位' }) })).body.id;
  });

  it('issues consecutive valid platform codes for the business region and category', async () => {
    const a = await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId, category: 'price_scale', model: 'ACS-15' } });
    const b = await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId, category: 'price_scale' } });
    expect(a.status).toBe(201);
    expect(isValidInstrumentCode(a.body.code)).toBe(true);
    const pa = parseInstrumentCode(a.body.code);
    const pb = parseInstrumentCode(b.body.code);
    if (!pa.ok || !pb.ok) throw new Error('issued codes must parse');
    expect(pa.value.regionCode).toBe('370102');
    expect(pa.value.categoryCode).toBe('0101');
    expect(Number(pb.value.serial)).toBe(Number(pa.value.serial) + 1);
    expect(a.body).toMatchObject({ categoryName: '电子计价秤', status: 'in_use', likes: 0, businessId });
  });

  it('accepts a given code only when region and category match, and never twice', async () => {
    const code = makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 90_000_001 });
    const ok = await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId, category: 'price_scale', code, externalCodes: ['SD-2023-0001'] } });
    expect(ok.status).toBe(201);
    const dup = await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId, category: 'price_scale', code } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('INSTRUMENT_CODE_TAKEN');
    const dupExternal = await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId, category: 'price_scale', externalCodes: ['SD-2023-0001'] } });
    expect(dupExternal.status).toBe(409);
    const wrongCategory = await app.request('/api/v1/admin/instruments', {
      token: lixia,
      body: { businessId, category: 'platform_scale', code: makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 90_000_002 }) },
    });
    expect(wrongCategory.body.error.code).toBe('CODE_CATEGORY_MISMATCH');
    const badCheck = await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId, category: 'price_scale', code: code.slice(0, 18) + ((+code[18] + 1) % 10) } });
    expect(badCheck.status).toBe(400);
    expect(JSON.stringify(badCheck.body.error.details)).toContain('BAD_CHECK_DIGIT');
  });

  it('updates status and refuses to delete an instrument with verification history', async () => {
    const created = await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId, category: 'platform_scale' } });
    const patched = await app.request(`/api/v1/admin/instruments/${created.body.id}`, { token: lixia, method: 'PATCH', body: { status: 'suspended' } });
    expect(patched.body.status).toBe('suspended');
    await app.server.deps.models.Verification.create({ instrument: created.body.id, date: new Date(), result: 'pass', institution: '测试院', certificateNo: 'DEL-1' });
    const del = await app.request(`/api/v1/admin/instruments/${created.body.id}`, { token: lixia, method: 'DELETE' });
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('INSTRUMENT_HAS_HISTORY');
    const bare = await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId, category: 'platform_scale' } });
    expect((await app.request(`/api/v1/admin/instruments/${bare.body.id}`, { token: lixia, method: 'DELETE' })).status).toBe(204);
    expect((await app.request(`/api/v1/admin/instruments/${bare.body.id}`, { token: lixia })).status).toBe(404);
  });

  it('hides instruments outside the region', async () => {
    const other = await app.request('/api/v1/admin/businesses', { token: jinan, body: business({ name: '天桥区某市场', regionCode: '370105' }) });
    const inst = await app.request('/api/v1/admin/instruments', { token: jinan, body: { businessId: other.body.id, category: 'price_scale' } });
    expect(inst.status).toBe(201);
    expect((await app.request(`/api/v1/admin/instruments/${inst.body.id}`, { token: lixia })).status).toBe(404);
    const create = await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId: other.body.id, category: 'price_scale' } });
    expect(create.status).toBe(404);
    const list = await app.request(`/api/v1/admin/instruments?code=${inst.body.code}`, { token: lixia });
    expect(list.body.total).toBe(0);
  });
});
