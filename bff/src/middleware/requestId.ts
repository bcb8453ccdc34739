import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

const CLIENT_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Tags each request with an id (the client's X-Request-Id when sane) and echoes it back. */
export function requestId(): Middleware {
  return async (ctx, next) => {
    const given = ctx.get('X-Request-Id');
    ctx.state.requestId = CLIENT_ID.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  };
}
