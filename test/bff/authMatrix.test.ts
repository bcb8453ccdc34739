import type { Role } from '@shared/api';
import { allRoutes } from '@bff/routes';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * Every route in the table × every kind of caller. Derived from the table itself, so a new route
 * is checked the moment it exists, and a route without an access rule cannot be declared.
 */
const ROLES: Role[] = ['guest', 'public', 'owner', 'regulator', 'verifier', 'admin'];

let app: TestApp;
const tokens = {} as Record<Role, string>;
beforeAll(async () => {
  app = await startTestApp();
  for (const role of ROLES) tokens[role] = await app.tokenFor(role);
});
afterAll(() => app.stop());

const concretePath = (path: string) => path.replace(/:(\w+)/g, (_, name: string) => (/id$/i.test(name) ? '0123456789abcdef01234567' : 'x'));

it('every route declares who may call it', () => {
  expect(allRoutes.length).toBeGreaterThan(0);
  for (const r of allRoutes) {
    const ok = r.access === 'anyone' || (Array.isArray(r.access) && r.access.length > 0);
    expect({ route: `${r.method} ${r.path}`, ok }).toEqual({ route: `${r.method} ${r.path}`, ok: true });
  }
});

it('no two routes share a method and path', () => {
  const keys = allRoutes.map((r) => `${r.method} ${r.path}`);
  expect(new Set(keys).size).toBe(keys.length);
});

describe.each(allRoutes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s', (_name, route) => {
  const call = (token?: string) =>
    app.request(concretePath(route.path), { method: route.method.toUpperCase(), token, body: route.method === 'get' || route.method === 'delete' ? undefined : {} });

  /** A caller let through gets the route's own answer: never 401/403, and never a server error. */
  const expectLetThrough = (status: number) => {
    expect([401, 403]).not.toContain(status);
    expect(status).toBeLessThan(500);
  };

  it('anonymous callers get 401 unless the route is open to anyone', async () => {
    const res = await call();
    if (route.access === 'anyone') expectLetThrough(res.status);
    else expect(res.status).toBe(401);
  });

  it.each(ROLES)('role %s is let through exactly when allowed', async (role) => {
    const res = await call(tokens[role]);
    const allowed = route.access === 'anyone' || route.access.includes(role);
    if (allowed) expectLetThrough(res.status);
    else expect(res.status).toBe(403);
  });
});
