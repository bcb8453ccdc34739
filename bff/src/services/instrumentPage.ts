/**
 * The first paint of a label URL, rendered by the server: the verdict (status badge, forged
 * warning) in the HTML itself, and the scan answer embedded for the app to take, so a phone on a
 * slow network sees whether to trust the scale before the app's code has arrived. The app then
 * mounts over it with the full page (miniapp/src/app.ts takes the embedded answer).
 */
import type { Context } from 'koa';
import type { ScanResponse } from '@shared/api';
import { FORGED_LABEL, scanVerdict } from '@shared/verdict';
import { SCAN_RATE_LIMIT, takeRateLimit } from '../middleware/rateLimit';
import { scanInstrument } from './scan';

/** A slow database must not hold the page: without an answer in time the app asks for itself. */
const PRERENDER_TIMEOUT_MS = 300;

export interface Prerendered {
  /** Goes inside `<div id="app">`. */
  html: string;
  /** The scan answer, for the page to use instead of asking again. */
  scan: ScanResponse;
}

export async function prerenderInstrumentPage(ctx: Context, q: string): Promise<Prerendered | null> {
  // The same budget as GET /api/v1/scan: a label URL is no way around its rate limit.
  if (!takeRateLimit(ctx, SCAN_RATE_LIMIT)) return null;
  const { models, config } = ctx.deps;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), PRERENDER_TIMEOUT_MS);
  });
  // Unknown codes, malformed labels, a database error: the app shows those itself.
  const scan = await Promise.race([scanInstrument(models, q, config.qrSigningSecret).catch(() => null), timeout]);
  clearTimeout(timer);
  return scan ? { html: verdictHtml(scan), scan } : null;
}

function verdictHtml(scan: ScanResponse): string {
  const v = scanVerdict(scan);
  const forged = v.forged
    ? `<div class="cx-prerender__forged"><p class="cx-prerender__forged-title">${escapeHtml(FORGED_LABEL.title)}</p><p class="cx-prerender__forged-text">${escapeHtml(FORGED_LABEL.text)}</p></div>`
    : '';
  return [
    `<div class="cx-prerender" role="status" aria-live="polite">`,
    forged,
    `<div class="cx-prerender__badge cx-prerender__badge--${v.tone}" data-verdict="${v.status}">`,
    `<p class="cx-prerender__status"><span aria-hidden="true">${escapeHtml(v.icon)}</span> ${escapeHtml(v.text)}</p>`,
    `<p class="cx-prerender__hint">${escapeHtml(v.hint)}</p>`,
    `</div>`,
    `<p class="cx-prerender__meta">${escapeHtml(scan.instrument.categoryName)} · ${escapeHtml(scan.business.name)}</p>`,
    `<p class="cx-prerender__loading">正在加载详情…</p>`,
    `</div>`,
  ].join('');
}

/** Styles of the pre-rendered verdict (inline: they must not wait for a stylesheet); colours from miniapp/src/styles/tokens.scss. */
export const PRERENDER_STYLE = `<style>
.cx-prerender{padding:16px;font-family:-apple-system,BlinkMacSystemFont,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif;color:#1f2a24}
.cx-prerender__forged{margin-bottom:12px;padding:14px 16px;border-radius:12px;background:#c62828;color:#fff}
.cx-prerender__forged-title{margin:0;font-size:22px;font-weight:700}.cx-prerender__forged-text{margin:4px 0 0;font-size:14px}
.cx-prerender__badge{padding:18px 16px;border-radius:12px;color:#fff}
.cx-prerender__badge--good{background:#1a7f4b}.cx-prerender__badge--warn{background:#a35a00}.cx-prerender__badge--bad{background:#c62828}.cx-prerender__badge--muted{background:#5f6b66}
.cx-prerender__status{margin:0;font-size:28px;font-weight:700;letter-spacing:2px}
.cx-prerender__hint{margin:4px 0 0;font-size:14px}
.cx-prerender__meta{margin:12px 0 0;font-size:15px}
.cx-prerender__loading{margin:8px 0 0;font-size:14px;color:#4f5b55}
</style>`;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON inside `<script type="application/json">`: no `</script>` or `<!--` can end it early. */
export function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** What the H5 middleware needs to pre-render label URLs (bff/src/middleware/h5.ts). */
export const instrumentPrerender = { instrumentPage: prerenderInstrumentPage, style: PRERENDER_STYLE, json: embeddedJson };
