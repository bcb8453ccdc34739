import type { Middleware } from 'koa';
import type { Role, SessionUser } from '@shared/api';
import { forbidden, unauthenticated } from '../errors';
import { hashApiKey, verifySessionToken } from '../services/credentials';
import type { Models } from '../models';

/** Who may call a route: anybody (token optional), or signed-in users of these roles. */
export type Access = 'anyone' | readonly Role[];

const STAFF: ReadonlySet<Role> = new Set(['owner', 'regulator', 'verifier', 'admin']);

/**
 * Reads the caller from `Authorization: Bearer <jwt>` or, for verification institutions,
 * `X-Api-Key`. A token that is present but bad, expired or tampered is a 401 even on open routes:
 * the client should know its session is gone. For staff the token only names the account: role,
 * region, name and institution are read from the account on every request, so disabling it,
 * moving a regulator to another region or changing a role takes effect at once. A database that
 * cannot answer is the database's error (503), never a 401.
 */
export function authenticate(opts: { models: Models; jwtSecret: string }): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    const apiKey = ctx.get('X-Api-Key');
    if (header) {
      const m = /^Bearer (.+)$/.exec(header);
      if (!m) throw unauthenticated('登录凭证格式不正确');
      const check = verifySessionToken(m[1], opts.jwtSecret);
      if (!check.ok) throw unauthenticated(check.reason === 'expired' ? '登录已过期，请重新登录' : '登录凭证无效');
      ctx.state.user = STAFF.has(check.user.role) ? await currentStaffAccount(opts.models, check.user, check.sessionVersion) : check.user;
    } else if (apiKey) {
      ctx.state.user = await verifierFromApiKey(opts.models, apiKey);
    }
    await next();
  };
}

/**
 * The staff account as it is now. A changed role ends the session (the client signs in again and
 * gets the menus of its new role), and so does a new password: the token's session version is
 * then older than the account's.
 */
async function currentStaffAccount(models: Models, claimed: SessionUser, sessionVersion: number): Promise<SessionUser> {
  const account = await models.User.findById(claimed.id, { disabled: 1, role: 1, regionCode: 1, displayName: 1, institution: 1, sessionVersion: 1 }).lean();
  if (!account || account.disabled) throw unauthenticated('账号已停用或不存在');
  if (account.role !== claimed.role) throw unauthenticated('账号角色已变更，请重新登录');
  if ((account.sessionVersion ?? 0) !== sessionVersion) throw unauthenticated('密码已重置，请重新登录');
  return {
    id: claimed.id,
    role: claimed.role,
    ...(account.displayName ? { displayName: account.displayName } : {}),
    ...(claimed.role === 'regulator' && account.regionCode ? { regionCode: account.regionCode } : {}),
    ...(claimed.role === 'verifier' && account.institution ? { institution: account.institution } : {}),
  };
}

async function verifierFromApiKey(models: Models, key: string): Promise<SessionUser> {
  const found = await models.ApiKey.findOneAndUpdate(
    { hash: hashApiKey(key), revokedAt: { $exists: false } },
    { $set: { lastUsedAt: new Date() } },
  ).lean();
  if (!found) throw unauthenticated('API Key 无效或已吊销');
  return { id: `apikey:${found._id}`, role: 'verifier', displayName: found.institution, institution: found.institution };
}

/** The per-route gate: 401 when nobody is signed in, 403 when the role is not allowed. */
export function requireAccess(access: Access): Middleware {
  return async (ctx, next) => {
    if (access !== 'anyone') {
      const user: SessionUser | undefined = ctx.state.user;
      if (!user) throw unauthenticated();
      if (!access.includes(user.role)) throw forbidden();
    }
    await next();
  };
}
