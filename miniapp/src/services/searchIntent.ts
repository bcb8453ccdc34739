/**
 * A query handed from one page to the 搜索 tab. `Taro.switchTab` cannot carry params, so the
 * sender stores the query here and the search page takes it when it shows.
 *
 * Sender (e.g. the home page's search box):
 *   setSearchIntent(q); Taro.switchTab({ url: '/pages/search/index' });
 * Search page: read it in `useDidShow` (tab pages stay mounted, so a mount-time effect would
 * miss every query after the first):
 *   useDidShow(() => { const q = takeSearchIntent(); if (q !== null) runSearch(q); });
 *
 * Pages of one mini-program (and of the H5 single-page app) share one JS context, so a module
 * variable is enough; nothing is written to storage, so a stale query never outlives the app.
 */
let pending: string | null = null;

/** Remember `q` (trimmed) for the search page; an empty query clears any pending one. */
export function setSearchIntent(q: string): void {
  const trimmed = q.trim();
  pending = trimmed ? trimmed : null;
}

/** The pending query, once: it is cleared as it is taken. null when there is none. */
export function takeSearchIntent(): string | null {
  const q = pending;
  pending = null;
  return q;
}
