/**
 * A regulator of 历下区 (370102) sees nothing of another district (市中区, 370103) through any
 * admin route: list, detail, label, label sheet, verification list or dashboard figure.
 *
 * The test walks the route table (so a route added later is walked too) and calls every admin
 * GET route with every kind of input that could point at the other district's data: its ids in
 * the path, its region, business, codes, name and ids in the query. It does so twice: before and
 * after that data is planted. A region rule holds when nothing the 370102 regulator gets changes
 * (answers, label sheets, images, dashboard figures), and no answer names the planted data. As a
 * check that the walk reaches the data at all, an admin's walk does find it.
 */
import { inflateSync } from 'node:zlib';
import { Types } from 'mongoose';
import { allRoutes } from '@bff/routes';
import { refreshCurrentVerifications } from '@bff/services/currentVerification';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { chinaMidnight, chinaDayNumber } from '@shared/verification';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let admin: string;

/** The other district's data, its ids and codes known before it exists. */
const foreign = {
  businessId: new Types.ObjectId(),
  instrumentIds: [new Types.ObjectId(), new Types.ObjectId()],
  codes: [makeInstrumentCode({ regionCode: '370103', categoryCode: '0201', serial: 990001 }), makeInstrumentCode({ regionCode: '370103', categoryCode: '0101', serial: 990002 })],
  externalCode: 'SDJL-370103-ISOLATION',
  name: '市中区隔离测试加油站',
  platformId: 'P370103990001',
  certificates: ['ISOL-370103-0001', 'ISOL-370103-0002'],
};
const foreignMarkers = [String(foreign.businessId), ...foreign.instrumentIds.map(String), ...foreign.codes, foreign.externalCode, foreign.name, foreign.platformId, ...foreign.certificates];

let own: { businessId: string; instrumentId: string };

beforeAll(async () => {
  app = await startTestApp();
  admin = await app.tokenFor('admin');
  const lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  const { businessId, codes } = await app.registerBusinessWithInstruments(lixia, { name: '历下区隔离测试市场', industry: 'market', regionCode: '370102' }, 'price_scale', 2);
  const listed = await app.request(`/api/v1/admin/instruments?code=${codes[0]}`, { token: lixia });
  own = { businessId, instrumentId: listed.body.items[0].id };
  await app.request('/api/v1/verifications', {
    token: admin,
    body: { results: codes.map((instrumentCode, i) => ({ instrumentCode, date: '2026-06-01', result: i ? 'fail' : 'pass', certificateNo: `OWN-370102-${i}`, institution: '济南市计量检定测试院' })) },
  });
});
afterAll(() => app.stop());

async function plantForeignData() {
  const { Business, Instrument, Verification } = app.server.deps.models;
  await Business.create({ _id: foreign.businessId, platformId: foreign.platformId, name: foreign.name, industry: 'fuel', regionCode: '370103', address: '经七路 1 号' });
  await Instrument.create([
    { _id: foreign.instrumentIds[0], code: foreign.codes[0], externalCodes: [foreign.externalCode], category: 'fuel_dispenser', business: foreign.businessId, regionCode: '370103' },
    { _id: foreign.instrumentIds[1], code: foreign.codes[1], category: 'price_scale', business: foreign.businessId, regionCode: '370103' },
  ]);
  const today = chinaDayNumber(new Date());
  await Verification.create([
    { instrument: foreign.instrumentIds[0], date: chinaMidnight(today - 200), result: 'pass', institution: '山东省计量科学研究院', certificateNo: foreign.certificates[0], dueDate: chinaMidnight(today - 10) },
    { instrument: foreign.instrumentIds[1], date: chinaMidnight(today - 20), result: 'pass', institution: '山东省计量科学研究院', certificateNo: foreign.certificates[1], dueDate: chinaMidnight(today + 10) },
  ]);
  await refreshCurrentVerifications(app.server.deps.models, foreign.instrumentIds);
}

const ADMIN_GETS = allRoutes.filter((r) => r.method === 'get' && r.path.startsWith('/api/v1/admin/'));

/** Every id a path parameter could take: our own records (so the route answers) and the other district's. */
function concretePaths(path: string): string[] {
  const ids = [own.instrumentId, own.businessId, ...foreign.instrumentIds.map(String), String(foreign.businessId)];
  let paths = [path];
  for (const [, name] of path.matchAll(/:(\w+)/g)) {
    const values = name === 'format' ? ['png', 'svg'] : /id$/i.test(name) ? ids : ['x'];
    paths = paths.flatMap((p) => values.map((v) => p.replace(`:${name}`, v)));
  }
  return paths;
}

/** Queries that point at the other district; each route reads the ones it knows and ignores the rest. */
const QUERIES = [
  '',
  'region=370103',
  'region=37',
  `business=${foreign.businessId}`,
  `code=${foreign.codes[0]}`,
  `code=${foreign.externalCode}`,
  `instrument=${foreign.codes[1]}`,
  `instrumentId=${foreign.instrumentIds[0]}`,
  `ids=${foreign.instrumentIds.join(',')}`,
  `q=${encodeURIComponent(foreign.name)}`,
  `q=${foreign.platformId}`,
  'status=overdue&pageSize=100',
  'due=30&pageSize=100',
];

/** The inflated page contents of a PDF: what its pages draw, without its creation date and id. */
function pdfPages(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const pages: string[] = [];
  const header = /<<([^<>]*)>>\s*stream\r?\n/g;
  for (let m = header.exec(text); m; m = header.exec(text)) {
    if (!m[1].includes('/FlateDecode') || m[1].includes('/Length1')) continue;
    const start = m.index + m[0].length;
    pages.push(inflateSync(pdf.subarray(start, start + Number(/\/Length (\d+)/.exec(m[1])?.[1]))).toString('latin1'));
  }
  return pages;
}

interface Answer {
  status: number;
  /** JSON or text as sent; for a PDF its page contents; for an image its bytes in base64. */
  content: string;
}

async function call(url: string, token: string): Promise<Answer> {
  const res = await fetch(app.url + url, { headers: { authorization: `Bearer ${token}` } });
  const type = res.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await res.arrayBuffer());
  if (type.startsWith('application/pdf')) return { status: res.status, content: pdfPages(bytes).join('\n') };
  if (type.startsWith('image/png')) return { status: res.status, content: bytes.toString('base64') };
  return { status: res.status, content: bytes.toString('utf8') };
}

/** Every admin GET route × every path id × every query, as `token` sees it. */
async function walk(token: string): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  for (const route of ADMIN_GETS) {
    // Each route is asked with the queries whose every parameter it declares (the others it would ignore).
    const known = new Set(Object.keys((route.query as { shape?: object } | undefined)?.shape ?? {}));
    const queries = QUERIES.filter((q) => q === '' || [...new URLSearchParams(q).keys()].every((k) => known.has(k)));
    for (const path of concretePaths(route.path)) {
      for (const query of queries) {
        const url = query ? `${path}?${query}` : path;
        answers.set(url, await call(url, token));
      }
    }
  }
  return answers;
}

describe('a regulator of 历下区 sees nothing of 市中区', () => {
  let before: Map<string, Answer>;
  let after: Map<string, Answer>;
  let adminAfter: Map<string, Answer>;
  beforeAll(async () => {
    // Label sheets are rate limited per account: each walk signs in afresh.
    before = await walk(await app.tokenFor('regulator', { regionCode: '370102' }));
    await plantForeignData();
    after = await walk(await app.tokenFor('regulator', { regionCode: '370102' }));
    adminAfter = await walk(admin);
  }, 600_000);

  it('walks every admin GET route of the table, and each answers the regulator with something', () => {
    expect(ADMIN_GETS.length).toBeGreaterThanOrEqual(8);
    for (const route of ADMIN_GETS) {
      const answered = [...after.entries()].filter(([url]) => concretePaths(route.path).some((p) => url === p || url.startsWith(`${p}?`)));
      const statuses = new Set(answered.map(([, a]) => a.status));
      // Admin-only routes answer 403; every other route serves the regulator at least once.
      const adminOnly = Array.isArray(route.access) && !route.access.includes('regulator');
      expect({ route: route.path, ok: adminOnly ? statuses.has(403) : statuses.has(200) }).toEqual({ route: route.path, ok: true });
    }
  });

  it('no answer changes when the other district’s data is planted', () => {
    const changed = [...after.entries()].filter(([url, a]) => {
      const b = before.get(url)!;
      return a.status !== b.status || a.content !== b.content;
    });
    expect(changed.map(([url]) => url)).toEqual([]);
  });

  it('no answer names the other district’s businesses, instruments or certificates', () => {
    const leaks = [...after.entries()].flatMap(([url, a]) => foreignMarkers.filter((m) => a.content.includes(m)).map((m) => `${url} → ${m}`));
    expect(leaks).toEqual([]);
  });

  it('an admin’s walk does reach that data (the walk would see a leak)', () => {
    const seen = new Set([...adminAfter.values()].flatMap((a) => foreignMarkers.filter((m) => a.content.includes(m))));
    expect([...seen].sort()).toEqual([...foreignMarkers].sort());
    const changedForAdmin = [...adminAfter.keys()].filter((url) => adminAfter.get(url)!.content !== before.get(url)!.content);
    expect(changedForAdmin.some((url) => url.startsWith('/api/v1/admin/labels.pdf'))).toBe(true);
    expect(changedForAdmin.some((url) => url.startsWith('/api/v1/admin/dashboard'))).toBe(true);
  });
});

describe('a regulator of 历下区 cannot write into 市中区', () => {
  it('a CSV row naming the other district’s business is refused and nothing is imported', async () => {
    const lixia = await app.tokenFor('regulator', { regionCode: '370102' });
    const csv = `business,category\n${foreign.platformId},price_scale\n${foreign.businessId},price_scale\n`;
    const res = await app.request('/api/v1/admin/instruments/import?partial=1', { token: lixia, body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.body.errors).toHaveLength(2);
    expect(res.text).not.toContain(foreign.name);
    expect(await app.server.deps.models.Instrument.countDocuments({ business: foreign.businessId })).toBe(2);
  });

  it('registering, changing or deleting the other district’s records answers as if they did not exist', async () => {
    const lixia = await app.tokenFor('regulator', { regionCode: '370102' });
    expect((await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId: String(foreign.businessId), category: 'price_scale' } })).status).toBe(404);
    expect((await app.request(`/api/v1/admin/instruments/${foreign.instrumentIds[0]}`, { token: lixia, method: 'PATCH', body: { model: 'X' } })).status).toBe(404);
    expect((await app.request(`/api/v1/admin/businesses/${foreign.businessId}`, { token: lixia, method: 'PATCH', body: { name: '改名' } })).status).toBe(404);
    expect((await app.request(`/api/v1/admin/instruments/${foreign.instrumentIds[1]}`, { token: lixia, method: 'DELETE' })).status).toBe(404);
    expect((await app.request(`/api/v1/admin/businesses/${foreign.businessId}`, { token: lixia, method: 'DELETE' })).status).toBe(404);
    expect(await app.server.deps.models.Business.exists({ _id: foreign.businessId, name: foreign.name })).toBeTruthy();
  });
});
