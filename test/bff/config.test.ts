import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '@bff/config';

describe('configuration', () => {
  it('stops a production start that lacks its secrets, naming each one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
    } catch (err) {
      expect((err as Error).message).toMatch(/QR_SIGNING_SECRET/);
      expect((err as Error).message).not.toMatch(/JWT_SECRET/);
    }
  });

  it('starts in production when everything is given', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'j'.repeat(32),
      QR_SIGNING_SECRET: 'q'.repeat(32),
      WECHAT_SECRET: 'w',
      WECHAT_API_BASE: 'https://api.weixin.qq.com',
      MONGODB_URI: 'mongodb://db.internal:27017/?replicaSet=rs0',
      PUBLIC_BASE_URL: 'https://jl.example.cn/',
    });
    expect(config.publicBaseUrl).toBe('https://jl.example.cn');
    expect(config.qrSigningSecret).toBe('q'.repeat(32));
  });

  it('rejects malformed values with a readable message', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });

  it('keeps development secrets stable across restarts, so printed labels stay genuine', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.qrSigningSecret).toBe(first.qrSigningSecret);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(first.qrSigningSecret).toHaveLength(64);
    expect(fs.statSync(path.join(dir, 'dev-secrets.json')).mode & 0o077).toBe(0);
  });
});

it('treats an empty variable as unset', () => {
  const config = loadConfig({ NODE_ENV: 'test', WECHAT_API_BASE: '', MONGODB_URI: '', PORT: '' });
  expect(config.wechat.apiBase).toBeUndefined();
  expect(config.mongodbUri).toBeUndefined();
  expect(config.port).toBe(3000);
});
