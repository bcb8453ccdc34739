import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let lixia: string;
const names = ['张记水果摊', '阿福早餐店', '王府井超市', '八方加油站'];
beforeAll(async () => {
  app = await startTestApp();
  lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  for (const name of names) await app.request('/api/v1/admin/businesses', { token: lixia, body: { name, industry: 'market', regionCode: '370102' } });
});
afterAll(() => app.stop());

const listed = async (sort?: string) => {
  const res = await app.request(`/api/v1/admin/businesses${sort ? `?sort=${sort}` : ''}`, { token: lixia });
  expect(res.status).toBe(200);
  return res.body.items.map((b: { name: string }) => b.name);
};

describe('the businesses list order', () => {
  it('is newest first by default, oldest first on request', async () => {
    expect(await listed()).toEqual([...names].reverse());
    expect(await listed('createdAt')).toEqual(names);
  });

  it('sorts names in pinyin order (a Chinese reader’s A–Z), both ways', async () => {
    // a(阿) < b(八) < w(王) < z(张)
    expect(await listed('name')).toEqual(['阿福早餐店', '八方加油站', '王府井超市', '张记水果摊']);
    expect(await listed('-name')).toEqual(['张记水果摊', '王府井超市', '八方加油站', '阿福早餐店']);
  });

  it('refuses an order it does not offer', async () => {
    expect((await app.request('/api/v1/admin/businesses?sort=contacts', { token: lixia })).status).toBe(400);
  });
});
