/**
 * A new password ends the account's live sessions: tokens carry the session version they were
 * issued under (bff/src/services/credentials.ts), the account's is raised by a reset, and the
 * auth middleware refuses an older one. (Its own file: the password login allows 10 a minute per
 * address, and users.test.ts spends most of them.)
 */
import { startTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helpers/app';

let app: TestApp;
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = (await app.request('/api/v1/auth/login', { body: { username: 'admin', password: TEST_ADMIN_PASSWORD } })).body.token;
});
afterAll(() => app.stop());

const create = (body: Record<string, unknown>) => app.request('/api/v1/admin/users', { token: admin, body });
const patch = (id: string, body: Record<string, unknown>) => app.request(`/api/v1/admin/users/${id}`, { token: admin, method: 'PATCH', body });
const login = async (username: string, password: string): Promise<string> => {
  const res = await app.request('/api/v1/auth/login', { body: { username, password } });
  expect(res.status).toBe(200);
  return res.body.token;
};

describe('a password reset', () => {
  it('a password reset ends the sessions signed in with the old password; renaming does not', async () => {
    const made = await create({ role: 'regulator', username: 'reset-sessions', password: 'before-reset-1', regionCode: '370102' });
    const before = await login('reset-sessions', 'before-reset-1');
    expect((await patch(made.body.id, { displayName: '改名不影响登录' })).status).toBe(200);
    expect((await app.request('/api/v1/admin/businesses', { token: before })).status).toBe(200);

    expect((await patch(made.body.id, { password: 'after-reset-22' })).status).toBe(200);
    const refused = await app.request('/api/v1/admin/businesses', { token: before });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('密码已重置，请重新登录');
    const after = await login('reset-sessions', 'after-reset-22');
    expect((await app.request('/api/v1/admin/businesses', { token: after })).status).toBe(200);

    // A second reset ends the session of the first one's password as well.
    expect((await patch(made.body.id, { password: 'third-password-3' })).status).toBe(200);
    expect((await app.request('/api/v1/admin/businesses', { token: after })).status).toBe(401);
    expect((await app.request('/api/v1/admin/businesses', { token: await login('reset-sessions', 'third-password-3') })).status).toBe(200);
  });

  it('leaves the sessions of other accounts alone', async () => {
    const one = await create({ role: 'regulator', username: 'reset-one', password: 'one-password-1', regionCode: '370102' });
    await create({ role: 'regulator', username: 'reset-two', password: 'two-password-2', regionCode: '370102' });
    const two = await login('reset-two', 'two-password-2');
    expect((await patch(one.body.id, { password: 'one-password-new' })).status).toBe(200);
    expect((await app.request('/api/v1/admin/businesses', { token: two })).status).toBe(200);
  });
});
