/**
 * The public business search, GET /api/v1/businesses, over HTTP on the real stack: by name part,
 * credit code, platform or external instrument code; filters; nearby with $geoNear.
 */
import { makeCreditCode } from '@shared/creditCode';
import { Types } from 'mongoose';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
/** A signed-in member of the public: these tests make more requests than one anonymous address may in a minute (see the last test). */
let shopper: string;
const QUANCHENG_SQUARE: [number, number] = [117.0209, 36.6612];
const CREDIT_A = makeCreditCode('91370102MA3C4K7Q0');
const ids: Record<string, string> = {};
const codes: Record<string, string[]> = {};

/** Great-circle metres on MongoDB's sphere (R = 6378100 m), to check what $geoNear reports. */
function metres([lng1, lat1]: [number, number], [lng2, lat2]: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6378100 * Math.asin(Math.sqrt(h));
}

const PLACES = {
  fruit: [117.022, 36.662] as [number, number],
  fish: [117.035, 36.668] as [number, number],
  bakery: [117.03, 36.645] as [number, number],
  fuel: [117.12, 36.7] as [number, number],
  closed: [117.0212, 36.6613] as [number, number],
};

beforeAll(async () => {
  app = await startTestApp();
  shopper = await app.tokenFor('public');
  const token = await app.tokenFor('regulator', { regionCode: '370100' });
  const register = async (key: string, business: Record<string, unknown>, category: string, count: number) => {
    const made = await app.registerBusinessWithInstruments(token, { contacts: [{ name: '王店长', phone: '13912345678' }], ...business }, category, count);
    ids[key] = made.businessId;
    codes[key] = made.codes;
  };
  await register('fruit', { name: '泉城路诚信水果店', industry: 'retail', regionCode: '370102', creditCode: CREDIT_A, location: PLACES.fruit }, 'price_scale', 3);
  await register('fish', { name: '大明湖鲜鱼摊', industry: 'market', regionCode: '370102', location: PLACES.fish }, 'price_scale', 1);
  await register('bakery', { name: '芙蓉街面包坊', industry: 'retail', regionCode: '370102', location: PLACES.bakery }, 'price_scale', 0);
  await register('fuel', { name: '历城区东风加油站', industry: 'fuel', regionCode: '370112', location: PLACES.fuel }, 'fuel_dispenser', 2);
  await register('nowhere', { name: '没有定位的诚信小卖部', industry: 'retail', regionCode: '370102' }, 'price_scale', 1);
  await register('closed', { name: '已停业的诚信超市', industry: 'retail', regionCode: '370102', location: PLACES.closed }, 'price_scale', 1);
  await app.request(`/api/v1/admin/businesses/${ids.closed}`, { method: 'PATCH', token, body: { status: 'closed' } });
  // One of the fruit shop's three scales is taken out of use; the fish stall's scale has a provincial code too.
  await app.server.deps.models.Instrument.updateOne({ code: codes.fruit[2] }, { $set: { status: 'suspended' } });
  await app.server.deps.models.Instrument.updateOne({ code: codes.fish[0] }, { $set: { externalCodes: ['SDJL-370102-00000777'] } });
  // Grades come from the grading (a later issue); written straight into the stored business here.
  await app.server.deps.models.Business.collection.updateOne({ name: '泉城路诚信水果店' }, { $set: { grade: 'A' } });
  await app.server.deps.models.Business.collection.updateOne({ name: '历城区东风加油站' }, { $set: { grade: 'C' } });
});
afterAll(() => app.stop());

const search = (query: string) => app.request(`/api/v1/businesses?${query}`, { token: shopper });
const anonymousSearch = (query: string) => app.request(`/api/v1/businesses?${query}`);
const names = (res: { body: { items: Array<{ name: string }> } }) => res.body.items.map((i) => i.name).sort();

describe('searching businesses by what a shopper knows', () => {
  it('finds businesses by part of their name, only active ones', async () => {
    const res = await search(`q=${encodeURIComponent('诚信')}`);
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['没有定位的诚信小卖部', '泉城路诚信水果店']);
    expect(res.body).toMatchObject({ total: 2, page: 1, pageSize: 20 });
  });

  it('treats the text as letters, not as a pattern', async () => {
    for (const q of ['.*', '诚信.*', '(', '[']) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      expect({ q, status: res.status, total: res.body.total }).toEqual({ q, status: 200, total: 0 });
    }
  });

  it('finds a business by its credit code, typed in upper or lower case', async () => {
    for (const q of [CREDIT_A, CREDIT_A.toLowerCase()]) {
      const res = await search(`q=${q}`);
      expect(names(res)).toEqual(['泉城路诚信水果店']);
    }
  });

  it('finds the business of an instrument by its platform code', async () => {
    expect(names(await search(`q=${codes.fish[0]}`))).toEqual(['大明湖鲜鱼摊']);
    expect(names(await search(`q=${codes.fuel[1]}`))).toEqual(['历城区东风加油站']);
  });

  it('finds the business of an instrument by a code another system gave it', async () => {
    expect(names(await search('q=SDJL-370102-00000777'))).toEqual(['大明湖鲜鱼摊']);
  });

  it('finds nothing for a well-formed platform code that was never issued', async () => {
    const unknown = makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 99_999_999 });
    const res = await search(`q=${unknown}`);
    expect(res.body).toMatchObject({ items: [], total: 0 });
  });

  it('never lists a closed business, whatever it is searched by', async () => {
    expect((await search(`q=${encodeURIComponent('已停业')}`)).body.total).toBe(0);
    expect((await search(`q=${codes.closed[0]}`)).body.total).toBe(0);
    expect(names(await search('pageSize=100'))).not.toContain('已停业的诚信超市');
  });
});

describe('filters', () => {
  it('filters by industry', async () => {
    expect(names(await search('industry=fuel'))).toEqual(['历城区东风加油站']);
    expect(names(await search('industry=market'))).toEqual(['大明湖鲜鱼摊']);
  });

  it('filters by a region prefix: a county, a city written either way, a province', async () => {
    expect(names(await search('region=370112'))).toEqual(['历城区东风加油站']);
    for (const region of ['3701', '370100', '37', '370000']) {
      expect({ region, total: (await search(`region=${region}`)).body.total }).toEqual({ region, total: 5 });
    }
    expect((await search('region=3702')).body.total).toBe(0);
  });

  it('filters by grade; pending also means not graded yet (暂无评级)', async () => {
    expect(names(await search('grade=A'))).toEqual(['泉城路诚信水果店']);
    expect(names(await search('grade=A,C'))).toEqual(['历城区东风加油站', '泉城路诚信水果店']);
    expect(names(await search('grade=pending'))).toEqual(['大明湖鲜鱼摊', '没有定位的诚信小卖部', '芙蓉街面包坊']);
    expect((await search('grade=B')).body.total).toBe(0);
  });

  it('combines filters with the text', async () => {
    expect(names(await search(`q=${encodeURIComponent('诚信')}&grade=pending`))).toEqual(['没有定位的诚信小卖部']);
    expect((await search(`q=${encodeURIComponent('诚信')}&industry=fuel`)).body.total).toBe(0);
  });

  it('refuses a malformed filter with 400', async () => {
    for (const query of ['industry=bakery', 'region=3', 'region=37010a', 'grade=E', 'grade=', 'page=0', 'pageSize=101']) {
      const res = await search(query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('pages in a stable order, and the total counts every match', async () => {
    const all = await search('pageSize=100');
    const paged: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const res = await search(`pageSize=2&page=${page}`);
      expect(res.body.total).toBe(5);
      paged.push(...res.body.items.map((i: { id: string }) => i.id));
    }
    expect(paged).toEqual(all.body.items.map((i: { id: string }) => i.id));
  });
});

describe('what a listed business shows', () => {
  it('counts only the instruments in use', async () => {
    const res = await search('pageSize=100');
    const count = Object.fromEntries(res.body.items.map((i: { name: string; instrumentCount: number }) => [i.name, i.instrumentCount]));
    expect(count).toEqual({ 泉城路诚信水果店: 2, 大明湖鲜鱼摊: 1, 芙蓉街面包坊: 0, 历城区东风加油站: 2, 没有定位的诚信小卖部: 1 });
  });

  it('has the public summary, location and grade, and nothing internal', async () => {
    const res = await search(`q=${CREDIT_A}`);
    expect(res.body.items[0]).toEqual({
      id: ids.fruit,
      name: '泉城路诚信水果店',
      industry: 'retail',
      industryName: '商店超市',
      regionCode: '370102',
      regionName: '历下区',
      grade: 'A',
      location: PLACES.fruit,
      instrumentCount: 2,
    });
    const all = await search('pageSize=100');
    expect(all.body.items.find((i: { name: string }) => i.name === '没有定位的诚信小卖部')).toMatchObject({ location: null, grade: null });
    for (const text of [res.text, all.text]) {
      for (const secret of ['13912345678', '王店长', 'contacts', 'phone', 'creditCode', 'platformId', 'status', 'createdAt', '__v']) expect(text).not.toContain(secret);
    }
  });
});

describe('nearby: near=lng,lat&radius', () => {
  const near = `near=${QUANCHENG_SQUARE.join(',')}`;

  it('lists active businesses within the radius, nearest first, each with its distance in whole metres', async () => {
    const res = await search(`${near}&radius=5000`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { name: string }) => i.name)).toEqual(['泉城路诚信水果店', '大明湖鲜鱼摊', '芙蓉街面包坊']);
    expect(res.body.total).toBe(3);
    for (const item of res.body.items) {
      expect(Number.isInteger(item.distance)).toBe(true);
      expect(item.distance).toBeLessThanOrEqual(5000);
      expect(Math.abs(item.distance - metres(QUANCHENG_SQUARE, item.location))).toBeLessThanOrEqual(1);
    }
    const distances = res.body.items.map((i: { distance: number }) => i.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it('a wider radius reaches further; a business without a location is never in a nearby result', async () => {
    const res = await search(`${near}&radius=50000&pageSize=100`);
    expect(res.body.items.map((i: { name: string; instrumentCount: number }) => [i.name, i.instrumentCount])).toEqual([
      ['泉城路诚信水果店', 2],
      ['大明湖鲜鱼摊', 1],
      ['芙蓉街面包坊', 0],
      ['历城区东风加油站', 2],
    ]);
    expect(res.body.total).toBe(4);
    expect(res.text).not.toContain('没有定位');
    expect(res.text).not.toContain('已停业');
  });

  it('its total is what paging through returns', async () => {
    const seen: string[] = [];
    let total = -1;
    for (let page = 1; page <= 3; page += 1) {
      const res = await search(`${near}&radius=50000&pageSize=1&page=${page}`);
      total = res.body.total;
      seen.push(...res.body.items.map((i: { name: string }) => i.name));
    }
    expect(total).toBe(4);
    expect(seen).toEqual(['泉城路诚信水果店', '大明湖鲜鱼摊', '芙蓉街面包坊']);
    const last = await search(`${near}&radius=50000&pageSize=1&page=4`);
    expect(last.body.items.map((i: { name: string }) => i.name)).toEqual(['历城区东风加油站']);
    expect((await search(`${near}&radius=50000&pageSize=1&page=5`)).body).toMatchObject({ items: [], total: 4 });
  });

  it('applies the other filters inside the nearby search, total included', async () => {
    const res = await search(`${near}&radius=50000&industry=market`);
    expect(res.body.items.map((i: { name: string }) => i.name)).toEqual(['大明湖鲜鱼摊']);
    expect(res.body.total).toBe(1);
    expect((await search(`${near}&radius=50000&grade=A,C`)).body.items.map((i: { name: string }) => i.name)).toEqual(['泉城路诚信水果店', '历城区东风加油站']);
    expect((await search(`${near}&radius=5000&q=${codes.fuel[0]}`)).body).toMatchObject({ items: [], total: 0 });
    expect((await search(`${near}&radius=50000&q=${codes.fuel[0]}`)).body.total).toBe(1);
  });

  it('carries no distance when the search is not nearby', async () => {
    const res = await search('pageSize=100');
    expect(res.body.items.every((i: object) => !('distance' in i))).toBe(true);
  });

  it('refuses a malformed point or radius with 400', async () => {
    for (const query of ['near=abc', 'near=117.02', 'near=117.02,36.66,1', 'near=200,36', 'near=117,95', `${near}&radius=10`, `${near}&radius=50001`, `${near}&radius=1.5e3x`]) {
      const res = await search(query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});

describe('nearby, with stalls of one market hall at the same point', () => {
  const HALL: [number, number] = [116.98, 36.7];

  it('pages through businesses at equal distances without repeating or skipping one', async () => {
    const { Business } = app.server.deps.models;
    const stallIds = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
    // Stored in the reverse order of their ids: the page order must not depend on how they were stored.
    for (const [i, _id] of [...stallIds.entries()].reverse()) {
      await Business.collection.insertOne({ _id, name: `北园大街农贸市场 ${i + 1} 号摊`, industry: 'market', regionCode: '370105', address: '', location: { type: 'Point', coordinates: HALL }, status: 'active' });
    }
    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const res = await search(`near=${HALL.join(',')}&radius=100&pageSize=1&page=${page}`);
      expect(res.body.total).toBe(3);
      seen.push(...res.body.items.map((i: { id: string; distance: number }) => i.id));
    }
    expect(seen).toEqual(stallIds.map(String));
  });
});

describe('the rate limit', () => {
  it('shares the scan budget: once an anonymous client spent it, search and business pages answer 429 with Retry-After, and so does a scan', async () => {
    let passed = 0;
    let limited: Awaited<ReturnType<typeof search>> | undefined;
    for (let i = 0; i < 200 && !limited; i += 1) {
      const res = i % 2 ? await anonymousSearch('industry=retail') : await app.request(`/api/v1/scan?q=${codes.fish[0]}`);
      if (res.status === 429) limited = res;
      else passed += 1;
    }
    expect(limited?.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(passed).toBe(120);
    expect((await anonymousSearch('industry=retail')).status).toBe(429);
    expect((await app.request(`/api/v1/businesses/${ids.fruit}`)).status).toBe(429);
    expect((await app.request(`/api/v1/scan?q=${codes.fish[0]}`)).status).toBe(429);
  });
});
