import type { Role } from '@shared/api';
import { loadConfig } from '@bff/config';
import { startServer, type RunningServer } from '@bff/server';
import { hashPassword, signSessionToken } from '@bff/services/credentials';
import { startMockWechat, type MockWechat } from '@mock/wechat/server';
import { testMongo, uniqueDbName } from './mongo';

export interface TestApp {
  url: string;
  server: RunningServer;
  wechat: MockWechat;
  request(path: string, init?: RequestOpts): Promise<TestResponse>;
  /** A signed-in user of that role, created in the database. */
  tokenFor(role: Role, extra?: { regionCode?: string; username?: string; password?: string }): Promise<string>;
  /** A business registered through the API by the regulator `token`, with `count` instruments of `category`. */
  registerBusinessWithInstruments(token: string, business: Record<string, unknown>, category: string, count: number): Promise<{ businessId: string; codes: string[] }>;
  stop(): Promise<void>;
}

export interface RequestOpts {
  method?: string;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export const TEST_ADMIN_PASSWORD = 'admin-test-password';

/** The real BFF on a free port, on its own database in the embedded (or MONGODB_URI) server, with mock WeChat. */
export async function startBackend(env: Record<string, string> = {}) {
  const mongo = await testMongo();
  const wechat = await startMockWechat();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    MONGODB_URI: mongo.uri,
    MONGODB_DB: uniqueDbName('bff'),
    WECHAT_API_BASE: wechat.url,
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    PUBLIC_BASE_URL: 'https://jl.example.cn',
    ...env,
  });
  const server = await startServer(config);
  return {
    config,
    server,
    wechat,
    async stop() {
      await server.close();
      await wechat.stop();
      await mongo.stop();
    },
  };
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { config, server, wechat, stop } = await startBackend(env);
  let users = 0;

  const request = async (path: string, opts: RequestOpts = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(server.url + path, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  return {
    url: server.url,
    server,
    wechat,
    request,
    async tokenFor(role, extra = {}) {
      const { User } = server.deps.models;
      users += 1;
      const user = await User.create({
        role,
        username: extra.username ?? `${role}-${users}-${Date.now()}`,
        passwordHash: extra.password ? await hashPassword(extra.password) : undefined,
        regionCode: extra.regionCode ?? (role === 'regulator' ? '370100' : undefined),
      });
      return signSessionToken({ id: String(user._id), role, ...(role === 'regulator' ? { regionCode: user.regionCode! } : {}) }, config.jwtSecret, 600);
    },
    async registerBusinessWithInstruments(token, business, category, count) {
      const created = await request('/api/v1/admin/businesses', { token, body: business });
      if (created.status !== 201) throw new Error(`business not registered: ${created.status} ${created.text}`);
      const codes: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const instrument = await request('/api/v1/admin/instruments', { token, body: { businessId: created.body.id, category } });
        if (instrument.status !== 201) throw new Error(`instrument not registered: ${instrument.status} ${instrument.text}`);
        codes.push(instrument.body.code);
      }
      return { businessId: created.body.id, codes };
    },
    stop,
  };
}
