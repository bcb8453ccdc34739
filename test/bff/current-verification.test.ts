/**
 * Instrument.current, the stored facts of an instrument's latest verification that status
 * filters and the dashboard read (bff/src/services/currentVerification.ts): kept by the intake
 * through new results, amendments and re-posts, and filled at start-up for databases of the
 * version before it. The oracle is shared/verification.ts over the verifications collection.
 */
import { Types } from 'mongoose';
import { ensureIndexes } from '@bff/models';
import { fillMissingCurrent } from '@bff/services/currentVerification';
import { chinaDayNumber, chinaMidnight, currentVerificationOf, dueDateFor, verificationStatus } from '@shared/verification';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let admin: string;
let regulator: string;
let key: string;
let codes: string[];
let businessId: string;
const today = chinaDayNumber(new Date());
const day = (offset: number) => new Date(chinaMidnight(today + offset).getTime() + 10 * 3600_000).toISOString();

beforeAll(async () => {
  app = await startTestApp();
  admin = await app.tokenFor('admin');
  regulator = await app.tokenFor('regulator', { regionCode: '370102' });
  ({ codes, businessId } = await app.registerBusinessWithInstruments(regulator, { name: '历下区某市场', industry: 'market', regionCode: '370102' }, 'price_scale', 3));
  key = (await app.request('/api/v1/admin/api-keys', { token: admin, body: { name: 'LIMS', institution: '济南市计量检定测试院' } })).body.key;
});
afterAll(() => app.stop());

const post = async (results: unknown[]) => {
  const res = await app.request('/api/v1/verifications', { body: { results }, headers: { 'x-api-key': key } });
  expect(res.status).toBe(200);
  return res.body;
};

async function instrumentOf(code: string) {
  return (await app.server.deps.models.Instrument.findOne({ code }).lean())!;
}

/** The stored facts equal what the rule derives from the verifications, and the list files the instrument under that status. */
async function expectCurrentAgreesWithHistory(code: string) {
  const { Verification } = app.server.deps.models;
  const instrument = await instrumentOf(code);
  const history = await Verification.find({ instrument: instrument._id }).sort({ _id: 1 }).lean();
  const latest = currentVerificationOf(instrument.category, history);
  if (!latest) expect(instrument.current).toBeNull();
  else {
    expect(instrument.current).toMatchObject({ verificationId: latest._id, result: latest.result, date: latest.date, certificateNo: latest.certificateNo });
    expect(instrument.current!.dueDate?.getTime() ?? null).toBe(latest.effectiveDueDate?.getTime() ?? null);
  }
  const status = verificationStatus(instrument, history, new Date());
  const listed = await app.request(`/api/v1/admin/instruments?business=${businessId}&status=${status}&pageSize=100`, { token: regulator });
  expect(listed.body.items.map((i: { code: string }) => i.code)).toContain(code);
  return status;
}

describe('the intake keeps the facts', () => {
  it('has none before the first verification', async () => {
    expect((await instrumentOf(codes[0])).current).toBeNull();
    expect(await expectCurrentAgreesWithHistory(codes[0])).toBe('unverified');
  });

  it('takes a new result, lets a later-dated result win and ignores an older one posted after it', async () => {
    await post([{ instrumentCode: codes[0], date: day(-400), result: 'pass', certificateNo: 'CV-1' }]);
    expect(await expectCurrentAgreesWithHistory(codes[0])).toBe('overdue'); // 12-month cycle from 400 days ago
    expect((await instrumentOf(codes[0])).current!.dueDate).toEqual(dueDateFor('price_scale', day(-400)));
    await post([{ instrumentCode: codes[0], date: day(-10), result: 'fail', certificateNo: 'CV-2' }]);
    expect(await expectCurrentAgreesWithHistory(codes[0])).toBe('failed');
    await post([{ instrumentCode: codes[0], date: day(-100), result: 'pass', certificateNo: 'CV-3' }]);
    expect(await expectCurrentAgreesWithHistory(codes[0])).toBe('failed');
    expect((await instrumentOf(codes[0])).current!.certificateNo).toBe('CV-2');
  });

  it('follows an amendment, also one that moves the latest result back behind another', async () => {
    await post([{ instrumentCode: codes[0], date: day(-10), result: 'pass', certificateNo: 'CV-2', dueDate: day(20) }]);
    expect(await expectCurrentAgreesWithHistory(codes[0])).toBe('expiring');
    await post([{ instrumentCode: codes[0], date: day(-500), result: 'pass', certificateNo: 'CV-2' }]);
    expect(await expectCurrentAgreesWithHistory(codes[0])).toBe('valid'); // CV-3, 100 days ago, is now the latest
    expect((await instrumentOf(codes[0])).current!.certificateNo).toBe('CV-3');
  });

  it('on the same day, the result posted later wins', async () => {
    await post([{ instrumentCode: codes[1], date: day(-5), result: 'pass', certificateNo: 'CV-10' }]);
    await post([{ instrumentCode: codes[1], date: day(-5), result: 'fail', certificateNo: 'CV-11' }]);
    expect(await expectCurrentAgreesWithHistory(codes[1])).toBe('failed');
  });

  it('an idempotent re-post repairs facts a failure left behind', async () => {
    const row = { instrumentCode: codes[2], date: day(-30), result: 'pass', certificateNo: 'CV-20' };
    await post([row]);
    const { Instrument } = app.server.deps.models;
    await Instrument.collection.updateOne({ code: codes[2] }, { $set: { current: null } });
    expect((await post([row])).unchanged).toBe(1);
    expect(await expectCurrentAgreesWithHistory(codes[2])).toBe('valid');
  });
});

describe('a database of the previous version', () => {
  it('gets the facts filled at start-up, in batches, idempotently, and answers by them', async () => {
    const { Instrument, Verification } = app.server.deps.models;
    const business = new Types.ObjectId(businessId);
    const old = Array.from({ length: 1203 }, (_, n) => ({
      _id: new Types.ObjectId(),
      code: `OLD-${n}`,
      externalCodes: [],
      category: 'price_scale',
      business,
      regionCode: '370102',
      status: 'in_use',
      likes: 0,
    }));
    await Instrument.collection.insertMany(old); // no `current`: written by the earlier version
    // Every third has no verification; the others one overdue, one without a due date (by cycle, valid), …
    const verifications = old.flatMap((i, n) => {
      if (n % 3 === 0) return [];
      const base = { instrument: i._id, institution: '测试院', result: 'pass' };
      return n % 3 === 1
        ? [{ ...base, certificateNo: `OLD-V-${n}`, date: new Date(day(-200)), dueDate: chinaMidnight(today - 1) }]
        : [{ ...base, certificateNo: `OLD-V-${n}`, date: new Date(day(-20)) }, { ...base, result: 'fail', certificateNo: `OLD-W-${n}`, date: new Date(day(-300)) }];
    });
    await Verification.collection.insertMany(verifications);

    await ensureIndexes(app.server.deps.models); // what a start does
    expect(await Instrument.countDocuments({ current: { $exists: false } })).toBe(0);
    for (const n of [0, 1, 2, 600, 1201, 1202]) {
      const stored = (await Instrument.findById(old[n]._id).lean())!;
      if (n % 3 === 0) expect(stored.current).toBeNull();
      else if (n % 3 === 1) expect(stored.current).toMatchObject({ result: 'pass', dueDate: chinaMidnight(today - 1), certificateNo: `OLD-V-${n}` });
      else expect(stored.current).toMatchObject({ result: 'pass', dueDate: dueDateFor('price_scale', day(-20)), certificateNo: `OLD-V-${n}` });
    }
    const total = async (status: string) => (await app.request(`/api/v1/admin/instruments?business=${businessId}&status=${status}&pageSize=1`, { token: regulator })).body.total;
    expect(await total('overdue')).toBe(401); // n % 3 === 1
    expect(await total('unverified')).toBe(401); // n % 3 === 0
    expect(await total('valid')).toBe(401 + 2); // n % 3 === 2, and codes[0], codes[2] from above
    expect(await total('failed')).toBe(1); // codes[1]

    const before = await Instrument.find({ code: /^OLD-/ }).sort({ _id: 1 }).lean();
    expect(await fillMissingCurrent(app.server.deps.models)).toBe(0);
    await ensureIndexes(app.server.deps.models);
    expect(await Instrument.find({ code: /^OLD-/ }).sort({ _id: 1 }).lean()).toEqual(before);
  });
});
