/**
 * How the BFF serves the admin workspace under /admin (bff/src/middleware/admin.ts), on a small
 * build-shaped folder so each rule is checked exactly: SPA fallback, caching, missing files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app';

const adminDir = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-dist-'));
const INDEX = '<!doctype html><title>工作台</title><script type="module" src="/admin/assets/index-AbCd1234.js"></script>';
let app: TestApp;
let unbuilt: TestApp;

beforeAll(async () => {
  fs.mkdirSync(path.join(adminDir, 'assets'));
  fs.writeFileSync(path.join(adminDir, 'index.html'), INDEX);
  fs.writeFileSync(path.join(adminDir, 'assets', 'index-AbCd1234.js'), 'console.log("admin")');
  fs.writeFileSync(path.join(os.tmpdir(), 'admin-secret.txt'), 'secret');
  app = await startTestApp({ ADMIN_DIR: adminDir });
  unbuilt = await startTestApp({ ADMIN_DIR: path.join(adminDir, 'missing') });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await unbuilt?.stop();
  fs.rmSync(adminDir, { recursive: true, force: true });
  fs.rmSync(path.join(os.tmpdir(), 'admin-secret.txt'), { force: true });
});

describe('the admin workspace under /admin', () => {
  test.each([['/admin'], ['/admin/'], ['/admin/login'], ['/admin/instruments?due=overdue'], ['/admin/businesses/5f0c/edit']])(
    '%s answers index.html, not cached',
    async (p) => {
      const res = await app.request(p);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.text).toBe(INDEX);
    },
  );

  test('a hashed asset is cached for a year as immutable', async () => {
    const res = await app.request('/admin/assets/index-AbCd1234.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.text).toBe('console.log("admin")');
  });

  test('a missing asset is a 404, never the HTML page', async () => {
    const res = await app.request('/admin/assets/index-Gone0000.js');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('<!doctype html>');
  });

  test.each([['/admin/..%2fadmin-secret.txt'], ['/admin/%2e%2e/%2e%2e/etc/passwd'], ['/admin/assets/..%2f..%2fadmin-secret.txt']])('%s does not leave the build folder', async (p) => {
    const res = await app.request(p);
    expect(res.text).not.toContain('secret');
    expect(res.text).not.toContain('root:');
  });

  test('HEAD answers the headers without a body', async () => {
    const res = await fetch(`${app.url}/admin/assets/index-AbCd1234.js`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String('console.log("admin")'.length));
    expect(await res.text()).toBe('');
  });

  test('the page carries the CSP: scripts only from this origin, no framing', async () => {
    const res = await app.request('/admin/dashboard');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
  });

  test('paths that only start with "admin" are not the workspace', async () => {
    const res = await app.request('/administrator');
    expect(res.text).not.toBe(INDEX);
  });

  test('the API under /api is not shadowed', async () => {
    const res = await app.request('/api/v1/health');
    expect(res.headers.get('content-type')).toMatch(/json/);
  });

  test('without a build, /admin says how to build it', async () => {
    const res = await unbuilt.request('/admin/dashboard');
    expect(res.status).toBe(503);
    expect(res.text).toContain('npm run build:admin');
  });
});
