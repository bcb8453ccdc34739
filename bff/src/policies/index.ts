import type { SessionUser } from '@shared/api';
import { regionContains, scopePrefix } from '@shared/regions';
import { forbidden, notFound } from '../errors';

/**
 * Who may see and change what. Regulators act only inside their region (a GB/T 2260 scope code);
 * admins act everywhere. Something outside a regulator's region is answered as if it did not
 * exist, so the API never confirms what lies beyond the caller's scope.
 */
export function canActInRegion(user: SessionUser, regionCode: string): boolean {
  if (user.role === 'admin') return true;
  if (user.role === 'regulator' && user.regionCode) return regionContains(user.regionCode, regionCode);
  return false;
}

/** A MongoDB filter on `regionCode` limiting a query to what the caller may see. */
export function regionFilter(user: SessionUser): { regionCode?: RegExp } {
  if (user.role === 'admin') return {};
  const prefix = user.role === 'regulator' && user.regionCode ? scopePrefix(user.regionCode) : null;
  // A malformed scope sees nothing rather than everything.
  return { regionCode: prefix ? new RegExp(`^${prefix}`) : /^(?!)/ };
}

/** For reads and updates of one record: out of region looks like not found. */
export function assertVisible<T extends { regionCode: string }>(user: SessionUser, record: T | null, notFoundCode: string, message: string): T {
  if (!record || !canActInRegion(user, record.regionCode)) throw notFound(notFoundCode, message);
  return record;
}

/** For creating something in a region: a clear 403, the caller chose the region. */
export function assertMayCreateIn(user: SessionUser, regionCode: string): void {
  if (!canActInRegion(user, regionCode)) throw forbidden('只能在本辖区内登记');
}

/** The caller's region scope narrowed further by a region the caller asked for (a 2–6 digit prefix, or a 6-digit code of any level). */
export function scopedRegionFilter(user: SessionUser, requestedPrefix?: string): Record<string, unknown> {
  const scope = regionFilter(user);
  if (!requestedPrefix) return scope;
  // A 6-digit code names a region whatever its level: 370100 (济南市) means the prefix 3701.
  const prefix = /^\d{6}$/.test(requestedPrefix) ? (scopePrefix(requestedPrefix) ?? requestedPrefix) : requestedPrefix;
  const requested = { regionCode: new RegExp(`^${prefix}`) };
  return scope.regionCode ? { $and: [scope, requested] } : requested;
}
