import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Models } from './models';
import type { RateLimiter } from './middleware/rateLimit';
import type { WechatClient } from './wechat/client';

/** What handlers need from the outside world, reachable as ctx.deps. */
export interface Deps {
  config: Config;
  conn: Connection;
  models: Models;
  logger: Logger;
  wechat: WechatClient;
  limiter: RateLimiter;
  /** Set once start-up (indexes, bootstrap admin, the caller's start-up work) is done; /api/v1/health reports it. */
  startup: { ready: boolean };
}

declare module 'koa' {
  interface DefaultContext {
    deps: Deps;
  }
}
