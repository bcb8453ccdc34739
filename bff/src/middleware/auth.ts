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
 * the client should know its session is gone. Staff accounts are re-checked against the database
 * so a disabled account stops working at once.
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
      if (STAFF.has(check.user.role)) await assertActive(opts.models, check.user);
      ctx.state.user = check.user;
    } else if (apiKey) {
      ctx.state.user = await verifierFromApiKey(opts.models, apiKey);
    }
    await next();
  };
}

async function assertActive(models: Models, user: SessionUser) {
  const found = await models.User.findById(user.id, { disabled: 1, role: 1 }).lean().catch(() => null);
  if (!found || found.disabled || found.role !== user.role) throw unauthenticated('账号已停用或不存在');
}

async function verifierFromApiKey(models: Models, key: string): Promise<SessionUser> {
  const found = await models.ApiKey.findOneAndUpdate(
    { hash: hashApiKey(key), revokedAt: { $exists: false } },
    { $set: { lastUsedAt: new Date() } },
  ).lean();
  if (!found) throw unauthenticated('API Key 无效或已吊销');
  return { id: `apikey:${found._id}`, role: 'verifier', displayName: found.institution };
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
