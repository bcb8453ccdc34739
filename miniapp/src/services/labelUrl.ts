/** Path prefix of the URL printed in every label's QR: `${PUBLIC_BASE_URL}/i/<code>-<sig>`. */
const LABEL_PATH_PREFIX = '/i/';

export const INSTRUMENT_PAGE = '/pages/instrument/index';

/** The page URL that shows what `q` (a QR's content, a code-with-signature or a typed code) resolves to. */
export function instrumentPageUrl(q: string): string {
  return `${INSTRUMENT_PAGE}?q=${encodeURIComponent(q)}`;
}

/**
 * Page params may arrive encoded once (H5 query string) or twice (WeChat hands a scanned
 * ordinary-link QR to the page as an URL-encoded `q`), so decode until the value is stable.
 */
export function decodeScanParam(raw: string | undefined): string {
  let value = (raw ?? '').trim();
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

/** In the browser, turn `/i/<code>-<sig>` into the instrument page's address, keeping the history entry. */
export function redirectLabelPathToInstrumentPage(): void {
  const { pathname } = window.location;
  if (!pathname.startsWith(LABEL_PATH_PREFIX)) return;
  const codeAndSig = pathname.slice(LABEL_PATH_PREFIX.length);
  window.history.replaceState(null, '', instrumentPageUrl(decodeScanParam(codeAndSig)));
}

/**
 * The scan `q` of the address the browser opened, when it is the instrument page's (after
 * redirectLabelPathToInstrumentPage); decoded as the page decodes its `q` param. Null elsewhere.
 */
export function instrumentPageScanParam(): string | null {
  const { pathname, search } = window.location;
  if (pathname !== INSTRUMENT_PAGE) return null;
  const q = decodeScanParam(new URLSearchParams(search).get('q') ?? undefined);
  return q || null;
}
