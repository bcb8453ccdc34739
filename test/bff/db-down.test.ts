import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@bff/config';
import { startServer, type RunningServer } from '@bff/server';
import { signSessionToken } from '@bff/services/credentials';
import { startEmbeddedMongo, type EmbeddedMongo } from '@mock/mongo';
import { startMockWechat, type MockWechat } from '@mock/wechat/server';
import { uniqueDbName } from '../helpers/mongo';

/** Its own MongoDB (kept on disk, so it can be stopped and started again) under a running BFF. */
let dir: string;
let mongo: EmbeddedMongo;
let wechat: MockWechat;
let server: RunningServer;
let staffToken: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-down-'));
  mongo = await startEmbeddedMongo({ port: 0, dbPath: dir, quiet: true });
  wechat = await startMockWechat();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    MONGODB_URI: mongo.uri,
    MONGODB_DB: uniqueDbName('dbdown'),
    WECHAT_API_BASE: wechat.url,
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD: 'admin-test-password',
  });
  server = await startServer(config);
  const regulator = await server.deps.models.User.create({ role: 'regulator', username: 'reg-db-down', regionCode: '370100' });
  staffToken = signSessionToken({ id: String(regulator._id), role: 'regulator', regionCode: '370100' }, config.jwtSecret, 600);
});

afterAll(async () => {
  await server.close();
  await wechat.stop();
  await mongo.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function get(p: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(server.url + p, { method: body ? 'POST' : 'GET', headers, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json().catch(() => undefined)) as any };
}

describe('when MongoDB is down', () => {
  it('answers 503 DB_UNAVAILABLE with Retry-After, never a false 401, and recovers when MongoDB is back', async () => {
    expect((await get('/api/v1/admin/businesses', staffToken)).status).toBe(200);

    await mongo.stop();

    const staff = await get('/api/v1/admin/businesses', staffToken);
    expect(staff.status).toBe(503);
    expect(staff.body.error.code).toBe('DB_UNAVAILABLE');
    expect(staff.body.error.message).toBe('数据服务暂时不可用，请稍后再试');
    expect(Number(staff.retryAfter)).toBeGreaterThan(0);
    const anonymous = await get('/api/v1/auth/guest', undefined, { deviceId: 'device-db-down' });
    expect(anonymous.status).toBe(503);
    expect(anonymous.body.error.code).toBe('DB_UNAVAILABLE');

    mongo = await startEmbeddedMongo({ port: mongo.port, dbPath: dir, quiet: true });

    let back = await get('/api/v1/admin/businesses', staffToken);
    for (let attempt = 0; back.status === 503 && attempt < 20; attempt++) back = await get('/api/v1/admin/businesses', staffToken);
    expect(back.status).toBe(200);
    expect(back.body.items).toEqual([]);
    expect((await get('/api/v1/auth/guest', undefined, { deviceId: 'device-db-down' })).status).toBe(200);
  });
});
