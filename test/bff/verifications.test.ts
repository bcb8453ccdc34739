import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let admin: string;
let codes: string[];

beforeAll(async () => {
  app = await startTestApp();
  admin = await app.tokenFor('admin');
  const reg = await app.tokenFor('regulator', { regionCode: '370102' });
  ({ codes } = await app.registerBusinessWithInstruments(reg, { name: '历下区某加油站', industry: 'fuel', regionCode: '370102' }, 'fuel_dispenser', 3));
});
afterAll(() => app.stop());

async function issueKey() {
  const res = await app.request('/api/v1/admin/api-keys', { token: admin, body: { name: 'LIMS 对接', institution: '济南市计量检定测试院' } });
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string; prefix: string };
}

const post = (key: string, results: unknown[]) => app.request('/api/v1/verifications', { body: { results }, headers: { 'x-api-key': key } });

describe('verifier API', () => {
  it('shows an API key once and stores only its hash', async () => {
    const { key, id } = await issueKey();
    expect(key).toMatch(/^vk_/);
    const list = await app.request('/api/v1/admin/api-keys', { token: admin });
    expect(list.text).not.toContain(key);
    expect(list.body.items.find((k: { id: string }) => k.id === id)).toMatchObject({ institution: '济南市计量检定测试院', revokedAt: null });
    const stored = await app.server.deps.models.ApiKey.findById(id).lean();
    expect(stored!.hash).not.toContain(key);
  });

  it('takes a batch, reports bad rows one by one and is idempotent by certificate number', async () => {
    const { key } = await issueKey();
    const batch = [
      { instrumentCode: codes[0], date: '2026-06-01', result: 'pass', certificateNo: 'JN-2026-0001' },
      { instrumentCode: codes[1], date: '2026-06-02', result: 'fail', certificateNo: 'JN-2026-0002', dueDate: '2027-06-01' },
      { instrumentCode: '9999', date: '2026-06-02', result: 'pass', certificateNo: 'JN-2026-0003' },
      { instrumentCode: codes[2], date: 'yesterday', result: 'pass', certificateNo: 'JN-2026-0004' },
      { instrumentCode: codes[2], date: '2026-06-03', result: 'pass', certificateNo: 'JN-2026-0001' },
    ];
    const first = await post(key, batch);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: 5, created: 2, updated: 0, unchanged: 0 });
    expect(first.body.errors.map((e: { index: number; code: string }) => [e.index, e.code])).toEqual([
      [2, 'INSTRUMENT_NOT_FOUND'],
      [3, 'VALIDATION_FAILED'],
      [4, 'DUPLICATE_IN_BATCH'],
    ]);
    const again = await post(key, batch.slice(0, 2));
    expect(again.body).toMatchObject({ created: 0, unchanged: 2 });
    const corrected = await post(key, [{ ...batch[1], result: 'pass' }]);
    expect(corrected.body).toMatchObject({ updated: 1 });
    const conflict = await post(key, [{ ...batch[0], instrumentCode: codes[2] }]);
    expect(conflict.body.errors[0].code).toBe('CERTIFICATE_CONFLICT');
    expect(await app.server.deps.models.Verification.countDocuments()).toBe(2);
    const scan = await app.request(`/api/v1/scan?q=${codes[1]}`);
    expect(scan.body.latestVerification).toMatchObject({ result: 'pass', institution: '济南市计量检定测试院' });
  });

  it('fills the due date from the statutory cycle when the certificate gives none', async () => {
    const { key } = await issueKey();
    await post(key, [{ instrumentCode: codes[2], date: '2026-01-10', result: 'pass', certificateNo: 'JN-2026-0100' }]);
    const v = await app.server.deps.models.Verification.findOne({ certificateNo: 'JN-2026-0100' }).lean();
    expect(v!.dueDate!.getTime()).toBeGreaterThan(v!.date.getTime());
  });

  it('refuses a revoked key, a missing key, and batches over 500', async () => {
    const { key, id } = await issueKey();
    expect((await post(key, Array.from({ length: 501 }, () => ({})))).body.error.code).toBe('VALIDATION_FAILED');
    expect((await app.request(`/api/v1/admin/api-keys/${id}`, { token: admin, method: 'DELETE' })).status).toBe(204);
    const revoked = await post(key, [{ instrumentCode: codes[0], date: '2026-06-01', result: 'pass', certificateNo: 'X-1' }]);
    expect(revoked.status).toBe(401);
    expect((await app.request('/api/v1/verifications', { body: { results: [{}] } })).status).toBe(401);
  });
});
