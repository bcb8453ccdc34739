import { createHmac, timingSafeEqual } from 'node:crypto';
import { formatLabelPath } from '@shared/scan';

/**
 * A label's QR carries `${PUBLIC_BASE_URL}/i/<code>-<sig>`: sig is the first 12 base64url
 * characters (72 bits) of HMAC-SHA256(secret, code). Short enough for a small QR, far too long to
 * guess, and a copied label still names the code it was printed for.
 */
const SIG_LENGTH = 12;

export function signInstrumentCode(code: string, secret: string): string {
  return createHmac('sha256', secret).update(code).digest('base64url').slice(0, SIG_LENGTH);
}

export function isGenuineSignature(code: string, sig: string, secret: string): boolean {
  const expected = Buffer.from(signInstrumentCode(code, secret));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function labelUrl(publicBaseUrl: string, code: string, secret: string): string {
  return publicBaseUrl + formatLabelPath(code, signInstrumentCode(code, secret));
}
