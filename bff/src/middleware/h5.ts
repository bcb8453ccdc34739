import fs from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';
import serve from 'koa-static';
import type { Context } from 'koa';
import { MAX_QUERY_LENGTH } from '@shared/scan';

/** The server's first paint of the instrument page for `q` (services/instrumentPage.ts), or null to let the app ask. */
export type PrerenderInstrumentPage = (ctx: Context, q: string) => Promise<{ html: string; scan: unknown } | null>;

/** The id of the embedded scan answer (miniapp/src/services/api/scan.ts reads it). */
const EMBEDDED_SCAN_ID = 'cx-scan';

/** Written by the H5 build next to index.html (miniapp/config/h5Assets.ts): the files each page needs. */
const PAGE_ASSETS_FILE = 'page-assets.json';
const INSTRUMENT_PAGE = 'pages/instrument/index';

/** Build output named by content hash (`js/app.4832bbaa.js`): a new build gets new names. */
const HASHED_ASSET = /\.[0-9a-f]{8}\.(js|css)(\.br|\.gz)?$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built H5 app on every path outside /api (and outside /admin: middleware/admin.ts).
 * - Hashed scripts and styles are cached for a year (`immutable`); every other file, and the
 *   index page, is revalidated on each use (`no-cache`), so a new build is seen at once.
 * - Scripts and styles go out precompressed (`.br`/`.gz` written by the build) to browsers that
 *   accept it; other answers are compressed on the fly by the compression middleware (app.ts).
 * - A label's QR URL `/i/<code>-<sig>` is answered with the app itself (which rewrites its own
 *   address to the instrument page, services/labelUrl.ts): no redirect round trip. That page's
 *   HTML preloads the page's code and the scan answer, so the browser fetches them while it is
 *   still downloading app.js instead of one after another.
 * Unknown paths get index.html so the app's router can take over.
 */
export function h5App(h5Dir: string, prerender?: { instrumentPage: PrerenderInstrumentPage; style: string; json: (value: unknown) => string }): Middleware {
  const root = path.resolve(h5Dir);
  const files = serve(root, {
    index: 'index.html',
    hidden: false,
    brotli: true,
    gzip: true,
    setHeaders(res, file) {
      res.setHeader('Cache-Control', HASHED_ASSET.test(file) ? IMMUTABLE : 'no-cache');
    },
  });
  const shell = appShell(root);
  return async (ctx, next) => {
    if (ctx.path.startsWith('/api/') || ctx.path === '/api') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const label = /^\/i\/([^/]{1,100})$/.exec(ctx.path);
    const scanQ = label ? decodeScanParam(label[1]) : ctx.path === `/${INSTRUMENT_PAGE}` ? decodeScanParam(String(ctx.query.q ?? '')) : null;
    if (scanQ === null) {
      await files(ctx, async () => {});
      if (ctx.body != null || ctx.status !== 404) return;
    }
    const first = scanQ && prerender && shell.built() ? await prerender.instrumentPage(ctx, scanQ) : null;
    const html = shell.html(
      scanQ ? { page: INSTRUMENT_PAGE, scanQ } : null,
      first && prerender
        ? {
            style: prerender.style,
            app: first.html,
            data: `<script type="application/json" id="${EMBEDDED_SCAN_ID}" data-q="${escapeAttribute(scanQ ?? '')}">${prerender.json(first.scan)}</script>`,
          }
        : null,
    );
    if (html === null) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'H5 应用尚未构建：请运行 npm run build:h5（npm start 会自动构建）。';
      return;
    }
    ctx.status = 200;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = html;
  };
}

/**
 * index.html, read again only when the build replaced it, with `<link rel="preload">`s put in
 * for a page when asked. The scan preload's URL is byte for byte the one the page's own request
 * uses (services/api/transport.ts: `/api/v1/scan?q=${encodeURIComponent(q)}`), fetched in cors
 * mode with same-origin credentials like Taro's fetch, so the browser hands that answer over.
 */
function appShell(root: string) {
  const indexFile = path.join(root, 'index.html');
  let cached: { mtimeMs: number; html: string; pages: Record<string, { js: string[]; css: string[] }> } | null = null;
  const load = () => {
    const stat = fs.statSync(indexFile, { throwIfNoEntry: false });
    if (!stat) return null;
    if (cached?.mtimeMs !== stat.mtimeMs) {
      let pages = {};
      try {
        pages = JSON.parse(fs.readFileSync(path.join(root, PAGE_ASSETS_FILE), 'utf8'));
      } catch {
        // an older build without the list: no page preloads
      }
      cached = { mtimeMs: stat.mtimeMs, html: fs.readFileSync(indexFile, 'utf8'), pages };
    }
    return cached;
  };
  return {
    built: () => load() !== null,
    /**
     * `first`: the server's first paint of the page (inside `<div id="app">`) and the scan answer
     * embedded after it, which makes the scan preload unnecessary.
     */
    html(preload: { page: string; scanQ: string } | null, first: { style: string; app: string; data: string } | null = null): string | null {
      const app = load();
      if (!app) return null;
      if (!preload) return app.html;
      const assets = app.pages[preload.page] ?? { js: [], css: [] };
      const links = [
        ...(first ? [first.style] : []),
        // An over-long q would only be refused (400): the page asks for it itself and shows why.
        ...(!first && preload.scanQ && preload.scanQ.length <= MAX_QUERY_LENGTH ? [`<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/v1/scan?q=${escapeAttribute(encodeURIComponent(preload.scanQ))}">`] : []),
        ...assets.js.map((href) => `<link rel="preload" as="script" href="${escapeAttribute(href)}">`),
        ...assets.css.map((href) => `<link rel="preload" as="style" href="${escapeAttribute(href)}">`),
      ];
      const html = app.html.replace(/<head>/i, (head) => `${head}${links.join('')}`);
      return first ? html.replace(/<div id="app"><\/div>/, () => `<div id="app">${first.app}</div>${first.data}`) : html;
    },
  };
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * What the instrument page makes of its `q` (miniapp/src/services/labelUrl.ts decodeScanParam):
 * a label path or query may arrive encoded once or twice, so decode until stable.
 */
function decodeScanParam(raw: string): string {
  let value = raw.trim();
  for (let i = 0; i < 3 && value.includes('%'); i += 1) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      break;
    }
    if (decoded === value) break;
    value = decoded;
  }
  return value.trim();
}
