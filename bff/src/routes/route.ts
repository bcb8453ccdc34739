import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { ZodType } from 'zod';
import { requireAccess, type Access } from '../middleware/auth';
import { DEFAULT_JSON_LIMIT_BYTES, jsonBody, rawBodyOf } from '../middleware/body';
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
  /** The JSON body's schema; the body is read only for routes that declare one. */
  body?: ZodType;
  /** Largest JSON body in bytes; 100 KB unless the route needs more. */
  bodyLimit?: number;
  /**
   * The handler reads the request body itself (e.g. CSV bytes, with readRequestBytes from
   * middleware/body.ts and its own limit); the pipeline only refuses other media types (415)
   * and leaves the bytes unread. `body` then documents the content but is not applied.
   */
  rawBody?: { mediaType: string };
  query?: ZodType;
  params?: ZodType;
  rateLimit?: RateLimitRule;
  handler: (ctx: Context) => Promise<void>;
}

/** Per route, in this order: who may call it, how often, then (only then) its body, then its input. */
export function buildRouter(routes: readonly RouteDef[], limiter: RateLimiter): Router {
  const router = new Router();
  for (const r of routes) {
    const chain: Middleware[] = [requireAccess(r.access)];
    if (r.rateLimit) chain.push(rateLimit(limiter, r.rateLimit));
    const body = r.rawBody ? undefined : r.body;
    if (r.rawBody) chain.push(rawBodyOf(r.rawBody.mediaType));
    else if (body) chain.push(jsonBody(r.bodyLimit ?? DEFAULT_JSON_LIMIT_BYTES));
    if (body || r.query || r.params) chain.push(validate({ body, query: r.query, params: r.params }));
    router[r.method](r.path, ...chain, (ctx) => r.handler(ctx));
  }
  return router;
}

/** Typed access to what validate() parsed. */
export function input<T>(ctx: Context, where: 'body' | 'query' | 'params'): T {
  return ctx.state.input[where] as T;
}
