import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedMongo, type EmbeddedMongo } from '@mock/mongo';
import { chinaDateString } from '@shared/verification';
import { hashPassword } from '@bff/services/credentials';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let admin: string;
let codes: string[];
let jinanKey: string;
let taianKey: string;
const JINAN = '济南市计量检定测试院';
const TAIAN = '泰安市计量检定所';

beforeAll(async () => {
  app = await startTestApp();
  admin = await app.tokenFor('admin');
  const reg = await app.tokenFor('regulator', { regionCode: '370102' });
  ({ codes } = await app.registerBusinessWithInstruments(reg, { name: '历下区某加油站', industry: 'fuel', regionCode: '370102' }, 'fuel_dispenser', 6));
  jinanKey = await issueKey(JINAN);
  taianKey = await issueKey(TAIAN);
});
afterAll(() => app.stop());

async function issueKey(institution: string) {
  const res = await app.request('/api/v1/admin/api-keys', { token: admin, body: { name: 'LIMS 对接', institution } });
  expect(res.status).toBe(201);
  return res.body.key as string;
}

const post = (key: string, results: unknown[]) => app.request('/api/v1/verifications', { body: { results }, headers: { 'x-api-key': key } });
const scan = async (code: string) => (await app.request(`/api/v1/scan?q=${code}`)).body.latestVerification;
const rowErrors = (body: { errors: Array<{ index: number; code: string }> }) => body.errors.map((e) => [e.index, e.code]);

describe('a verification belongs to the institution that posted it', () => {
  it("another institution's key cannot overwrite a certificate, even naming the owner as institution", async () => {
    const row = { instrumentCode: codes[0], date: '2026-06-01', result: 'pass', certificateNo: 'JN-OWN-0001' };
    expect((await post(jinanKey, [row])).body).toMatchObject({ created: 1 });
    const attack = await post(taianKey, [
      { ...row, result: 'fail' },
      { ...row, result: 'fail', institution: JINAN },
    ]);
    expect(attack.status).toBe(200);
    expect(attack.body).toMatchObject({ received: 2, created: 0, updated: 0, unchanged: 0 });
    expect(rowErrors(attack.body)).toEqual([
      [0, 'CERTIFICATE_OWNED_BY_OTHER'],
      [1, 'INSTITUTION_MISMATCH'],
    ]);
    expect(await scan(codes[0])).toMatchObject({ result: 'pass', institution: JINAN, certificateNo: 'JN-OWN-0001' });
  });

  it('a row cannot claim another institution for a new certificate', async () => {
    const res = await post(taianKey, [{ instrumentCode: codes[1], date: '2026-06-01', result: 'pass', certificateNo: 'TA-NEW-0001', institution: JINAN }]);
    expect(rowErrors(res.body)).toEqual([[0, 'INSTITUTION_MISMATCH']]);
    expect(await app.server.deps.models.Verification.exists({ certificateNo: 'TA-NEW-0001' })).toBeNull();
    const own = await post(taianKey, [{ instrumentCode: codes[1], date: '2026-06-01', result: 'pass', certificateNo: 'TA-NEW-0001', institution: TAIAN }]);
    expect(own.body).toMatchObject({ created: 1, errors: [] });
  });

  it('the owner may amend; the previous version is kept and the scan shows the current one', async () => {
    const row = { instrumentCode: codes[2], date: '2026-06-01', result: 'pass', certificateNo: 'JN-AMEND-0001', verifier: '张工' };
    await post(jinanKey, [row]);
    const amended = await post(jinanKey, [{ ...row, result: 'fail', verifier: '李工' }]);
    expect(amended.body).toMatchObject({ updated: 1, errors: [] });
    expect(await scan(codes[2])).toMatchObject({ result: 'fail', institution: JINAN });
    const stored = await app.server.deps.models.Verification.findOne({ certificateNo: 'JN-AMEND-0001' }).lean();
    expect(stored).toMatchObject({ result: 'fail', verifier: '李工', revision: 2 });
    expect(stored!.amendments).toHaveLength(1);
    expect(stored!.amendments[0]).toMatchObject({ result: 'pass', verifier: '张工', institution: JINAN, revision: 1 });
    const again = await post(jinanKey, [{ ...row, result: 'fail', verifier: '李工' }]);
    expect(again.body).toMatchObject({ unchanged: 1 });
    expect((await app.server.deps.models.Verification.findOne({ certificateNo: 'JN-AMEND-0001' }).lean())!.amendments).toHaveLength(1);
  });

  it("a password-logged-in verifier's results carry the account's institution", async () => {
    await app.server.deps.models.User.create({ role: 'verifier', username: 'lab-taian', passwordHash: await hashPassword('lab-password-1'), institution: TAIAN });
    const login = await app.request('/api/v1/auth/login', { body: { username: 'lab-taian', password: 'lab-password-1' } });
    expect(login.status).toBe(200);
    const res = await app.request('/api/v1/verifications', { token: login.body.token, body: { results: [{ instrumentCode: codes[3], date: '2026-06-01', result: 'pass', certificateNo: 'TA-PWD-0001' }] } });
    expect(res.body).toMatchObject({ created: 1, errors: [] });
    expect(await scan(codes[3])).toMatchObject({ institution: TAIAN });
  });

  it('a verifier account with no institution on record cannot post', async () => {
    await app.server.deps.models.User.create({ role: 'verifier', username: 'lab-nameless', passwordHash: await hashPassword('lab-password-2') });
    const login = await app.request('/api/v1/auth/login', { body: { username: 'lab-nameless', password: 'lab-password-2' } });
    const res = await app.request('/api/v1/verifications', { token: login.body.token, body: { results: [{ instrumentCode: codes[3], date: '2026-06-01', result: 'pass', certificateNo: 'NN-0001' }] } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('INSTITUTION_UNKNOWN');
  });
  it('an admin posting for an institution must name it, and is held to its ownership like anyone', async () => {
    const row = { instrumentCode: codes[1], date: '2026-06-02', result: 'pass', certificateNo: 'ADM-0001' };
    const res = await app.request('/api/v1/verifications', { token: admin, body: { results: [row, { ...row, certificateNo: 'ADM-0002', institution: TAIAN }, { ...row, certificateNo: 'JN-OWN-0001', institution: TAIAN }] } });
    expect(rowErrors(res.body)).toEqual([
      [0, 'INSTITUTION_REQUIRED'],
      [2, 'CERTIFICATE_OWNED_BY_OTHER'],
    ]);
    expect(await app.server.deps.models.Verification.findOne({ certificateNo: 'ADM-0002' }).lean()).toMatchObject({ institution: TAIAN });
  });
});

describe('a batch always answers each row', () => {
  it('parallel batches sharing certificate numbers both answer per-row reports and store each certificate once', async () => {
    const rows = (result: string) => Array.from({ length: 20 }, (_, i) => ({ instrumentCode: codes[4], date: '2026-06-01', result, certificateNo: `PAR-${i}` }));
    const [a, b] = await Promise.all([post(jinanKey, rows('pass')), post(taianKey, rows('fail'))]);
    for (const res of [a, b]) {
      expect(res.status).toBe(200);
      expect(res.body.created + res.body.updated + res.body.unchanged + res.body.errors.length).toBe(20);
    }
    expect(a.body.created + b.body.created).toBe(20);
    const owned = [...a.body.errors, ...b.body.errors].map((e: { code: string }) => e.code);
    expect(new Set(owned)).toEqual(new Set(owned.length ? ['CERTIFICATE_OWNED_BY_OTHER'] : []));
    const stored = await app.server.deps.models.Verification.find({ certificateNo: /^PAR-/ }).lean();
    expect(stored).toHaveLength(20);
    for (const v of stored) expect(v.result === 'pass' ? JINAN : TAIAN).toBe(v.institution);
  });

  it('the same batch posted twice at once by its owner is created once and unchanged once per row', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ instrumentCode: codes[5], date: '2026-06-01', result: 'pass', certificateNo: `TWICE-${i}` }));
    const [a, b] = await Promise.all([post(jinanKey, rows), post(jinanKey, rows)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.created + b.body.created).toBe(20);
    expect(a.body.unchanged + b.body.unchanged).toBe(20);
    expect([...a.body.errors, ...b.body.errors]).toEqual([]);
  });
});

describe('verification dates are plausible', () => {
  const today = chinaDateString(new Date());
  const plusDays = (days: number) => chinaDateString(new Date(Date.now() + days * 86_400_000));
  it('refuses dates before 2000, after tomorrow, and due dates not after the date or beyond twice the cycle', async () => {
    const row = (over: Record<string, unknown>, n: number) => ({ instrumentCode: codes[5], result: 'pass', certificateNo: `DATE-${n}`, date: '2026-06-01', ...over });
    const res = await post(jinanKey, [
      row({ date: '0001-01-01' }, 0),
      row({ date: '1999-12-31' }, 1),
      row({ date: plusDays(2) }, 2),
      row({ dueDate: '2026-06-01' }, 3),
      row({ dueDate: '2027-07-01' }, 4), // fuel dispensers: 6-month cycle, at most 12 months
      row({ date: '2000-01-01' }, 5),
      row({ date: plusDays(1) }, 6),
      row({ date: today, dueDate: plusDays(300) }, 7),
    ]);
    expect(res.status).toBe(200);
    expect(rowErrors(res.body)).toEqual([
      [0, 'VALIDATION_FAILED'],
      [1, 'VALIDATION_FAILED'],
      [2, 'VALIDATION_FAILED'],
      [3, 'VALIDATION_FAILED'],
      [4, 'DUE_DATE_OUT_OF_RANGE'],
    ]);
    expect(res.body.created).toBe(3);
    const messages = res.body.errors.slice(0, 4).map((e: { details: Array<{ message: string }> }) => e.details[0].message);
    expect(messages).toEqual(['DATE_TOO_EARLY', 'DATE_TOO_EARLY', 'DATE_IN_FUTURE', 'DUE_DATE_NOT_AFTER_DATE']);
  });
});

describe('a batch cut by a database failure', () => {
  let cut: TestApp;
  let mongo: EmbeddedMongo;
  let dbPath: string;
  beforeAll(async () => {
    dbPath = await mkdtemp(join(tmpdir(), 'verification-cut-'));
    mongo = await startEmbeddedMongo({ port: 0, dbPath, quiet: true });
    cut = await startTestApp({ MONGODB_URI: mongo.uri });
  });
  afterAll(async () => {
    await cut.stop();
    await mongo.stop();
    await rm(dbPath, { recursive: true, force: true });
  });

  it('answers every row (written, unconfirmed or not stored), and the batch can simply be sent again', async () => {
    const adminToken = await cut.tokenFor('admin');
    const reg = await cut.tokenFor('regulator', { regionCode: '370102' });
    const b = await cut.request('/api/v1/admin/businesses', { token: reg, body: { name: '历下区某农贸市场', industry: 'market', regionCode: '370102' } });
    const code = (await cut.request('/api/v1/admin/instruments', { token: reg, body: { businessId: b.body.id, category: 'price_scale' } })).body.code;
    const key = (await cut.request('/api/v1/admin/api-keys', { token: adminToken, body: { name: 'LIMS', institution: JINAN } })).body.key;
    const rows = Array.from({ length: 40 }, (_, i) => ({ instrumentCode: code, date: '2026-06-01', result: 'pass', certificateNo: `CUT-${i}` }));
    const send = () => cut.request('/api/v1/verifications', { body: { results: rows }, headers: { 'x-api-key': key } });

    const { Verification } = cut.server.deps.models;
    const realBulkWrite = Verification.bulkWrite.bind(Verification);
    // The database goes away after the first 15 rows reached it.
    const spy = jest.spyOn(Verification, 'bulkWrite').mockImplementationOnce((async (ops: Parameters<typeof realBulkWrite>[0], options: Parameters<typeof realBulkWrite>[1]) => {
      await realBulkWrite(ops.slice(0, 15), options);
      await mongo.stop();
      return realBulkWrite(ops.slice(15), options);
    }) as never);
    const res = await send();
    spy.mockRestore();
    expect(res.status).toBe(200);
    expect(res.body.received).toBe(40);
    expect(res.body.created + res.body.updated + res.body.unchanged + res.body.errors.length).toBe(40);
    expect(new Set(res.body.errors.map((e: { code: string }) => e.code))).toEqual(new Set(['WRITE_UNCONFIRMED']));

    mongo = await startEmbeddedMongo({ port: mongo.port, dbPath, quiet: true });
    let again = await send();
    while (again.status === 503) again = await send();
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: 25, unchanged: 15, errors: [] });
    expect(await Verification.countDocuments({ certificateNo: /^CUT-/ })).toBe(40);
  });
});
