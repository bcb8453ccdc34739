import { loadOptions } from '@babel/core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from '@bff/config';
import miniappConfig from '../../miniapp/config/index';
import { h5BuildEnv } from '../../scripts/h5Build';

/**
 * Every value the README documents for every setting starts the stack: the configuration parses,
 * and the H5 build `npm start` runs does not depend on development-only tooling.
 */
const root = path.resolve(__dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** What production needs (the variables the README marks *). */
const PRODUCTION_NEEDS = {
  NODE_ENV: 'production',
  JWT_SECRET: 'j'.repeat(32),
  QR_SIGNING_SECRET: 'q'.repeat(32),
  WECHAT_SECRET: 'wechat-secret',
  WECHAT_API_BASE: 'https://api.weixin.qq.com',
  MONGODB_URI: 'mongodb://127.0.0.1:27017/?replicaSet=rs0',
  PUBLIC_BASE_URL: 'https://jl.example.cn',
};

/** The README's configuration table: every variable with the values it names. */
const DOCUMENTED: Record<string, string[]> = {
  NODE_ENV: ['development', 'production', 'test'],
  HOST: ['127.0.0.1', '0.0.0.0'],
  PORT: ['3000', '0'],
  PUBLIC_BASE_URL: ['http://localhost:3000', 'https://jl.example.cn'],
  MONGODB_URI: ['mongodb://127.0.0.1:27017/?replicaSet=rs0'],
  MONGODB_DB: ['chengxin'],
  WECHAT_API_BASE: ['https://api.weixin.qq.com'],
  WECHAT_APPID: ['wx-dev-appid'],
  WECHAT_SECRET: ['wechat-secret'],
  JWT_SECRET: ['j'.repeat(32)],
  QR_SIGNING_SECRET: ['q'.repeat(32)],
  TOKEN_TTL_SECONDS: ['604800'],
  GUEST_TOKEN_TTL_SECONDS: ['86400'],
  CORS_ORIGINS: ['', 'https://a.example.cn', 'https://a.example.cn, https://b.example.cn'],
  ADMIN_USERNAME: ['admin'],
  ADMIN_PASSWORD: ['a-long-password'],
  LOG_LEVEL: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
  DATA_DIR: ['data'],
  H5_DIR: ['miniapp/dist/h5'],
  API_BASE: ['http://127.0.0.1:3000', 'https://jl.example.cn'],
  ADMIN_DIR: ['miniapp/dist/admin'],
  TRUST_PROXY: ['0', '1'],
  MAP_TILE_URL: ['', 'https://webrd01.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}', 'http://127.0.0.1:8123/{z}/{x}/{y}.png'],
};

const cases = Object.entries(DOCUMENTED).flatMap(([name, values]) => values.map((value) => [name, value] as const));

describe('the README configuration table', () => {
  it('names exactly the variables tested here', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### A real MongoDB'));
    const names = [...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]).filter((n) => n in DOCUMENTED || /^[A-Z_]+$/.test(n));
    expect(new Set(names)).toEqual(new Set(Object.keys(DOCUMENTED)));
  });

  it.each(cases)('%s=%s parses in development and in production', (name, value) => {
    const dev = { NODE_ENV: 'development', DATA_DIR: dataDir, [name]: value };
    if (name === 'DATA_DIR') dev.DATA_DIR = path.join(dataDir, value);
    if (name !== 'NODE_ENV' || value !== 'production') expect(() => loadConfig(dev)).not.toThrow();
    expect(() => loadConfig({ ...PRODUCTION_NEEDS, DATA_DIR: dataDir, [name]: value, NODE_ENV: name === 'NODE_ENV' ? 'production' : 'production' })).not.toThrow();
  });

  it('reads each documented value as the README says', () => {
    const c = loadConfig({ ...PRODUCTION_NEEDS, HOST: '0.0.0.0', CORS_ORIGINS: 'https://a.example.cn, https://b.example.cn', TRUST_PROXY: '1' });
    expect(c).toMatchObject({ env: 'production', host: '0.0.0.0', port: 3000, mongodbDb: 'chengxin', trustProxy: true, corsOrigins: ['https://a.example.cn', 'https://b.example.cn'] });
    const d = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(d).toMatchObject({ env: 'development', host: '127.0.0.1', port: 3000, publicBaseUrl: 'http://localhost:3000', h5Dir: 'miniapp/dist/h5', adminDir: 'miniapp/dist/admin', trustProxy: false, corsOrigins: [] });
  });

  it('refuses production without the secrets and URLs marked *, naming them', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET, QR_SIGNING_SECRET, WECHAT_SECRET, WECHAT_API_BASE, MONGODB_URI, PUBLIC_BASE_URL/);
  });
});

describe('the H5 build npm start runs', () => {
  it.each([['development'], ['production'], ['test'], [undefined]])('is a production build when the stack runs with NODE_ENV=%s', (nodeEnv) => {
    expect(h5BuildEnv({ PATH: '/usr/bin', NODE_ENV: nodeEnv, API_BASE: 'https://x.example.cn' })).toMatchObject({ NODE_ENV: 'production', PATH: '/usr/bin', API_BASE: 'https://x.example.cn' });
  });

  /** What babel-preset-taro sees while webpack compiles the H5 pages. */
  const babelOptionsUnder = (nodeEnv: string) => {
    const saved = { NODE_ENV: process.env.NODE_ENV, TARO_PLATFORM: process.env.TARO_PLATFORM, TARO_ENV: process.env.TARO_ENV };
    Object.assign(process.env, { NODE_ENV: nodeEnv, TARO_PLATFORM: 'web', TARO_ENV: 'h5' });
    try {
      return loadOptions({ cwd: path.join(root, 'miniapp'), root: path.join(root, 'miniapp'), filename: path.join(root, 'miniapp/src/app.ts') });
    } finally {
      for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
    }
  };

  it.each([['development'], ['production']])('compiles the pages without hot-reload tooling under NODE_ENV=%s (npm run build:h5 by hand)', (nodeEnv) => {
    const options = babelOptionsUnder(nodeEnv);
    expect(options).not.toBeNull();
    const plugins = ((options as { plugins: Array<{ key: string }> }).plugins).map((p) => p.key);
    expect(plugins.some((k) => /refresh/.test(k))).toBe(false);
    expect(plugins.length).toBeGreaterThan(0);
  });

  it('configures the H5 webpack build without the fast-refresh plugin', async () => {
    const config = miniappConfig as unknown as (...a: unknown[]) => { h5: { devServer?: { hot?: boolean } } };
    const resolved = typeof config === 'function' ? config({}, {}) : config;
    expect(resolved.h5.devServer?.hot).toBe(false);
  });
});
