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
  /** Resolves once start-up is done and /api/v1/health answers 200 `ready`; rejects if the start-up work failed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /**
   * Work that must finish before the server is ready (npm start seeds the demo data and logins
   * here). The server already listens meanwhile and /api/v1/health answers 503 `starting`.
   */
  startup?: (deps: Deps) => Promise<void>;
}

/**
 * While MongoDB is unreachable a request fails within ~2 s (answered 503 DB_UNAVAILABLE) instead
 * of waiting in Mongoose's 10 s buffer; the driver keeps reconnecting, so service resumes by itself.
 */
const MONGO_FAIL_FAST = { serverSelectionTimeoutMS: 2_000, connectTimeoutMS: 2_000, bufferCommands: false } as const;

/** Connects to MongoDB, prepares indexes and the bootstrap admin, then listens; ready once `opts.startup` is done too. */
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  if (!config.mongodbUri) throw new Error('MONGODB_URI is required by startServer (npm start provides the embedded one).');
  if (!config.wechat.apiBase) throw new Error('WECHAT_API_BASE is required by startServer (npm start provides the mock).');
  const logger = pino({ level: config.logLevel, base: { app: 'bff' } });
  const conn = await mongoose.createConnection(config.mongodbUri, { dbName: config.mongodbDb, autoIndex: false, ...MONGO_FAIL_FAST }).asPromise();
  const models = createModels(conn);
  await ensureIndexes(models);
  const generatedAdminPassword = await ensureBootstrapAdmin(models, config.admin);
  const wechat = new WechatClient({ apiBase: config.wechat.apiBase, appId: config.wechat.appId, secret: config.wechat.secret });
  const deps: Deps = { config, conn, models, logger, wechat, limiter: new RateLimiter(), startup: { ready: false } };
  const server = http.createServer(createApp(deps).callback());
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  if (!opts.startup) deps.startup.ready = true;
  const ready = opts.startup
    ? opts.startup(deps).then(() => {
        deps.startup.ready = true;
      })
    : Promise.resolve();
  // A caller that never awaits `ready` must not crash the process with an unhandled rejection.
  ready.catch((err) => logger.error({ err }, 'start-up failed'));
  return {
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    deps,
    generatedAdminPassword,
    ready,
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
