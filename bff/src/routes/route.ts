import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { z, ZodType } from 'zod';
import { requireAccess, type Access } from '../middleware/auth';
import { DEFAULT_JSON_LIMIT_BYTES, jsonBody, rawBodyOf } from '../middleware/body';
import { rateLimit, type RateLimiter, type RateLimitRule } from '../middleware/rateLimit';
import { validate } from '../middleware/validate';

type Parsed<S> = S extends ZodType ? z.output<S> : undefined;

/** What validate() parsed for a route, typed from the route's own schemas. */
export interface RouteInput<B, Q, P> {
  body: Parsed<B>;
  query: Parsed<Q>;
  params: Parsed<P>;
}

/**
 * A route is data: method, path, who may call it, its input schemas, its rate limit and its
 * handler. The table drives the router, the auth matrix test and the OpenAPI document, so a route
 * cannot exist without saying who may call it. Declare one with defineRoute() so the handler's
 * input is typed by the schemas it is validated with.
 */
export interface RouteSpec<B extends ZodType | undefined, Q extends ZodType | undefined, P extends ZodType | undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  access: Access;
  /** The JSON body's schema; the body is read only for routes that declare one. */
  body?: B;
  /** Largest JSON body in bytes; 100 KB unless the route needs more. */
  bodyLimit?: number;
  /**
   * The handler reads the request body itself (e.g. CSV bytes, with readRequestBytes from
   * middleware/body.ts and its own limit); the pipeline only refuses other media types (415)
   * and leaves the bytes unread. `body` then documents the content but is not applied.
   */
  rawBody?: { mediaType: string };
  query?: Q;
  params?: P;
  rateLimit?: RateLimitRule;
  handler(ctx: Context, input: RouteInput<B, Q, P>): Promise<void>;
}

/** A route of the table, whatever its schemas. */
export type RouteDef = RouteSpec<ZodType | undefined, ZodType | undefined, ZodType | undefined>;

/** Declares a route; its handler gets `input` typed from `body`, `query` and `params`. */
export function defineRoute<B extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined, P extends ZodType | undefined = undefined>(
  spec: RouteSpec<B, Q, P>,
): RouteDef {
  return spec as unknown as RouteDef;
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
    router[r.method](r.path, ...chain, (ctx) => r.handler(ctx, ctx.state.input ?? {}));
  }
  return router;
}
