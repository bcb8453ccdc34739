/**
 * Verifications carry copies of their instrument's `business` and `regionCode`
 * (bff/src/models/verification.ts), which the dashboard's trend and the staff verifications list
 * read instead of joining every instrument. The copies follow the instrument: the intake writes
 * them, an amendment keeps them, a business's region move takes them along, refreshing an
 * instrument repairs them, and a database of the previous version gets them at start-up.
 */
import { Types } from 'mongoose';
import { ensureIndexes } from '@bff/models';
import { fillVerificationScope, refreshCurrentVerifications } from '@bff/services/currentVerification';
import { chinaDayNumber, chinaMidnight } from '@shared/verification';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let admin: string;
let jinan: string;
let lixia: string;
let shizhong: string;
const today = chinaDayNumber(new Date());
/** 10:00 China time, `offset` days from today. */
const day = (offset: number) => new Date(chinaMidnight(today + offset).getTime() + 10 * 3600_000);

beforeAll(async () => {
  app = await startTestApp();
  admin = await app.tokenFor('admin');
  jinan = await app.tokenFor('regulator', { regionCode: '370100' });
  lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  shizhong = await app.tokenFor('regulator', { regionCode: '370103' });
});
afterAll(() => app.stop());

const post = async (results: Array<Record<string, unknown>>) => {
  const res = await app.request('/api/v1/verifications', { token: admin, body: { results: results.map((r) => ({ institution: '济南市计量检定测试院', ...r })) } });
  expect(res.status).toBe(200);
  expect(res.body.errors).toEqual([]);
  return res.body;
};

const dashboard = async (token: string) => {
  const res = await app.request('/api/v1/admin/dashboard', { token });
  expect(res.status).toBe(200);
  return res.body as { totals: { verifications: number; passed: number }; trend: Array<{ verifications: number }> };
};

const listed = async (token: string, query = '') => {
  const res = await app.request(`/api/v1/admin/verifications?pageSize=100${query}`, { token });
  expect(res.status).toBe(200);
  return res.body as { total: number; items: Array<{ certificateNo: string; regionCode: string; postedAt: string | null }> };
};

const stored = (certificateNo: string) => app.server.deps.models.Verification.findOne({ certificateNo }).lean();

describe('the copies follow the instrument', () => {
  it('the intake copies the instrument’s business and region, and an amendment keeps them', async () => {
    const { businessId, codes } = await app.registerBusinessWithInstruments(lixia, { name: '历下区副本测试市场', industry: 'market', regionCode: '370102' }, 'price_scale', 1);
    await post([{ instrumentCode: codes[0], date: day(-3).toISOString(), result: 'pass', certificateNo: 'SCOPE-1' }]);
    expect(await stored('SCOPE-1')).toMatchObject({ business: new Types.ObjectId(businessId), regionCode: '370102' });
    expect((await post([{ instrumentCode: codes[0], date: day(-2).toISOString(), result: 'fail', certificateNo: 'SCOPE-1' }])).updated).toBe(1);
    expect(await stored('SCOPE-1')).toMatchObject({ business: new Types.ObjectId(businessId), regionCode: '370102', result: 'fail', revision: 2 });
  });

  it('a verification posted before its business moves counts in the new region’s dashboard and list, and no longer in the old', async () => {
    const { businessId, codes } = await app.registerBusinessWithInstruments(lixia, { name: '历下区搬迁测试加油站', industry: 'fuel', regionCode: '370102' }, 'fuel_dispenser', 2);
    const [lixiaBefore, shizhongBefore] = [await dashboard(lixia), await dashboard(shizhong)];
    await post([
      { instrumentCode: codes[0], date: day(0).toISOString(), result: 'pass', certificateNo: 'MOVE-1' },
      { instrumentCode: codes[1], date: day(0).toISOString(), result: 'fail', certificateNo: 'MOVE-2' },
    ]);
    expect((await dashboard(lixia)).totals.verifications).toBe(lixiaBefore.totals.verifications + 2);
    expect((await listed(lixia)).items.map((i) => i.certificateNo)).toEqual(expect.arrayContaining(['MOVE-1', 'MOVE-2']));
    const postedAt = (await listed(lixia)).items.find((i) => i.certificateNo === 'MOVE-1')!.postedAt;

    const moved = await app.request(`/api/v1/admin/businesses/${businessId}`, { token: jinan, method: 'PATCH', body: { regionCode: '370103' } });
    expect(moved.status).toBe(200);

    const [lixiaAfter, shizhongAfter] = [await dashboard(lixia), await dashboard(shizhong)];
    expect(lixiaAfter.totals).toMatchObject({ verifications: lixiaBefore.totals.verifications, passed: lixiaBefore.totals.passed });
    expect(lixiaAfter.trend).toEqual(lixiaBefore.trend);
    expect(shizhongAfter.totals.verifications).toBe(shizhongBefore.totals.verifications + 2);
    expect(shizhongAfter.totals.passed).toBe(shizhongBefore.totals.passed + 1);
    expect(shizhongAfter.trend[11].verifications).toBe(shizhongBefore.trend[11].verifications + 2);
    expect((await listed(lixia)).items.map((i) => i.certificateNo)).not.toContain('MOVE-1');
    const there = (await listed(shizhong)).items.filter((i) => i.certificateNo.startsWith('MOVE-'));
    expect(there.map((i) => [i.certificateNo, i.regionCode])).toEqual([['MOVE-2', '370103'], ['MOVE-1', '370103']]);
    expect(there.find((i) => i.certificateNo === 'MOVE-1')!.postedAt).toBe(postedAt); // moving is not re-posting

    await post([{ instrumentCode: codes[0], date: day(0).toISOString(), result: 'pass', certificateNo: 'MOVE-3' }]);
    expect(await stored('MOVE-3')).toMatchObject({ regionCode: '370103' });
    expect((await dashboard(shizhong)).totals.verifications).toBe(shizhongBefore.totals.verifications + 3);
  });

  it('refreshing an instrument repairs copies written behind the intake’s back, without touching updatedAt', async () => {
    const { businessId, codes } = await app.registerBusinessWithInstruments(lixia, { name: '历下区修复测试市场', industry: 'market', regionCode: '370102' }, 'price_scale', 1);
    const { Instrument, Verification } = app.server.deps.models;
    const instrument = (await Instrument.findOne({ code: codes[0] }).lean())!;
    const updatedAt = new Date('2026-01-05T02:00:00Z');
    await Verification.collection.insertMany([
      { instrument: instrument._id, business: new Types.ObjectId(), regionCode: '370103', date: day(-1), result: 'pass', institution: '测试院', certificateNo: 'REPAIR-1', updatedAt },
      { instrument: instrument._id, date: day(-2), result: 'pass', institution: '测试院', certificateNo: 'REPAIR-2', updatedAt },
    ]);
    await refreshCurrentVerifications(app.server.deps.models, [instrument._id]);
    for (const certificateNo of ['REPAIR-1', 'REPAIR-2']) {
      expect(await stored(certificateNo)).toMatchObject({ business: new Types.ObjectId(businessId), regionCode: '370102', updatedAt });
    }
  });
});

describe('a database of the previous version', () => {
  it('gets the copies filled at start-up, in batches, idempotently, and the dashboard and list count them', async () => {
    const { Instrument, Verification } = app.server.deps.models;
    const { businessId } = await app.registerBusinessWithInstruments(lixia, { name: '历下区旧数据市场', industry: 'market', regionCode: '370102' }, 'price_scale', 0);
    const business = new Types.ObjectId(businessId);
    const old = Array.from({ length: 400 }, (_, n) => ({ _id: new Types.ObjectId(), code: `OLDSCOPE-${n}`, externalCodes: [], category: 'price_scale', business, regionCode: '370102', status: 'in_use', likes: 0, current: null }));
    await Instrument.collection.insertMany(old);
    // Three verifications each (1,200: more than one batch), within the last 300 days; none with the copies.
    const verifications = old.flatMap((i, n) =>
      [0, 1, 2].map((k) => ({ instrument: i._id, institution: '测试院', result: k === 2 ? 'fail' : 'pass', certificateNo: `OLDSCOPE-${n}-${k}`, date: day(-((n * 3 + k) % 300)) })),
    );
    // One whose instrument no longer exists: it belongs to no region and is counted nowhere.
    const orphan = { instrument: new Types.ObjectId(), institution: '测试院', result: 'pass', certificateNo: 'OLDSCOPE-ORPHAN', date: day(-1) };
    await Verification.collection.insertMany([...verifications, orphan]);

    const [lixiaBefore, adminBefore, listBefore] = [await dashboard(lixia), await dashboard(admin), await listed(admin)];
    await ensureIndexes(app.server.deps.models); // what a start does
    expect(await Verification.countDocuments({ regionCode: { $exists: false } })).toBe(1); // the orphan
    expect(await Verification.countDocuments({ certificateNo: /^OLDSCOPE-\d/, business, regionCode: '370102' })).toBe(1200);

    const lixiaAfter = await dashboard(lixia);
    expect(lixiaAfter.totals.verifications).toBe(lixiaBefore.totals.verifications + 1200);
    expect(lixiaAfter.totals.passed).toBe(lixiaBefore.totals.passed + 800);
    expect((await dashboard(admin)).totals.verifications).toBe(adminBefore.totals.verifications + 1200);
    expect((await listed(admin)).total).toBe(listBefore.total + 1200);
    expect((await listed(lixia, `&business=${businessId}`)).total).toBe(1200);

    expect(await fillVerificationScope(app.server.deps.models)).toBe(1); // only the orphan's instrument is looked at again
    expect((await dashboard(lixia)).totals).toEqual(lixiaAfter.totals);
  });
});
