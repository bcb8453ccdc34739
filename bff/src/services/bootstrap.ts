import type { Models } from '../models';
import { hashPassword, randomPassword } from './credentials';

/**
 * Makes sure an admin account exists. Returns the generated password when one had to be made
 * (ADMIN_PASSWORD unset and no admin yet), so the caller can print it once.
 */
export async function ensureBootstrapAdmin(models: Models, admin: { username: string; password?: string }): Promise<string | undefined> {
  const existing = await models.User.findOne({ username: admin.username }).lean();
  if (existing) return undefined;
  const password = admin.password ?? randomPassword();
  await models.User.create({ role: 'admin', username: admin.username, displayName: '系统管理员', passwordHash: await hashPassword(password) });
  return admin.password ? undefined : password;
}
