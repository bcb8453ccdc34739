/**
 * The mini-program's build configuration: a weapp build never points phones at 127.0.0.1 by
 * accident. The config function Taro runs is called here as Taro calls it, per platform.
 */
import fs from 'node:fs';
import path from 'node:path';
import miniappConfig, { ApiBaseError, LOCAL_API_BASE, apiBaseFor } from '../../miniapp/config/index';

type Resolved = { defineConstants: { API_BASE: string } };
const configFn = miniappConfig as unknown as (merge: unknown, env: unknown) => Resolved;

/** Runs the config function with `env` as the process environment, as `taro build` would. */
function resolveWith(env: Record<string, string | undefined>): Resolved {
  const saved = { ...process.env };
  for (const key of ['TARO_ENV', 'API_BASE']) delete process.env[key];
  Object.assign(process.env, env);
  try {
    return configFn({}, {});
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

describe('API_BASE in the weapp build', () => {
  test('a weapp build without API_BASE fails, saying what to set', () => {
    expect(() => resolveWith({ TARO_ENV: 'weapp' })).toThrow(ApiBaseError);
    expect(() => resolveWith({ TARO_ENV: 'weapp' })).toThrow(/API_BASE is not set.*API_BASE=https:\/\/.*npm run build:weapp/);
    expect(() => resolveWith({ TARO_ENV: 'weapp', API_BASE: '   ' })).toThrow(/API_BASE is not set/);
  });

  test('a weapp build with API_BASE compiles that origin in, without a trailing slash', () => {
    expect(resolveWith({ TARO_ENV: 'weapp', API_BASE: 'https://jl.example.cn' }).defineConstants.API_BASE).toBe(JSON.stringify('https://jl.example.cn'));
    expect(apiBaseFor('weapp', { API_BASE: 'https://jl.example.cn/' }, () => {})).toBe('https://jl.example.cn');
    expect(apiBaseFor('weapp', { API_BASE: 'https://gw.example.cn/jl/' }, () => {})).toBe('https://gw.example.cn/jl');
  });

  test('refuses an API_BASE that is not an http(s) origin', () => {
    for (const bad of ['jl.example.cn', 'ftp://jl.example.cn', 'https://jl.example.cn/?x=1', 'https://user:pw@jl.example.cn', 'https://jl.example.cn/#a']) {
      expect(() => apiBaseFor('weapp', { API_BASE: bad }, () => {})).toThrow(ApiBaseError);
    }
  });

  test('the explicit local opt-in builds, and says loudly that it is for this machine only', () => {
    const warnings: string[] = [];
    expect(apiBaseFor('weapp', { API_BASE: LOCAL_API_BASE }, (line) => warnings.push(line))).toBe(LOCAL_API_BASE);
    expect(warnings.join('\n')).toMatch(/plain http.*never on a phone/s);
    const quiet: string[] = [];
    apiBaseFor('weapp', { API_BASE: 'https://jl.example.cn' }, (line) => quiet.push(line));
    expect(quiet).toEqual([]);
  });

  test('the H5 build calls its own origin whatever API_BASE says', () => {
    expect(resolveWith({ TARO_ENV: 'h5' }).defineConstants.API_BASE).toBe('""');
    expect(resolveWith({ TARO_ENV: 'h5', API_BASE: 'https://jl.example.cn' }).defineConstants.API_BASE).toBe('""');
  });

  test('the README documents API_BASE and its local opt-in in the settings table', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `API_BASE`'));
    expect(row).toBeDefined();
    expect(row).toContain(LOCAL_API_BASE);
  });
});
