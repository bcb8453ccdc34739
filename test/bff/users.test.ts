import { startTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helpers/app';

let app: TestApp;
let admin: string;
let adminId: string;
beforeAll(async () => {
  app = await startTestApp();
  const login = await app.request('/api/v1/auth/login', { body: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
  admin = login.body.token;
  adminId = login.body.user.id;
});
afterAll(() => app.stop());

const create = (body: Record<string, unknown>) => app.request('/api/v1/admin/users', { token: admin, body });
const patch = (id: string, body: Record<string, unknown>) => app.request(`/api/v1/admin/users/${id}`, { token: admin, method: 'PATCH', body });
const login = (username: string, password: string) => app.request('/api/v1/auth/login', { body: { username, password } });
const fieldsOf = (res: { body: any }) => res.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]);

describe('an admin creates staff accounts', () => {
  it('a regulator with a region signs in with the password and sees only that region', async () => {
    const res = await create({ role: 'regulator', username: 'lixia-wang', password: 'quancheng-2026', displayName: '王科长', regionCode: '370102' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: 'lixia-wang', role: 'regulator', regionCode: '370102', regionName: '历下区', displayName: '王科长', disabled: false, institution: null });
    expect(res.text).not.toMatch(/scrypt|passwordHash|quancheng-2026/);
    const signedIn = await login('lixia-wang', 'quancheng-2026');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ role: 'regulator', regionCode: '370102' });
    const stored = await app.server.deps.models.User.findOne({ username: 'lixia-wang' }).lean();
    expect(stored!.passwordHash).toMatch(/^scrypt\$/);
  });

  it('a verifier posts for the institution of the account', async () => {
    const res = await create({ role: 'verifier', username: 'jnjl-li', password: 'verify-2026-li', institution: '济南市计量检定测试院' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'verifier', institution: '济南市计量检定测试院', regionCode: null });
    const token = (await login('jnjl-li', 'verify-2026-li')).body.token;
    const posted = await app.request('/api/v1/verifications', { token, body: { results: [{ instrumentCode: 'SDJL-NONE', date: '2026-01-05', result: 'pass', certificateNo: 'JD-1' }] } });
    expect(posted.status).toBe(200);
    expect(posted.body.errors[0].code).toBe('INSTRUMENT_NOT_FOUND'); // accepted as this institution's, not refused as INSTITUTION_UNKNOWN
  });

  it('an admin', async () => {
    const res = await create({ role: 'admin', username: 'ops.zhang', password: 'admin-zhang-2026' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'admin', regionCode: null, institution: null });
  });

  it('refuses a regulator without a region or with an unknown one, a verifier without institution, a short password', async () => {
    expect(fieldsOf(await create({ role: 'regulator', username: 'noregion', password: 'long-enough-1' }))).toEqual([['regionCode', expect.any(String)]]);
    expect(fieldsOf(await create({ role: 'regulator', username: 'badregion', password: 'long-enough-1', regionCode: '379999' }))).toEqual([['regionCode', 'REGION_CODE_UNKNOWN']]);
    expect(fieldsOf(await create({ role: 'verifier', username: 'noinst', password: 'long-enough-1' }))).toEqual([['institution', expect.any(String)]]);
    expect(fieldsOf(await create({ role: 'admin', username: 'shorty', password: '123456789' }))).toEqual([['password', 'PASSWORD_TOO_SHORT']]);
    expect(fieldsOf(await create({ role: 'admin', username: 'a b', password: 'long-enough-1' }))).toEqual([['username', 'USERNAME_FORMAT']]);
    expect((await create({ role: 'public', username: 'pub-user', password: 'long-enough-1' })).status).toBe(400);
    expect((await create({ role: 'admin', username: 'extra', password: 'long-enough-1', passwordHash: 'x' })).status).toBe(400);
  });

  it('usernames are unique: 409 USERNAME_TAKEN, also against the bootstrap admin and under parallel creates', async () => {
    const taken = await create({ role: 'admin', username: 'admin', password: 'another-admin-1' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('USERNAME_TAKEN');
    const parallel = await Promise.all([1, 2, 3].map(() => create({ role: 'admin', username: 'twin', password: 'twin-password-1' })));
    expect(parallel.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(parallel.filter((r) => r.status === 409).every((r) => r.body.error.code === 'USERNAME_TAKEN')).toBe(true);
  });
});

describe('the list of accounts', () => {
  it('pages, filters by role and searches, and never carries a hash', async () => {
    const regulators = await app.request('/api/v1/admin/users?role=regulator&pageSize=100', { token: admin });
    expect(regulators.status).toBe(200);
    expect(regulators.body.items.length).toBeGreaterThan(0);
    expect(regulators.body.items.every((u: { role: string }) => u.role === 'regulator')).toBe(true);
    const found = await app.request('/api/v1/admin/users?q=王科', { token: admin });
    expect(found.body.items.map((u: { username: string }) => u.username)).toEqual(['lixia-wang']);
    const page = await app.request('/api/v1/admin/users?page=1&pageSize=2', { token: admin });
    expect(page.body).toMatchObject({ page: 1, pageSize: 2 });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(2);
    expect(JSON.stringify([regulators.body, page.body])).not.toMatch(/scrypt|passwordHash|loginFailures|openid|deviceId/);
  });

  it('does not list public users or guests', async () => {
    await app.tokenFor('public');
    await app.tokenFor('guest');
    const all = await app.request('/api/v1/admin/users?pageSize=100', { token: admin });
    expect(all.body.items.some((u: { role: string }) => u.role === 'public' || u.role === 'guest')).toBe(false);
    expect((await app.request('/api/v1/admin/users?role=public', { token: admin })).status).toBe(400);
  });
});

describe('changing an account', () => {
  it('a disabled regulator stops at once, and works again when enabled', async () => {
    const made = await create({ role: 'regulator', username: 'tianqiao-liu', password: 'tianqiao-2026', regionCode: '370105' });
    const token = (await login('tianqiao-liu', 'tianqiao-2026')).body.token;
    expect((await app.request('/api/v1/admin/businesses', { token })).status).toBe(200);
    expect((await patch(made.body.id, { disabled: true })).body.disabled).toBe(true);
    const refused = await app.request('/api/v1/admin/businesses', { token });
    expect(refused.status).toBe(401);
    expect((await login('tianqiao-liu', 'tianqiao-2026')).status).toBe(401);
    expect((await app.request('/api/v1/admin/users?disabled=true', { token: admin })).body.items.map((u: { id: string }) => u.id)).toContain(made.body.id);
    await patch(made.body.id, { disabled: false });
    expect((await app.request('/api/v1/admin/businesses', { token })).status).toBe(200);
  });

  it('a password reset replaces the old password and lifts a login lock', async () => {
    const made = await create({ role: 'verifier', username: 'reset-me', password: 'first-password-1', institution: '山东省计量科学研究院' });
    await app.server.deps.models.User.updateOne({ _id: made.body.id }, { $set: { loginFailures: 9, lastLoginFailureAt: new Date(), loginLockedUntil: new Date(Date.now() + 3600_000) } });
    expect((await patch(made.body.id, { password: 'second-password-2' })).status).toBe(200);
    expect((await login('reset-me', 'first-password-1')).status).toBe(401);
    expect((await login('reset-me', 'second-password-2')).status).toBe(200);
    expect(fieldsOf(await patch(made.body.id, { password: 'short' }))).toEqual([['password', 'PASSWORD_TOO_SHORT']]);
  });

  it('moves a regulator to another region, effective on the next request', async () => {
    const made = await create({ role: 'regulator', username: 'mover', password: 'mover-password', regionCode: '370102' });
    const token = (await login('mover', 'mover-password')).body.token;
    const moved = await patch(made.body.id, { regionCode: '370103' });
    expect(moved.body).toMatchObject({ regionCode: '370103', regionName: '市中区' });
    expect((await app.request('/api/v1/admin/dashboard', { token })).body.region.code).toBe('370103');
    expect((await patch(made.body.id, { institution: '某机构' })).body.error.code).toBe('INSTITUTION_ONLY_FOR_VERIFIERS');
  });

  it('an admin cannot disable their own account', async () => {
    const res = await patch(adminId, { disabled: true });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CANNOT_DISABLE_SELF');
    expect((await app.request('/api/v1/admin/users', { token: admin })).status).toBe(200);
  });

  it('answers 404 for an unknown account or a public user, 400 for an empty change', async () => {
    expect((await patch('0123456789abcdef01234567', { disabled: true })).body.error.code).toBe('USER_NOT_FOUND');
    const publicUser = await app.server.deps.models.User.create({ role: 'public', openid: 'o-users-test' });
    expect((await patch(String(publicUser._id), { disabled: true })).status).toBe(404);
    expect((await patch(adminId, {})).status).toBe(400);
  });

  it('only admins manage accounts', async () => {
    const regulator = await app.tokenFor('regulator', { regionCode: '370102' });
    expect((await app.request('/api/v1/admin/users', { token: regulator })).status).toBe(403);
    expect((await app.request('/api/v1/admin/users', { token: regulator, body: { role: 'admin', username: 'sneaky', password: 'sneaky-password' } })).status).toBe(403);
  });
});
