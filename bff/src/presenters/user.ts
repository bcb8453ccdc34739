import type { SessionUser, StaffUserView } from '@shared/api';
import { regionName } from '@shared/regions';
import type { UserDoc } from '../models';

/** What a client learns about a signed-in user: never the openid, device id or password hash. */
export function presentSessionUser(user: UserDoc & { _id: unknown }): SessionUser {
  return {
    id: String(user._id),
    role: user.role as SessionUser['role'],
    ...(user.displayName ? { displayName: user.displayName } : {}),
    ...(user.role === 'regulator' && user.regionCode ? { regionCode: user.regionCode } : {}),
  };
}

/** A staff account as admins see it: never its password hash, openid, device id or login throttle. */
export function presentStaffUser(user: UserDoc & { _id: unknown; createdAt?: Date | null }): StaffUserView {
  return {
    id: String(user._id),
    username: user.username ?? '',
    role: user.role as StaffUserView['role'],
    displayName: user.displayName ?? null,
    regionCode: user.role === 'regulator' ? (user.regionCode ?? null) : null,
    regionName: user.role === 'regulator' && user.regionCode ? (regionName(user.regionCode) ?? user.regionCode) : null,
    institution: user.role === 'verifier' ? (user.institution ?? null) : null,
    disabled: Boolean(user.disabled),
    createdAt: user.createdAt?.toISOString() ?? null,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}
