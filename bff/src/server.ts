import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import pino from 'pino';
import { createApp } from './app';
import type { Config } from './config';
import type { Deps } from './deps';
import { RateLimiter } from './middleware/rateLimit';
import { createModels, ensureIndexes } from './models';
import { ensureBootstrapAdmin } from './services/bootstrap';
import { WechatClient } from './wechat/client';

export interface RunningServer {
  url: string;
  deps: Deps;
  /** Set when the bootstrap admin was created just now with a generated password. */
  generatedAdminPassword?: string;
  close(): Promise<void>;
}

/** Connects to MongoDB, prepares indexes and the bootstrap admin, then listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  if (!config.mongodbUri) throw new Error('MONGODB_URI is required by startServer (npm start provides the embedded one).');
  if (!config.wechat.apiBase) throw new Error('WECHAT_API_BASE is required by startServer (npm start provides the mock).');
  const logger = pino({ level: config.logLevel, base: { app: 'bff' } });
  const conn = await mongoose.createConnection(config.mongodbUri, { dbName: config.mongodbDb, autoIndex: false, serverSelectionTimeoutMS: 10_000 }).asPromise();
  const models = createModels(conn);
  await ensureIndexes(models);
  const generatedAdminPassword = await ensureBootstrapAdmin(models, config.admin);
  const wechat = new WechatClient({ apiBase: config.wechat.apiBase, appId: config.wechat.appId, secret: config.wechat.secret });
  const deps: Deps = { config, conn, models, logger, wechat, limiter: new RateLimiter() };
  const server = http.createServer(createApp(deps).callback());
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    deps,
    generatedAdminPassword,
    async close() {
      await new Promise<void>((resolve) => {
        server.closeIdleConnections();
        server.close(() => resolve());
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      await conn.close();
    },
  };
}
