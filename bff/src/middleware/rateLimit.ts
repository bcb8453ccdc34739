import type { Middleware } from 'koa';
import { rateLimited } from '../errors';

export interface RateLimitRule {
  /** Bucket name, so two limits on one route count separately. */
  name: string;
  /** Requests allowed per window for a signed-in user (or per IP when anonymous). */
  points: number;
  windowSeconds: number;
  /** Guests (browser users without WeChat) get this many instead; defaults to a third. */
  guestPoints?: number;
}

/**
 * Fixed-window counters in this process's memory: enough for one BFF instance. Several instances
 * behind a balancer would share a store (MongoDB TTL collection) instead; the rule stays the same.
 */
export class RateLimiter {
  private windows = new Map<string, { resetAt: number; used: number }>();

  constructor(private now: () => number = Date.now) {}

  /** Takes one point; returns seconds to wait when the bucket is empty, else 0. */
  take(key: string, points: number, windowSeconds: number): number {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size > 100_000) this.sweep(now);
      w = { resetAt: now + windowSeconds * 1000, used: 0 };
      this.windows.set(key, w);
    }
    if (w.used >= points) return Math.max(1, Math.ceil((w.resetAt - now) / 1000));
    w.used += 1;
    return 0;
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}

export function rateLimit(limiter: RateLimiter, rule: RateLimitRule): Middleware {
  return async (ctx, next) => {
    const user = ctx.state.user;
    const who = user ? `u:${user.id}` : `ip:${ctx.ip}`;
    const points = user?.role === 'guest' ? (rule.guestPoints ?? Math.max(1, Math.floor(rule.points / 3))) : rule.points;
    const wait = limiter.take(`${rule.name}|${who}`, points, rule.windowSeconds);
    if (wait > 0) throw rateLimited(wait);
    await next();
  };
}
