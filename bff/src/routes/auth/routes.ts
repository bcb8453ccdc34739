import type { AuthResponse } from '@shared/api';
import type { Context } from 'koa';
import { AppError, badRequest, rateLimited } from '../../errors';
import type { UserDoc } from '../../models';
import { presentSessionUser } from '../../presenters/user';
import { signSessionToken } from '../../services/credentials';
import { passwordLogin } from '../../services/passwordLogin';
import { WechatError } from '../../wechat/client';
import { defineRoute, type RouteDef } from '../route';
import { GuestLogin, PasswordLogin, WechatLogin } from '@shared/requests/auth';

/** Per client IP: mobile users share carrier NAT addresses, so WeChat logins get more room than passwords. */
const wechatLoginLimit = { name: 'login-wechat', points: 60, windowSeconds: 60 };
const guestLoginLimit = { name: 'login-guest', points: 30, windowSeconds: 60 };
const passwordLoginLimit = { name: 'login-password', points: 10, windowSeconds: 60 };
/**
 * New guest records per client address: every fresh device id is a new user with its own scan
 * allowance, so minting them is bounded too. A returning device id does not count.
 */
const newGuestsPerAddress = { points: 20, windowSeconds: 3600 };

export const authRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/wechat',
    summary: '微信登录：wx.login 的 code 换取会话',
    access: 'anyone',
    body: WechatLogin,
    rateLimit: wechatLoginLimit,
    async handler(ctx, input) {
      const { code } = input.body;
      const { openid } = await ctx.deps.wechat.code2Session(code).catch(wechatFailure);
      await signInKeyedUser(ctx, { openid }, 'public', ctx.deps.config.tokenTtlSeconds);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/guest',
    summary: '游客登录（微信外的浏览器）',
    access: 'anyone',
    body: GuestLogin,
    rateLimit: guestLoginLimit,
    async handler(ctx, input) {
      const { deviceId } = input.body;
      if (!(await ctx.deps.models.User.exists({ deviceId }))) {
        const wait = ctx.deps.limiter.take(`guest-create|addr:${ctx.ip}`, newGuestsPerAddress.points, newGuestsPerAddress.windowSeconds);
        if (wait > 0) throw rateLimited(wait);
      }
      await signInKeyedUser(ctx, { deviceId }, 'guest', ctx.deps.config.guestTokenTtlSeconds);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/login',
    summary: '账号密码登录（监管人员、经营者、检定机构、管理员）',
    access: 'anyone',
    body: PasswordLogin,
    rateLimit: passwordLoginLimit,
    async handler(ctx, input) {
      const { username, password } = input.body;
      const user = await passwordLogin(ctx.deps.models, ctx.deps.limiter, username, password);
      respondWithSession(ctx, user, ctx.deps.config.tokenTtlSeconds);
    },
  }),
];

/** Public and guest users exist from their first sign-in on, keyed by openid or device id. */
async function signInKeyedUser(ctx: Context, key: { openid: string } | { deviceId: string }, role: 'public' | 'guest', ttlSeconds: number) {
  const user = await ctx.deps.models.User.findOneAndUpdate(
    key,
    { $setOnInsert: { role }, $set: { lastLoginAt: new Date() } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  respondWithSession(ctx, user!, ttlSeconds);
}

function respondWithSession(ctx: Context, user: UserDoc & { _id: unknown }, ttlSeconds: number) {
  const session = presentSessionUser(user);
  const body: AuthResponse = { token: signSessionToken(session, ctx.deps.config.jwtSecret, ttlSeconds, user.sessionVersion ?? 0), expiresIn: ttlSeconds, user: session };
  ctx.body = body;
}

function wechatFailure(err: unknown): never {
  if (err instanceof WechatError && err.errcode === 40029) throw badRequest('WECHAT_CODE_INVALID', '微信登录凭证无效或已过期');
  if (err instanceof WechatError && err.errcode === 45011) throw new AppError(429, 'RATE_LIMITED', '登录太频繁，请稍后再试', undefined, { 'Retry-After': '60' });
  throw new AppError(502, 'WECHAT_UNAVAILABLE', '微信服务暂时不可用，请稍后再试');
}
