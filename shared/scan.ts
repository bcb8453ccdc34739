/**
 * What a scan or a typed search hands us, reduced to "a platform code (with or without its
 * signature)" or "an external code to look up verbatim".
 *
 * Accepted inputs (trimmed):
 * - the label URL `http(s)://<any host>[/<prefix>]/i/<code>-<sig>`, with an optional trailing
 *   slash, query string or fragment; also URL-encoded once or twice (the mini-program gets
 *   the scanned link in its `q` option encoded);
 * - `<code>-<sig>`;
 * - a bare 19-digit code;
 * - anything else of 1–64 characters without control characters: an external code.
 *
 * Which values MUST be platform codes (and so fail with the code's parse reason instead of
 * being looked up as external codes): the token of an `/i/` URL; `<digits>-<sig>` whose
 * digit part has 17–21 digits (a mistyped platform code with its signature — external codes
 * such as `2023-000123` keep working); and every all-digit value of exactly 19 characters.
 *
 * The signature's correctness is the BFF's business (HMAC with a server secret). A malformed
 * signature inside a label URL is still returned, so the BFF reports it as `invalid` — a
 * possibly forged label — rather than failing the scan.
 */
import { parseInstrumentCode, type InstrumentCodeErrorReason } from './instrumentCode';

export type ScanErrorReason = InstrumentCodeErrorReason | 'BAD_QUERY' | 'FOREIGN_URL';

export type ScanQuery =
  | { ok: true; kind: 'platform'; code: string; sig: string | null; fromUrl: boolean }
  | { ok: true; kind: 'external'; value: string }
  | { ok: false; reason: ScanErrorReason; message: string };

export const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{6,32}$/;
export const MAX_EXTERNAL_CODE_LENGTH = 64;
/** Long enough for any label URL, short enough that junk is refused before any work. */
export const MAX_QUERY_LENGTH = 512;

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const LABEL_URL = /^https?:\/\/[^/?#\s]+(?:\/[^?#]*)?\/i\/([^/?#]+)\/?(?:[?#].*)?$/i;
const ANY_URL = /^https?:\/\//i;
const ENCODED_URL = /^https?%(?:25)?3a/i;
const CODE_WITH_SIG = /^(\d{17,21})-([A-Za-z0-9_-]{6,32})$/;

const MESSAGES: Record<'BAD_QUERY' | 'FOREIGN_URL', string> = {
  BAD_QUERY: '请输入有效的识别码或扫描器具标签',
  FOREIGN_URL: '这不是本平台的器具标签链接',
};

function rejection(reason: 'BAD_QUERY' | 'FOREIGN_URL'): ScanQuery {
  return { ok: false, reason, message: MESSAGES[reason] };
}

function platformCode(code: string, sig: string | null, fromUrl: boolean): ScanQuery {
  const parsed = parseInstrumentCode(code);
  if (!parsed.ok) return { ok: false, reason: parsed.reason, message: parsed.message };
  return { ok: true, kind: 'platform', code, sig, fromUrl };
}

/** Undoes up to two rounds of URL encoding; null when the encoding is broken. */
function decodeUrl(value: string): string | null {
  let current = value;
  for (let round = 0; round < 2 && ENCODED_URL.test(current); round += 1) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return null;
    }
  }
  return current;
}

function parseLabelUrl(url: string): ScanQuery {
  const match = LABEL_URL.exec(url);
  if (!match) return rejection('FOREIGN_URL');
  let token: string;
  try {
    token = decodeURIComponent(match[1]);
  } catch {
    return rejection('BAD_QUERY');
  }
  const dash = token.indexOf('-');
  if (dash < 0) return platformCode(token, null, true);
  return platformCode(token.slice(0, dash), token.slice(dash + 1), true);
}

export function parseScanQuery(q: string): ScanQuery {
  const trimmed = q.trim();
  if (trimmed === '' || trimmed.length > MAX_QUERY_LENGTH || CONTROL_CHARS.test(trimmed)) return rejection('BAD_QUERY');
  const decoded = decodeUrl(trimmed);
  if (decoded === null || CONTROL_CHARS.test(decoded)) return rejection('BAD_QUERY');
  if (ANY_URL.test(decoded)) return parseLabelUrl(decoded);
  const withSig = CODE_WITH_SIG.exec(decoded);
  if (withSig) return platformCode(withSig[1], withSig[2], false);
  if (/^\d{19}$/.test(decoded)) return platformCode(decoded, null, false);
  if (decoded.length > MAX_EXTERNAL_CODE_LENGTH) return rejection('BAD_QUERY');
  return { ok: true, kind: 'external', value: decoded };
}

export function isWellFormedSignature(sig: string): boolean {
  return SIGNATURE_PATTERN.test(sig);
}

/** The path printed into a label's QR code; prefix it with PUBLIC_BASE_URL. */
export function formatLabelPath(code: string, sig: string): string {
  return `/i/${code}-${sig}`;
}
