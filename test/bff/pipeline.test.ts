import { allRoutes } from '@bff/routes';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

describe('the request pipeline', () => {
  it('reports version and a database round trip on /api/v1/health', async () => {
    const res = await app.request('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', version: expect.stringMatching(/^\d+\.\d+\.\d+/), db: { ok: true } });
    expect(res.body.db.roundTripMs).toBeGreaterThanOrEqual(0);
  });

  it('tags every answer with a request id and security headers', async () => {
    const res = await app.request('/api/v1/health', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const generated = await app.request('/api/v1/health', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a JSON body over 100 KB', async () => {
    const res = await app.request('/api/v1/auth/guest', { body: { deviceId: 'x'.repeat(200_000) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 400 INVALID_JSON for a broken body, without a stack trace', async () => {
    const res = await app.request('/api/v1/auth/guest', { body: '{"deviceId": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_JSON');
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('answers 404 ROUTE_NOT_FOUND for unknown API paths and 405 for a wrong method', async () => {
    const missing = await app.request('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ROUTE_NOT_FOUND');
    const wrongMethod = await app.request('/api/v1/health', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('rate-limits logins with 429 RATE_LIMITED and Retry-After', async () => {
    let last;
    for (let i = 0; i < 11; i += 1) {
      last = await app.request('/api/v1/auth/login', { body: { username: 'nobody', password: 'whatever' } });
    }
    expect(last!.status).toBe(429);
    expect(last!.body.error.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers CORS only for configured origins', async () => {
    const res = await app.request('/api/v1/health', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the OpenAPI document', () => {
  it('describes every route of the table with its access rule and input schemas', async () => {
    const res = await app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const r of allRoutes) {
      const op = res.body.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method];
      expect({ route: `${r.method} ${r.path}`, documented: Boolean(op) }).toEqual({ route: `${r.method} ${r.path}`, documented: true });
    }
    const scan = res.body.paths['/api/v1/scan'].get;
    expect(scan.parameters).toEqual([expect.objectContaining({ name: 'q', in: 'query', required: true })]);
    const login = res.body.paths['/api/v1/auth/wechat'].post;
    expect(login.requestBody.content['application/json'].schema.properties.code).toBeDefined();
  });
});
