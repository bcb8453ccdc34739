import { loadConfig, ConfigError } from '@bff/config';
import { startTestApp, type TestApp } from '../helpers/app';

const TILE = 'https://webrd01.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}';

describe('MAP_TILE_URL', () => {
  it('is unset by default: no map', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).mapTileUrl).toBeNull();
  });

  it('takes an https template with {x} {y} {z}, and http only on 127.0.0.1 (the test/dev opt-in)', () => {
    expect(loadConfig({ NODE_ENV: 'test', MAP_TILE_URL: TILE }).mapTileUrl).toBe(TILE);
    expect(loadConfig({ NODE_ENV: 'test', MAP_TILE_URL: 'http://127.0.0.1:8123/{z}/{x}/{y}.png' }).mapTileUrl).toBe('http://127.0.0.1:8123/{z}/{x}/{y}.png');
  });

  it.each([
    ['http on another host', 'http://tiles.example.cn/{z}/{x}/{y}.png'],
    ['http on localhost by name', 'http://localhost:8123/{z}/{x}/{y}.png'],
    ['no {z}', 'https://tiles.example.cn/{x}/{y}.png'],
    ['no {x}', 'https://tiles.example.cn/{z}/{y}.png'],
    ['not a URL', 'tiles/{z}/{x}/{y}.png'],
    ['another scheme', 'javascript:{x}{y}{z}'],
    ['credentials in it', 'https://user:pw@tiles.example.cn/{z}/{x}/{y}.png'],
  ])('refuses %s, naming the variable', (_why, value) => {
    expect(() => loadConfig({ NODE_ENV: 'test', MAP_TILE_URL: value })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', MAP_TILE_URL: value })).toThrow(/MAP_TILE_URL/);
  });
});

describe('GET /api/v1/client-config and the CSP', () => {
  describe('without a tile URL', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(() => app.stop());

    it('tells anyone, without a token, that there is no map', async () => {
      const res = await app.request('/api/v1/client-config');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ mapTileUrl: null });
    });

    it('lets images come only from the app itself', async () => {
      const res = await app.request('/api/v1/client-config');
      const imgSrc = res.headers.get('content-security-policy')!.split(';').find((d) => d.trim().startsWith('img-src'))!;
      expect(imgSrc.trim()).toBe("img-src 'self' data: blob:");
    });
  });

  describe('with a tile URL', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ MAP_TILE_URL: TILE });
    });
    afterAll(() => app.stop());

    it('hands the template to the H5 app', async () => {
      const res = await app.request('/api/v1/client-config');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ mapTileUrl: TILE });
    });

    it('adds that URL\'s origin, and only its origin, to img-src', async () => {
      const res = await app.request('/api/v1/health');
      const csp = res.headers.get('content-security-policy')!;
      const imgSrc = csp.split(';').find((d) => d.trim().startsWith('img-src'))!;
      expect(imgSrc.trim()).toBe("img-src 'self' data: blob: https://webrd01.is.autonavi.com");
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toMatch(/connect-src[^;]*autonavi/);
    });
  });
});
