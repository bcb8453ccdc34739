/** GET /api/v1/admin/instruments/:id: what the workspace's instrument drawer shows, status of today included. */
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let lixia: string;
let admin: string;
let ids: string[];
let codes: string[];

beforeAll(async () => {
  app = await startTestApp();
  lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  admin = await app.tokenFor('admin');
  const registered = await app.registerBusinessWithInstruments(lixia, { name: '历下区详情测试市场', industry: 'market', regionCode: '370102' }, 'price_scale', 2);
  codes = registered.codes;
  ids = [];
  for (const code of codes) ids.push((await app.request(`/api/v1/admin/instruments?code=${code}`, { token: lixia })).body.items[0].id);
  const posted = await app.request('/api/v1/verifications', {
    token: admin,
    body: { results: [{ instrumentCode: codes[0], date: '2020-03-01', result: 'pass', certificateNo: 'JD2020-0001', institution: '济南市计量检定测试院' }] },
  });
  if (posted.body.created !== 1) throw new Error(`verification not posted: ${posted.text}`);
});
afterAll(() => app.stop());

describe('the instrument detail', () => {
  it('carries the verification status of today and the latest verification, as the list row does', async () => {
    const detail = await app.request(`/api/v1/admin/instruments/${ids[0]}`, { token: lixia });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: ids[0],
      code: codes[0],
      verificationStatus: 'overdue',
      latestVerification: { date: '2020-03-01', result: 'pass', dueDate: '2021-02-28' },
    });
    const row = (await app.request(`/api/v1/admin/instruments?code=${codes[0]}`, { token: lixia })).body.items[0];
    expect(detail.body).toEqual(row);
  });

  it('an instrument never verified is unverified; a retired one counts as taken out of use', async () => {
    expect((await app.request(`/api/v1/admin/instruments/${ids[1]}`, { token: lixia })).body).toMatchObject({ verificationStatus: 'unverified', latestVerification: null });
    await app.request(`/api/v1/admin/instruments/${ids[1]}`, { token: lixia, method: 'PATCH', body: { status: 'retired' } });
    expect((await app.request(`/api/v1/admin/instruments/${ids[1]}`, { token: lixia })).body).toMatchObject({ status: 'retired', verificationStatus: 'suspended' });
  });

  it('stays invisible outside the region', async () => {
    const shizhong = await app.tokenFor('regulator', { regionCode: '370103' });
    expect((await app.request(`/api/v1/admin/instruments/${ids[0]}`, { token: shizhong })).status).toBe(404);
  });
});
