import type { Context, Middleware } from 'koa';
import { rateLimited } from '../errors';

export interface RateLimitRule {
  /** Bucket name, so two limits on one route count separately. */
  name: string;
  /** Requests allowed per window for a signed-in user (or per IP when anonymous). */
  points: number;
  windowSeconds: number;
  /** Guests (browser users without WeChat) get this many instead; defaults to a third. */
  guestPoints?: number;
  /**
   * Requests allowed per window from one client address, whoever is signed in: fresh tokens
   * cannot multiply the limit. Defaults to five times `points`, room for a market's shared
   * Wi-Fi or a carrier's NAT.
   */
  addressPoints?: number;
}

/** Looking instruments up by code (scan, public detail): one shared budget, so neither path is a way around the other. */
export const SCAN_RATE_LIMIT: RateLimitRule = { name: 'scan', points: 120, windowSeconds: 60 };

/** Likes: a person taps a few hearts a minute; a script tapping hundreds gains nothing (one a day counts) but load. */
export const LIKE_RATE_LIMIT: RateLimitRule = { name: 'like', points: 30, windowSeconds: 60 };

/** Complaints: a real complainant files one or two; 20 an hour from one address leaves room for a market's shared Wi-Fi. */
export const COMPLAINT_RATE_LIMIT: RateLimitRule = { name: 'complaint', points: 5, windowSeconds: 3600, guestPoints: 2, addressPoints: 20 };

/** Complaint photos: three per complaint, with room for a few retakes. */
export const COMPLAINT_PHOTO_RATE_LIMIT: RateLimitRule = { name: 'complaint-photo', points: 20, windowSeconds: 3600, guestPoints: 8, addressPoints: 60 };

export interface Bucket {
  key: string;
  points: number;
  windowSeconds: number;
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
    return this.takeAll([{ key, points, windowSeconds }]);
  }

  /** Takes one point from each bucket, or from none when any is empty (then: seconds to wait). */
  takeAll(buckets: readonly Bucket[]): number {
    const now = this.now();
    const windows = buckets.map((b) => this.window(b, now));
    const wait = Math.max(0, ...windows.map((w, i) => (w.used >= buckets[i].points ? Math.max(1, Math.ceil((w.resetAt - now) / 1000)) : 0)));
    if (wait === 0) for (const w of windows) w.used += 1;
    return wait;
  }

  private window(b: Bucket, now: number) {
    let w = this.windows.get(b.key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size > 100_000) this.sweep(now);
      w = { resetAt: now + b.windowSeconds * 1000, used: 0 };
      this.windows.set(b.key, w);
    }
    return w;
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}

/** Counts against the caller (user, or address when anonymous) and against the client address. */
export function rateLimit(limiter: RateLimiter, rule: RateLimitRule): Middleware {
  return async (ctx, next) => {
    const wait = limiter.takeAll(rateLimitBuckets(ctx, rule));
    if (wait > 0) throw rateLimited(wait);
    await next();
  };
}

function rateLimitBuckets(ctx: Context, rule: RateLimitRule): Bucket[] {
  const user = ctx.state.user;
  const points = user?.role === 'guest' ? (rule.guestPoints ?? Math.max(1, Math.floor(rule.points / 3))) : rule.points;
  const { windowSeconds } = rule;
  return [
    { key: `${rule.name}|${user ? `u:${user.id}` : `ip:${ctx.ip}`}`, points, windowSeconds },
    { key: `${rule.name}|addr:${ctx.ip}`, points: rule.addressPoints ?? rule.points * 5, windowSeconds },
  ];
}

/**
 * Slots for work that holds memory while it runs (a label sheet streams for minutes): at most
 * `perKey` at once for one caller and `total` at once in this process.
 */
export class ConcurrencyLimit {
  private running = new Map<string, number>();
  private total = 0;

  constructor(private limits: { perKey: number; total: number }) {}

  /** A release function when a slot is free (call it exactly once, when the work ends), else null. */
  tryAcquire(key: string): (() => void) | null {
    const mine = this.running.get(key) ?? 0;
    if (mine >= this.limits.perKey || this.total >= this.limits.total) return null;
    this.running.set(key, mine + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.running.get(key) ?? 1) - 1;
      if (left > 0) this.running.set(key, left);
      else this.running.delete(key);
    };
  }
}
