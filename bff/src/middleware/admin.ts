import fs from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';

const PREFIX = '/admin';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the regulators' workspace (miniapp/admin, built into ADMIN_DIR) under /admin.
 * Hashed files under /admin/assets are cached for a year; a missing asset is a 404 (a stale
 * index.html asking for an old chunk must fail loudly, not get HTML back as JavaScript).
 * Every other /admin path that is not a file gets index.html, uncached, so the app's router
 * takes over and a new deployment is picked up at the next page load.
 */
export function adminApp(adminDir: string): Middleware {
  const root = path.resolve(adminDir);
  return async (ctx, next) => {
    if (ctx.path !== PREFIX && !ctx.path.startsWith(`${PREFIX}/`)) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const rel = ctx.path.slice(PREFIX.length);
    const file = rel && rel !== '/' ? resolveInside(root, rel) : null;
    const stat = file ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
    if (file && stat?.isFile()) {
      sendFile(ctx, file, stat, rel.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
      return;
    }
    if (rel.startsWith('/assets/')) {
      ctx.status = 404;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'Not Found';
      return;
    }
    const index = path.join(root, 'index.html');
    const indexStat = fs.statSync(index, { throwIfNoEntry: false });
    if (!indexStat?.isFile()) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = '管理工作台尚未构建：请运行 npm run build:admin（npm start 会自动构建）。';
      return;
    }
    sendFile(ctx, index, indexStat, 'no-cache');
  };
}

/** The file `rel` names under `root`, or null when it would leave `root` or cannot be a file name. */
function resolveInside(root: string, rel: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, `.${decoded}`);
  return file.startsWith(root + path.sep) ? file : null;
}

function sendFile(ctx: Parameters<Middleware>[0], file: string, stat: fs.Stats, cacheControl: string) {
  ctx.status = 200;
  if (ctx.method === 'GET') ctx.body = fs.createReadStream(file);
  ctx.type = path.extname(file);
  ctx.length = stat.size;
  ctx.set('Cache-Control', cacheControl);
  ctx.set('Last-Modified', stat.mtime.toUTCString());
}
