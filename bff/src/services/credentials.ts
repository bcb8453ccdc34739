import crypto, { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role, SessionUser } from '@shared/api';

/** Looked up on the module at each call, so tests can count password checks (test/bff/abuse.test.ts). */
const scrypt = (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => crypto.scrypt(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))));
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

/** `scrypt$N$r$p$salt$hash`, so the cost can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: +N, r: +r, p: +p });
  return timingSafeEqual(actual, expected);
}

/** A hash of a random password, made on first use (that one call costs a second scrypt, once per process). */
let dummyHash: Promise<string> | undefined;

/**
 * Spends the same scrypt work as a real check and answers false: for an unknown user, so the
 * answer takes as long as for a wrong password and does not tell which usernames exist.
 */
export async function verifyAgainstDummyHash(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64'));
  await verifyPassword(password, await dummyHash);
  return false;
}

/** Random password for the bootstrap admin when ADMIN_PASSWORD is not given. */
export const randomPassword = () => randomBytes(12).toString('base64url');

interface TokenClaims {
  sub: string;
  role: Role;
  region?: string;
  /** The account's session version when the token was issued (models/user.ts sessionVersion); absent = 0. */
  sv?: number;
}

export function signSessionToken(user: SessionUser, secret: string, ttlSeconds: number, sessionVersion = 0): string {
  const claims: TokenClaims = {
    sub: user.id,
    role: user.role,
    ...(user.regionCode ? { region: user.regionCode } : {}),
    ...(sessionVersion ? { sv: sessionVersion } : {}),
  };
  return jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn: ttlSeconds, issuer: 'chengxin-jiliang' });
}

export type TokenCheck = { ok: true; user: SessionUser; sessionVersion: number } | { ok: false; reason: 'expired' | 'invalid' };

export function verifySessionToken(token: string, secret: string): TokenCheck {
  try {
    const c = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: 'chengxin-jiliang' }) as TokenClaims;
    const sessionVersion = Number.isSafeInteger(c.sv) && c.sv! > 0 ? c.sv! : 0;
    return { ok: true, user: { id: c.sub, role: c.role, ...(c.region ? { regionCode: c.region } : {}) }, sessionVersion };
  } catch (err) {
    return { ok: false, reason: (err as Error).name === 'TokenExpiredError' ? 'expired' : 'invalid' };
  }
}

/**
 * Verifier API keys are 32 random bytes shown once; only their SHA-256 is stored (a fast hash is
 * right here: the key is high-entropy, and lookups happen on every verifier request).
 */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const key = `vk_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, 10), hash: hashApiKey(key) };
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');
