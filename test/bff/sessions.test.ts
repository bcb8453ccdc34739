import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

const business = (regionCode: string, name: string) => ({
  name,
  industry: 'market',
  regionCode,
  address: '测试路 1 号',
  location: [117.02, 36.66],
});

describe('staff sessions follow the account, not the token', () => {
  it('a regulator moved to another region works in the new region at once, with the token it already has', async () => {
    const token = await app.tokenFor('regulator', { username: 'reg-moving', regionCode: '370102' });
    const before = await app.request('/api/v1/admin/businesses', { token, body: business('370104', '槐荫区某市场') });
    expect(before.status).toBe(403);

    await app.server.deps.models.User.updateOne({ username: 'reg-moving' }, { $set: { regionCode: '370104' } });

    const inNew = await app.request('/api/v1/admin/businesses', { token, body: business('370104', '槐荫区某市场') });
    expect(inNew.status).toBe(201);
    const inOld = await app.request('/api/v1/admin/businesses', { token, body: business('370102', '历下区某市场') });
    expect(inOld.status).toBe(403);
    const list = await app.request('/api/v1/admin/businesses?pageSize=100', { token });
    expect(list.body.items.map((b: { regionCode: string }) => b.regionCode)).toEqual(['370104']);
  });

  it('a changed role ends the session with a 401 that says so', async () => {
    const token = await app.tokenFor('regulator', { username: 'reg-demoted' });
    expect((await app.request('/api/v1/admin/businesses', { token })).status).toBe(200);

    await app.server.deps.models.User.updateOne({ username: 'reg-demoted' }, { $set: { role: 'owner' } });

    const res = await app.request('/api/v1/admin/businesses', { token });
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'UNAUTHENTICATED', message: '账号角色已变更，请重新登录' });
  });

  it('a deleted or disabled account is told so', async () => {
    const token = await app.tokenFor('admin', { username: 'admin-leaving' });
    await app.server.deps.models.User.deleteOne({ username: 'admin-leaving' });
    const res = await app.request('/api/v1/admin/businesses', { token });
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'UNAUTHENTICATED', message: '账号已停用或不存在' });
  });
});
