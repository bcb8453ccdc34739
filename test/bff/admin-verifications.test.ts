import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let lixia: string;
let jinan: string;
let admin: string;
let lixiaCodes: string[];
let shizhongCode: string;
let lixiaInstrumentId: string;

beforeAll(async () => {
  app = await startTestApp();
  lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  jinan = await app.tokenFor('regulator', { regionCode: '370100' });
  admin = await app.tokenFor('admin');
  const a = await app.registerBusinessWithInstruments(lixia, { name: '历下区检定列表市场', industry: 'market', regionCode: '370102' }, 'price_scale', 2);
  lixiaCodes = a.codes;
  const b = await app.registerBusinessWithInstruments(jinan, { name: '市中区检定列表加油站', industry: 'fuel', regionCode: '370103' }, 'fuel_dispenser', 1);
  shizhongCode = b.codes[0];
  const listed = await app.request(`/api/v1/admin/instruments?code=${lixiaCodes[0]}`, { token: lixia });
  lixiaInstrumentId = listed.body.items[0].id;
  await app.request(`/api/v1/admin/instruments/${lixiaInstrumentId}`, { token: lixia, method: 'PATCH', body: { externalCodes: ['SDJL-LIST-1'] } });
  const row = (instrumentCode: string, date: string, result: string, certificateNo: string, institution: string) => ({ instrumentCode, date, result, certificateNo, institution });
  const posted = await app.request('/api/v1/verifications', {
    token: admin,
    body: {
      results: [
        row(lixiaCodes[0], '2026-03-01', 'pass', 'JD2026-0001', '济南市计量检定测试院'),
        row(lixiaCodes[0], '2026-05-10', 'fail', 'TZ2026-0002', '济南市计量检定测试院'),
        row(lixiaCodes[1], '2026-03-02', 'pass', 'JD2026-0003', '山东省计量科学研究院'),
        row(shizhongCode, '2026-03-01', 'pass', 'JD2026-0004', '山东省计量科学研究院'),
      ],
    },
  });
  if (posted.body.created !== 4) throw new Error(`verifications not posted: ${posted.text}`);
});
afterAll(() => app.stop());

const certificates = async (token: string, query = '') => {
  const res = await app.request(`/api/v1/admin/verifications?pageSize=100${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.items.map((i: { certificateNo: string }) => i.certificateNo);
};

describe('the verifications list', () => {
  it('shows a regulator the verifications of instruments in the region, newest first; an admin all', async () => {
    expect(await certificates(lixia)).toEqual(['TZ2026-0002', 'JD2026-0003', 'JD2026-0001']);
    expect(await certificates(admin)).toEqual(['TZ2026-0002', 'JD2026-0003', 'JD2026-0004', 'JD2026-0001']); // same day: posted later first
    expect(await certificates(jinan, '&region=370103')).toEqual(['JD2026-0004']);
    expect(await certificates(lixia, '&region=370103')).toEqual([]);
    // A city or province by its 6-digit code means all of it, as its short prefix does.
    const everythingOfJinan = await certificates(jinan);
    expect(everythingOfJinan).toHaveLength(4);
    expect(await certificates(jinan, '&region=370100')).toEqual(everythingOfJinan);
    expect(await certificates(jinan, '&region=3701')).toEqual(everythingOfJinan);
    expect(await certificates(admin, '&region=370000')).toEqual(everythingOfJinan);
  });

  it('each row names the instrument, the business and the region, as China days, without who posted it', async () => {
    const res = await app.request(`/api/v1/admin/verifications?instrument=${lixiaCodes[0]}&result=pass`, { token: lixia });
    expect(res.body.items).toEqual([
      expect.objectContaining({
        date: '2026-03-01',
        result: 'pass',
        institution: '济南市计量检定测试院',
        certificateNo: 'JD2026-0001',
        dueDate: '2027-02-28',
        revision: 1,
        instrument: { id: lixiaInstrumentId, code: lixiaCodes[0], category: 'price_scale', categoryName: '电子计价秤' },
        business: { id: expect.any(String), name: '历下区检定列表市场' },
        regionCode: '370102',
        regionName: '历下区',
      }),
    ]);
    expect(res.text).not.toMatch(/postedBy|amendments/);
  });

  it('filters by result, institution, instrument (platform or external code, or id) and an inclusive date range', async () => {
    expect(await certificates(admin, '&result=fail')).toEqual(['TZ2026-0002']);
    expect(await certificates(admin, `&institution=${encodeURIComponent('科学研究院')}`)).toEqual(['JD2026-0003', 'JD2026-0004']);
    expect(await certificates(lixia, '&instrument=SDJL-LIST-1')).toEqual(['TZ2026-0002', 'JD2026-0001']);
    expect(await certificates(lixia, `&instrumentId=${lixiaInstrumentId}`)).toEqual(['TZ2026-0002', 'JD2026-0001']);
    expect(await certificates(admin, '&from=2026-03-01&to=2026-03-01')).toEqual(['JD2026-0004', 'JD2026-0001']);
    expect(await certificates(admin, '&from=2026-03-02&to=2026-05-09')).toEqual(['JD2026-0003']);
    expect(await certificates(admin, '&from=2026-05-10')).toEqual(['TZ2026-0002']);
  });

  it('never shows another district’s verification, even asked for by its code', async () => {
    expect(await certificates(lixia, `&instrument=${shizhongCode}`)).toEqual([]);
  });

  it('pages, and refuses a reversed date range', async () => {
    const first = await app.request('/api/v1/admin/verifications?pageSize=2&page=1', { token: admin });
    const second = await app.request('/api/v1/admin/verifications?pageSize=2&page=2', { token: admin });
    expect(first.body).toMatchObject({ total: 4, page: 1, pageSize: 2 });
    expect([...first.body.items, ...second.body.items].map((i: { certificateNo: string }) => i.certificateNo)).toEqual(['TZ2026-0002', 'JD2026-0003', 'JD2026-0004', 'JD2026-0001']); // same day: posted later first
    const reversed = await app.request('/api/v1/admin/verifications?from=2026-03-02&to=2026-03-01', { token: admin });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.details[0]).toMatchObject({ path: 'to', message: 'DATE_RANGE_REVERSED' });
  });
});
