import type { SessionUser } from '@shared/api';
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
