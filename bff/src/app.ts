import zlib from 'node:zlib';
import cors from '@koa/cors';
import Koa from 'koa';
import compress from 'koa-compress';
import helmet from 'koa-helmet';
import type { Deps } from './deps';
import { notFound } from './errors';
import { adminApp } from './middleware/admin';
import { authenticate } from './middleware/auth';
import { closeUnreadBodies } from './middleware/body';
import { errorHandler } from './middleware/errors';
import { h5App } from './middleware/h5';
import { requestLogging } from './middleware/logging';
import { requestId } from './middleware/requestId';
import { allRoutes } from './routes';
import { instrumentPrerender } from './services/instrumentPage';
import { buildRouter } from './routes/route';

/**
 * The whole request pipeline, top to bottom. Per-route steps (access check, rate limit, body
 * with its size limit, validation) are declared in each route's table entry; see routes/route.ts.
 */
export function createApp(deps: Deps): Koa {
  const app = new Koa({ proxy: deps.config.trustProxy });
  app.context.deps = deps;
  const router = buildRouter(allRoutes, deps.limiter);

  app.use(requestId());
  app.use(requestLogging(deps.logger));
  app.use(compression());
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy(deps.config.mapTileUrl) } }));
  app.use(cors({ origin: allowedOrigin(deps.config.corsOrigins), credentials: false }));
  app.use(errorHandler());
  // No body is read here: each route reads its own after its access check (routes/route.ts).
  app.use(closeUnreadBodies());
  app.use(authenticate({ models: deps.models, jwtSecret: deps.config.jwtSecret }));
  app.use(apiNotFound());
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  app.use(adminApp(deps.config.adminDir));
  app.use(h5App(deps.config.h5Dir, instrumentPrerender));
  app.on('error', (err: NodeJS.ErrnoException, ctx?: Koa.Context) => streamFailure(deps, err, ctx));
  return app;
}

/**
 * What Koa reports itself (a streamed body failing after the answer started, a client going away
 * mid-download, an error outside the error handler) goes to the log, not the console: a client
 * that closed the connection — a cancelled label sheet, a page left mid-image — is routine;
 * anything else is an error.
 */
function streamFailure(deps: Deps, err: NodeJS.ErrnoException, ctx?: Koa.Context): void {
  const log = (ctx?.state.log as Deps['logger'] | undefined) ?? deps.logger;
  const clientLeft = err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET' || err.code === 'EPIPE';
  if (clientLeft) log.info({ code: err.code, path: ctx?.path }, 'client closed the connection before the answer ended');
  else log.error({ err, path: ctx?.path }, 'request failed outside the error handler (or after its answer started)');
}

/**
 * The H5 app is one origin: its own scripts and styles, images as data URLs, the API. `blob:`
 * for connect and images: a photo picked for a complaint is read back from its blob URL to be
 * uploaded, and private photos are fetched with the token and shown from a blob URL. When a map
 * tile URL is configured (MAP_TILE_URL), its origin only is added to img-src for the nearby map.
 */
const contentSecurityPolicy = (mapTileUrl: string | null) => ({
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:', ...(mapTileUrl ? [new URL(mapTileUrl.replace(/\{([xyz])\}/g, '0')).origin] : [])],
  connectSrc: ["'self'", 'blob:'],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
});

function allowedOrigin(origins: string[]) {
  return (ctx: Koa.Context) => {
    const origin = ctx.get('Origin');
    return origins.includes(origin) ? origin : '';
  };
}

/**
 * Answers of 1 KiB or more in a compressible type (JSON, HTML, SVG, CSS, JS; never images, PDFs
 * or archives, which are compressed already) go out as br or gzip when the client accepts it;
 * `Vary: Accept-Encoding` on every answer so caches keep the variants apart. Hashed scripts and
 * styles are not compressed here: the build wrote .br/.gz files, served as they are (middleware/h5.ts).
 */
function compression(): Koa.Middleware {
  return compress({
    threshold: 1024,
    br: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    gzip: { level: 6 },
    deflate: false,
  });
}

/** An /api path that nothing answered is a JSON 404, never the H5 app's index page. */
function apiNotFound(): Koa.Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.path.startsWith('/api/') && ctx.status === 404 && ctx.body == null) throw notFound('ROUTE_NOT_FOUND', '接口不存在');
  };
}
