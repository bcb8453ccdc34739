import fs from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';
import serve from 'koa-static';

/**
 * Serves the built H5 app on every path outside /api (and outside /admin: middleware/admin.ts).
 * A label's QR URL `/i/<code>-<sig>` goes to the instrument page with the code as `q`.
 * Unknown paths get index.html so the app's router can take over.
 */
export function h5App(h5Dir: string): Middleware {
  const root = path.resolve(h5Dir);
  const files = serve(root, { index: 'index.html', maxage: 3600_000, hidden: false });
  return async (ctx, next) => {
    if (ctx.path.startsWith('/api/') || ctx.path === '/api') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const label = /^\/i\/([^/]{1,100})$/.exec(ctx.path);
    if (label) {
      ctx.redirect(`/pages/instrument/index?q=${encodeURIComponent(decodeURIComponentSafe(label[1]))}`);
      return;
    }
    await files(ctx, async () => {});
    if (ctx.body != null || ctx.status !== 404) return;
    const index = path.join(root, 'index.html');
    if (!fs.existsSync(index)) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'H5 应用尚未构建：请运行 npm run build:h5（npm start 会自动构建）。';
      return;
    }
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = fs.createReadStream(index);
  };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
