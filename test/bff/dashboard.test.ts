import type { DashboardResponse, VerificationStatus } from '@shared/api';
import { INDUSTRIES } from '@shared/catalogue';
import { regionContains } from '@shared/regions';
import { Types } from 'mongoose';
import { chinaDateString, chinaDayNumber, chinaMidnight, dueDateFor, verificationStatus } from '@shared/verification';
import { refreshCurrentVerifications } from '@bff/services/currentVerification';
import { seedDemo } from '../../scripts/demo';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * The dashboard against an oracle: the same figures computed in JavaScript from every document,
 * with shared/verification.ts `verificationStatus`, over the demo data set (which plans every
 * status). The BFF computes them by aggregation; both must agree to the last instrument.
 */
let app: TestApp;
let lixia: string;
let jinan: string;
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  await seedDemo(app.server.deps.models, { businesses: 300 });
  lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  jinan = await app.tokenFor('regulator', { regionCode: '370100' });
  admin = await app.tokenFor('admin');
}, 120_000);
afterAll(() => app.stop());

/** The 12 China months ending with today's, oldest first. */
function lastTwelveMonths(now: Date): string[] {
  const [y, m] = chinaDateString(now).split('-').map(Number);
  return Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(y, m - 12 + i, 1)).toISOString().slice(0, 7));
}

/** Every instrument of a scope with its status, computed one by one in JavaScript. */
async function statusesIn(scope: string | null) {
  const { Business, Instrument, Verification } = app.server.deps.models;
  const inScope = (code: string) => scope === null || regionContains(scope, code);
  const businesses = (await Business.find().lean()).filter((b) => inScope(b.regionCode));
  const instruments = (await Instrument.find().lean()).filter((i) => inScope(i.regionCode));
  const history = new Map<string, Array<{ date: Date; result: 'pass' | 'fail'; dueDate?: Date | null }>>();
  for (const v of await Verification.find().sort({ _id: 1 }).lean()) {
    const list = history.get(String(v.instrument)) ?? [];
    list.push({ date: v.date, result: v.result as 'pass' | 'fail', dueDate: v.dueDate });
    history.set(String(v.instrument), list);
  }
  const now = new Date();
  return {
    businesses,
    instruments: instruments.map((i) => ({ ...i, verificationStatus: verificationStatus(i, history.get(String(i._id)) ?? [], now), history: history.get(String(i._id)) ?? [] })),
  };
}

async function expectedDashboard(scope: string | null): Promise<Omit<DashboardResponse, 'region'>> {
  const { businesses, instruments } = await statusesIn(scope);
  const now = new Date();
  const months = lastTwelveMonths(now);
  const industryOf = new Map(businesses.map((b) => [String(b._id), b.industry]));
  const rate = (a: number, b: number) => (b === 0 ? null : a / b);
  const trend = months.map((month) => ({ month, verifications: 0, passed: 0 }));
  const byIndustry = INDUSTRIES.map((ind) => {
    const inUse = instruments.filter((i) => i.status === 'in_use' && industryOf.get(String(i.business)) === ind.id);
    const verified = inUse.filter((i) => i.verificationStatus === 'valid' || i.verificationStatus === 'expiring').length;
    const recent = instruments
      .filter((i) => industryOf.get(String(i.business)) === ind.id)
      .flatMap((i) => i.history)
      .filter((v) => months.includes(chinaDateString(v.date).slice(0, 7)));
    for (const v of recent) {
      const t = trend[months.indexOf(chinaDateString(v.date).slice(0, 7))];
      t.verifications += 1;
      if (v.result === 'pass') t.passed += 1;
    }
    const passed = recent.filter((v) => v.result === 'pass').length;
    return {
      industry: ind.id,
      industryName: ind.name,
      businesses: businesses.filter((b) => b.status === 'active' && b.industry === ind.id).length,
      instruments: inUse.length,
      verified,
      verifications: recent.length,
      passed,
      verificationRate: rate(verified, inUse.length),
      passRate: rate(passed, recent.length),
    };
  });
  const sum = (k: 'businesses' | 'instruments' | 'verified' | 'verifications' | 'passed') => byIndustry.reduce((n, r) => n + r[k], 0);
  const countOf = (s: VerificationStatus) => instruments.filter((i) => i.verificationStatus === s).length;
  return {
    asOf: chinaDateString(now),
    totals: {
      businesses: sum('businesses'),
      instruments: sum('instruments'),
      verified: sum('verified'),
      verifications: sum('verifications'),
      passed: sum('passed'),
      verificationRate: rate(sum('verified'), sum('instruments')),
      passRate: rate(sum('passed'), sum('verifications')),
      overdue: countOf('overdue'),
      expiring: countOf('expiring'),
    },
    byIndustry,
    dueSoon: { overdue: countOf('overdue'), expiring: countOf('expiring') },
    trend,
  };
}

const dashboard = (token: string, query = '') => app.request(`/api/v1/admin/dashboard${query}`, { token });

describe('the dashboard', () => {
  it('gives a district regulator the figures of the district, equal to a count of every document', async () => {
    const res = await dashboard(lixia);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ region: { code: '370102', name: '历下区' }, ...(await expectedDashboard('370102')) });
    // The demo data make the figures worth comparing: something in each.
    expect(res.body.totals.instruments).toBeGreaterThan(20);
    expect(res.body.totals.overdue).toBeGreaterThan(0);
    expect(res.body.totals.expiring).toBeGreaterThan(0);
    expect(res.body.trend.some((m: { verifications: number }) => m.verifications > 0)).toBe(true);
  });

  it('gives a city regulator the city, and an admin the country or the region asked for', async () => {
    expect((await dashboard(jinan)).body).toEqual({ region: { code: '370100', name: '济南市' }, ...(await expectedDashboard('370100')) });
    expect((await dashboard(admin)).body).toEqual({ region: { code: null, name: '全国' }, ...(await expectedDashboard(null)) });
    const district = await dashboard(admin, '?region=370102');
    expect(district.body).toEqual((await dashboard(lixia)).body);
  });

  it('lets a regulator narrow to a part of the region, never widen or leave it', async () => {
    expect((await dashboard(jinan, '?region=370102')).body).toEqual((await dashboard(lixia)).body);
    expect((await dashboard(lixia, '?region=3701')).body.region.code).toBe('370102');
    const outside = await dashboard(lixia, '?region=370103');
    expect(outside.status).toBe(403);
    expect((await dashboard(lixia, '?region=abc')).status).toBe(400);
  });

  it('has 12 months of trend, oldest first, ending with this China month', async () => {
    const { trend } = (await dashboard(admin)).body as DashboardResponse;
    expect(trend.map((t) => t.month)).toEqual(lastTwelveMonths(new Date()));
  });
});

describe('the instruments list by status agrees with the dashboard and with verificationStatus', () => {
  const list = (token: string, query: string) => app.request(`/api/v1/admin/instruments?pageSize=100&${query}`, { token });

  async function allPages(token: string, query: string) {
    const items: Array<{ id: string; verificationStatus: string }> = [];
    for (let page = 1; ; page += 1) {
      const res = await list(token, `${query}&page=${page}`);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      if (items.length >= res.body.total) return { items, total: res.body.total as number };
    }
  }

  it('the overdue and expiring figures are the totals of ?due=overdue, ?due=30 and ?status=', async () => {
    const { body } = await dashboard(lixia);
    expect((await list(lixia, 'due=overdue')).body.total).toBe(body.totals.overdue);
    expect((await list(lixia, 'status=overdue')).body.total).toBe(body.totals.overdue);
    expect((await list(lixia, 'due=30')).body.total).toBe(body.totals.expiring);
    expect((await list(lixia, 'status=expiring')).body.total).toBe(body.totals.expiring);
  });

  it.each(['valid', 'expiring', 'overdue', 'failed', 'unverified', 'suspended'] as const)('?status=%s lists exactly the instruments of that status', async (status) => {
    const { instruments } = await statusesIn('370102');
    const expected = instruments.filter((i) => i.verificationStatus === status).map((i) => String(i._id)).sort();
    expect(expected.length).toBeGreaterThan(0);
    const { items } = await allPages(lixia, `status=${status}`);
    expect(items.map((i) => i.id).sort()).toEqual(expected);
    expect(new Set(items.map((i) => i.verificationStatus))).toEqual(new Set([status]));
  });

  it('each row of the unfiltered list carries the status verificationStatus gives it', async () => {
    const { instruments } = await statusesIn('370102');
    const { items } = await allPages(lixia, '');
    const byId = new Map(instruments.map((i) => [String(i._id), i.verificationStatus]));
    expect(items.length).toBe(instruments.length);
    for (const item of items) expect({ id: item.id, status: item.verificationStatus }).toEqual({ id: item.id, status: byId.get(item.id) });
  });
});

describe('status at the day boundaries, computed by the database exactly as verificationStatus does', () => {
  const DAY = 86_400_000;
  const now = new Date();
  const today = chinaDayNumber(now);
  /** A verification day whose cycle-based due day is `dueDay` (searched with the shared rule). */
  const verifiedFallingDueOn = (category: string, dueDay: number) => {
    for (let d = dueDay - 400; d < dueDay; d += 1) {
      if (chinaDayNumber(dueDateFor(category, chinaMidnight(d))!) === dueDay) return new Date(chinaMidnight(d).getTime() + 10 * 3600_000);
    }
    throw new Error('no such day');
  };
  const pass = (date: Date, dueDate?: Date) => ({ date, result: 'pass' as const, ...(dueDate ? { dueDate } : {}) });
  const cases: Array<{ name: string; category: string; records: Array<{ date: Date; result: 'pass' | 'fail'; dueDate?: Date }>; expected: VerificationStatus }> = [
    { name: 'due today', category: 'price_scale', records: [pass(new Date(now.getTime() - 300 * DAY), chinaMidnight(today))], expected: 'expiring' },
    { name: 'due yesterday', category: 'price_scale', records: [pass(new Date(now.getTime() - 300 * DAY), chinaMidnight(today - 1))], expected: 'overdue' },
    { name: 'due 23:30 yesterday (China)', category: 'price_scale', records: [pass(new Date(now.getTime() - 300 * DAY), new Date(chinaMidnight(today).getTime() - 30 * 60_000))], expected: 'overdue' },
    { name: 'due in 30 days', category: 'price_scale', records: [pass(new Date(now.getTime() - 300 * DAY), chinaMidnight(today + 30))], expected: 'expiring' },
    { name: 'due in 31 days', category: 'price_scale', records: [pass(new Date(now.getTime() - 300 * DAY), chinaMidnight(today + 31))], expected: 'valid' },
    { name: 'no due date, 12-month cycle ends yesterday', category: 'price_scale', records: [pass(verifiedFallingDueOn('price_scale', today - 1))], expected: 'overdue' },
    { name: 'no due date, 12-month cycle ends today', category: 'price_scale', records: [pass(verifiedFallingDueOn('price_scale', today))], expected: 'expiring' },
    { name: 'no due date, 6-month cycle ends in 30 days', category: 'fuel_dispenser', records: [pass(verifiedFallingDueOn('fuel_dispenser', today + 30))], expected: 'expiring' },
    { name: 'no due date, 6-month cycle ends in 31 days', category: 'fuel_dispenser', records: [pass(verifiedFallingDueOn('fuel_dispenser', today + 31))], expected: 'valid' },
    { name: 'no due date, a category without cycle', category: 'thermometer', records: [pass(new Date(now.getTime() - 3000 * DAY))], expected: 'valid' },
    { name: 'the latest failed, an older one passed', category: 'price_scale', records: [pass(new Date(now.getTime() - 100 * DAY), chinaMidnight(today + 200)), { date: new Date(now.getTime() - 10 * DAY), result: 'fail', dueDate: chinaMidnight(today + 300) }], expected: 'failed' },
    { name: 'failed, then passed on the same day (posted later)', category: 'price_scale', records: [{ date: new Date(now.getTime() - 5 * DAY), result: 'fail' }, pass(new Date(now.getTime() - 5 * DAY), chinaMidnight(today + 200))], expected: 'valid' },
    { name: 'passed, then failed on the same day (posted later)', category: 'price_scale', records: [pass(new Date(now.getTime() - 5 * DAY), chinaMidnight(today + 200)), { date: new Date(now.getTime() - 5 * DAY), result: 'fail' }], expected: 'failed' },
  ];
  const ids = new Map<string, string>();
  let edgeBusiness: string;

  beforeAll(async () => {
    const { businessId } = await app.registerBusinessWithInstruments(jinan, { name: '天桥区边界测试市场', industry: 'market', regionCode: '370105' }, 'price_scale', 0);
    edgeBusiness = businessId;
    const { Verification } = app.server.deps.models;
    let n = 0;
    for (const c of cases) {
      const created = await app.request('/api/v1/admin/instruments', { token: jinan, body: { businessId, category: c.category } });
      ids.set(c.name, created.body.id);
      // Written as stored data, in order: a later record gets a larger _id.
      for (const r of c.records) await Verification.collection.insertOne({ instrument: new Types.ObjectId(created.body.id as string), institution: '测试院', certificateNo: `EDGE-${(n += 1)}`, ...r });
    }
    // Written behind the intake's back: what every writer of verifications does afterwards.
    await refreshCurrentVerifications(app.server.deps.models, [...ids.values()].map((id) => new Types.ObjectId(id)));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    expect(verificationStatus({ status: 'in_use', category: c.category }, c.records, now)).toBe(c.expected);
    const res = await app.request(`/api/v1/admin/instruments/?business=${edgeBusiness}&pageSize=100&status=${c.expected}`, { token: jinan });
    expect(res.body.items.map((i: { id: string }) => i.id)).toContain(ids.get(c.name));
  });

  it('?due=N holds what falls due from today through N days, never what is overdue', async () => {
    const due = async (n: string) => new Set((await app.request(`/api/v1/admin/instruments?business=${edgeBusiness}&pageSize=100&due=${n}`, { token: jinan })).body.items.map((i: { id: string }) => i.id));
    const named = (...names: string[]) => new Set(names.map((n) => ids.get(n)));
    expect(await due('0')).toEqual(named('due today', 'no due date, 12-month cycle ends today'));
    expect(await due('30')).toEqual(named('due today', 'no due date, 12-month cycle ends today', 'due in 30 days', 'no due date, 6-month cycle ends in 30 days'));
    expect(await due('31')).toEqual(named('due today', 'no due date, 12-month cycle ends today', 'due in 30 days', 'no due date, 6-month cycle ends in 30 days', 'due in 31 days', 'no due date, 6-month cycle ends in 31 days'));
    expect(await due('overdue')).toEqual(named('due yesterday', 'due 23:30 yesterday (China)', 'no due date, 12-month cycle ends yesterday'));
    expect((await app.request('/api/v1/admin/instruments?due=367', { token: jinan })).status).toBe(400);
    expect((await app.request('/api/v1/admin/instruments?due=', { token: jinan })).status).toBe(400);
  });

  it('sorts by due date and by code', async () => {
    const items = async (sort: string) => (await app.request(`/api/v1/admin/instruments?business=${edgeBusiness}&pageSize=100&sort=${sort}`, { token: jinan })).body.items as Array<{ code: string; latestVerification: { dueDate: string | null } | null }>;
    const byCode = (await items('code')).map((i) => i.code);
    expect(byCode).toEqual([...byCode].sort());
    expect((await items('-code')).map((i) => i.code)).toEqual([...byCode].reverse());
    const stated = (await items('dueDate')).map((i) => i.latestVerification?.dueDate).filter((d) => d && d >= chinaDateString(now));
    expect(stated.length).toBeGreaterThan(3);
  });
});
