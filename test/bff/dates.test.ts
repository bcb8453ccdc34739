import { startTestApp, type TestApp } from '../helpers/app';

/**
 * Dates in the API are China calendar days (`YYYY-MM-DD`, Asia/Shanghai, +08:00): a certificate
 * reported as valid until 2027-09-11 reads 2027-09-11 to everyone who scans the label, not the
 * UTC day before (China midnight is 16:00 UTC of the previous day).
 */
let app: TestApp;
let code: string;
let key: string;

beforeAll(async () => {
  app = await startTestApp();
  const reg = await app.tokenFor('regulator', { regionCode: '370102' });
  const admin = await app.tokenFor('admin');
  const b = await app.request('/api/v1/admin/businesses', { token: reg, body: { name: '历下区日期水果店', industry: 'retail', regionCode: '370102' } });
  code = (await app.request('/api/v1/admin/instruments', { token: reg, body: { businessId: b.body.id, category: 'price_scale' } })).body.code;
  key = (await app.request('/api/v1/admin/api-keys', { token: admin, body: { name: '日期', institution: '济南市计量检定测试院' } })).body.key;
});
afterAll(() => app.stop());

const report = (row: Record<string, unknown>) =>
  app.request('/api/v1/verifications', { body: { results: [{ instrumentCode: code, result: 'pass', ...row }] }, headers: { 'x-api-key': key } });
const latest = async () => (await app.request(`/api/v1/scan?q=${code}`)).body.latestVerification;

describe('dates in a scan answer', () => {
  it('shows the verification day and the due day the institution reported, as China calendar days', async () => {
    expect((await report({ date: '2026-09-12', dueDate: '2027-09-11', certificateNo: 'DATE-0001' })).body.created).toBe(1);
    expect(await latest()).toMatchObject({ date: '2026-09-12', dueDate: '2027-09-11' });
  });

  it('puts an inspection late in the Jinan evening on that Jinan day, and derives the due day from the cycle', async () => {
    // 23:30 in Jinan on 2026-10-20 is 15:30 UTC; a price scale is valid one year, until 2027-10-19.
    expect((await report({ date: '2026-10-20T23:30:00+08:00', certificateNo: 'DATE-0002' })).body.created).toBe(1);
    expect(await latest()).toMatchObject({ date: '2026-10-20', dueDate: '2027-10-19' });
  });
});
