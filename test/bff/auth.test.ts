import jwt from 'jsonwebtoken';
import { startTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

describe('WeChat login', () => {
  it('exchanges a wx.login code for a token of a public user, the same user for the same code', async () => {
    const first = await app.request('/api/v1/auth/wechat', { body: { code: 'js-code-alice' } });
    expect(first.status).toBe(200);
    expect(first.body.user.role).toBe('public');
    expect(first.body.expiresIn).toBeGreaterThan(0);
    expect(JSON.stringify(first.body)).not.toContain(app.wechat.openidFor('js-code-alice'));
    const again = await app.request('/api/v1/auth/wechat', { body: { code: 'js-code-alice' } });
    expect(again.body.user.id).toBe(first.body.user.id);
    const other = await app.request('/api/v1/auth/wechat', { body: { code: 'js-code-bob' } });
    expect(other.body.user.id).not.toBe(first.body.user.id);
    const call = app.wechat.requests.find((r) => r.path === '/sns/jscode2session');
    expect(call?.query).toMatchObject({ js_code: 'js-code-alice', grant_type: 'authorization_code' });
  });

  it('answers 400 WECHAT_CODE_INVALID when WeChat rejects the code', async () => {
    const res = await app.request('/api/v1/auth/wechat', { body: { code: 'invalid-code' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WECHAT_CODE_INVALID');
  });

  it('rejects a missing or oversized code with VALIDATION_FAILED', async () => {
    for (const body of [{}, { code: '' }, { code: 'x'.repeat(65) }, { code: 42 }]) {
      const res = await app.request('/api/v1/auth/wechat', { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('guest login', () => {
  it('gives a browser a guest token keyed by its device id', async () => {
    const res = await app.request('/api/v1/auth/guest', { body: { deviceId: 'device-123456' } });
    expect(res.status).toBe(200);
    expect(res.body.user.role).toBe('guest');
    const decoded = jwt.decode(res.body.token) as { exp: number; iat: number };
    expect(decoded.exp - decoded.iat).toBe(24 * 3600);
  });
});

describe('password login', () => {
  it('lets the bootstrap admin in and rejects a wrong password the same way as an unknown user', async () => {
    const ok = await app.request('/api/v1/auth/login', { body: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
    expect(ok.status).toBe(200);
    expect(ok.body.user.role).toBe('admin');
    const wrong = await app.request('/api/v1/auth/login', { body: { username: 'admin', password: 'nope-nope' } });
    const unknown = await app.request('/api/v1/auth/login', { body: { username: 'nobody', password: 'nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('stores passwords as scrypt hashes and never returns them', async () => {
    const admin = await app.server.deps.models.User.findOne({ username: 'admin' }).lean();
    expect(admin?.passwordHash).toMatch(/^scrypt\$/);
    expect(admin?.passwordHash).not.toContain(TEST_ADMIN_PASSWORD);
    const ok = await app.request('/api/v1/auth/login', { body: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
    expect(ok.text).not.toContain('scrypt');
  });

  it('gives a regulator a token that carries the region', async () => {
    await app.tokenFor('regulator', { username: 'reg-lixia', password: 'pass-word-1', regionCode: '370102' });
    const res = await app.request('/api/v1/auth/login', { body: { username: 'reg-lixia', password: 'pass-word-1' } });
    expect(res.body.user).toMatchObject({ role: 'regulator', regionCode: '370102' });
  });

  it('stops a disabled staff account at once, even with a token still valid', async () => {
    const token = await app.tokenFor('regulator', { username: 'reg-leaving' });
    await app.server.deps.models.User.updateOne({ username: 'reg-leaving' }, { $set: { disabled: true } });
    const res = await app.request('/api/v1/health', { token });
    expect(res.status).toBe(401);
  });
});

describe('tokens', () => {
  it('answers 401 for a tampered, expired, foreign or malformed token', async () => {
    const login = await app.request('/api/v1/auth/guest', { body: { deviceId: 'device-tamper-1' } });
    const [h, p, s] = login.body.token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = [h, Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url'), s].join('.');
    const expired = jwt.sign({ sub: claims.sub, role: 'guest' }, app.server.deps.config.jwtSecret, { expiresIn: -10, issuer: 'chengxin-jiliang' });
    const foreign = jwt.sign({ sub: claims.sub, role: 'admin' }, 'some-other-secret-of-enough-length-000', { issuer: 'chengxin-jiliang' });
    for (const header of [`Bearer ${tampered}`, `Bearer ${expired}`, `Bearer ${foreign}`, 'Bearer', 'Basic abc']) {
      const res = await app.request('/api/v1/health', { headers: { authorization: header } });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });
});
