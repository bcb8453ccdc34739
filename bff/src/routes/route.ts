import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { ZodType } from 'zod';
import { requireAccess, type Access } from '../middleware/auth';
import { rateLimit, type RateLimiter, type RateLimitRule } from '../middleware/rateLimit';
import { validate } from '../middleware/validate';

/**
 * A route is data: method, path, who may call it, its input schemas, its rate limit and its
 * handler. The table drives the router, the auth matrix test and the OpenAPI document, so a route
 * cannot exist without saying who may call it.
 */
export interface RouteDef {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  access: Access;
  body?: ZodType;
  query?: ZodType;
  params?: ZodType;
  rateLimit?: RateLimitRule;
  handler: (ctx: Context) => Promise<void>;
}

export function buildRouter(routes: readonly RouteDef[], limiter: RateLimiter): Router {
  const router = new Router();
  for (const r of routes) {
    const chain: Middleware[] = [requireAccess(r.access)];
    if (r.rateLimit) chain.push(rateLimit(limiter, r.rateLimit));
    if (r.body || r.query || r.params) chain.push(validate({ body: r.body, query: r.query, params: r.params }));
    router[r.method](r.path, ...chain, (ctx) => r.handler(ctx));
  }
  return router;
}

/** Typed access to what validate() parsed. */
export function input<T>(ctx: Context, where: 'body' | 'query' | 'params'): T {
  return ctx.state.input[where] as T;
}
