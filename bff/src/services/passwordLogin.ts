import { AppError, loginLocked } from '../errors';
import type { RateLimiter } from '../middleware/rateLimit';
import type { Models, UserDoc } from '../models';
import { verifyAgainstDummyHash, verifyPassword } from './credentials';

/** Failures within QUIET_MS of each other that lock an account; each further failure doubles the lock. */
const FAILURES_BEFORE_LOCK = 5;
const QUIET_MS = 15 * 60_000;
const FIRST_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 15 * 60;

export const lockSecondsAfter = (failures: number) => Math.min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** (failures - FAILURES_BEFORE_LOCK));

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', '用户名或密码错误');

type Account = UserDoc & { _id: unknown };

/**
 * Username and password → the account, or INVALID_CREDENTIALS / LOGIN_LOCKED. Every path costs
 * one scrypt, so timing does not tell a wrong password from an unknown user. Each attempt is
 * counted before its password is checked (a compare-and-set on the failure count), so guesses sent
 * in parallel from many addresses cannot pass the lock either; a success clears the count.
 * Unknown usernames get the same answers from an in-memory counter, so the lock does not reveal
 * which usernames exist.
 */
export async function passwordLogin(models: Models, limiter: RateLimiter, username: string, password: string): Promise<Account> {
  const now = Date.now();
  let account: Account | null = await models.User.findOne({ username }).lean();
  if (!account) {
    await verifyAgainstDummyHash(password);
    const wait = limiter.take(`login-unknown|${username}`, FAILURES_BEFORE_LOCK - 1, QUIET_MS / 1000);
    throw wait > 0 ? loginLocked(wait) : invalidCredentials();
  }
  for (let tries = 0; ; tries++) {
    const locked = account.loginLockedUntil && account.loginLockedUntil.getTime() > now ? account.loginLockedUntil : undefined;
    if (locked || tries === 8) {
      await verifyAgainstDummyHash(password);
      throw loginLocked(locked ? Math.ceil((locked.getTime() - now) / 1000) : 1);
    }
    const failures = recentFailures(account, now) + 1;
    const lockedUntil = failures >= FAILURES_BEFORE_LOCK ? new Date(now + lockSecondsAfter(failures) * 1000) : undefined;
    const counted = await models.User.updateOne(
      { _id: account._id, loginFailures: account.loginFailures ?? { $exists: false } },
      { $set: { loginFailures: failures, lastLoginFailureAt: new Date(now), ...(lockedUntil ? { loginLockedUntil: lockedUntil } : {}) } },
    );
    if (counted.modifiedCount === 1) {
      const ok = account.passwordHash ? await verifyPassword(password, account.passwordHash) : await verifyAgainstDummyHash(password);
      if (ok && !account.disabled) {
        await models.User.updateOne({ _id: account._id }, { $set: { loginFailures: 0, lastLoginAt: new Date() }, $unset: { lastLoginFailureAt: 1, loginLockedUntil: 1 } });
        return account;
      }
      throw lockedUntil ? loginLocked(lockSecondsAfter(failures)) : invalidCredentials();
    }
    // Another attempt on this account was counted first: look again.
    account = await models.User.findById(account._id).lean();
    if (!account) throw invalidCredentials();
  }
}

/** Failures count towards the lock only while they follow each other within QUIET_MS. */
function recentFailures(account: Account, now: number): number {
  const last = account.lastLoginFailureAt?.getTime();
  return last !== undefined && now - last < QUIET_MS ? (account.loginFailures ?? 0) : 0;
}
