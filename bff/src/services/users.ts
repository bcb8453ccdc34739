/**
 * Staff accounts, managed by admins: regulators with the region they supervise, verifiers with
 * their institution, other admins. Passwords are stored as scrypt hashes only. A change takes
 * effect on the account's next request: the auth middleware reads role, region, institution and
 * `disabled` from the account every time, so a disabled account stops at once.
 */
import type { ListResponse, SessionUser, StaffUserView } from '@shared/api';
import { STAFF_ROLES, type CreateUser, type ListUsers, type UpdateUser } from '@shared/requests/users';
import type { z } from 'zod';
import { badRequest, conflict, notFound } from '../errors';
import type { Models, UserDoc } from '../models';
import { presentStaffUser } from '../presenters/user';
import { hashPassword } from './credentials';

type StaffUser = UserDoc & { _id: unknown; createdAt?: Date };

const usernameTaken = () => conflict('USERNAME_TAKEN', '该用户名已被使用');
const userNotFound = () => notFound('USER_NOT_FOUND', '未找到该账号');

export async function listUsers(models: Models, q: z.output<typeof ListUsers>): Promise<ListResponse<StaffUserView>> {
  const filter: Record<string, unknown> = { role: q.role ?? { $in: STAFF_ROLES } };
  if (q.disabled !== undefined) filter.disabled = q.disabled ? true : { $ne: true };
  if (q.q) {
    const part = new RegExp(literal(q.q), 'i');
    filter.$or = [{ username: part }, { displayName: part }];
  }
  const [docs, total] = await Promise.all([
    models.User.find(filter).sort({ _id: -1 }).skip((q.page - 1) * q.pageSize).limit(q.pageSize).lean<StaffUser[]>(),
    models.User.countDocuments(filter),
  ]);
  return { items: docs.map(presentStaffUser), total, page: q.page, pageSize: q.pageSize };
}

/** User text inside a RegExp (as routes/common.ts escapeRegExp, which a service may not import). */
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

export async function createUser(models: Models, body: z.output<typeof CreateUser>): Promise<StaffUserView> {
  const { password, ...fields } = body;
  if (await models.User.exists({ username: fields.username })) throw usernameTaken();
  try {
    const created = await models.User.create({ ...fields, passwordHash: await hashPassword(password) });
    return presentStaffUser(created.toObject() as StaffUser);
  } catch (err) {
    if (isDuplicateKey(err)) throw usernameTaken(); // a parallel create took it between the check and the insert
    throw err;
  }
}

/**
 * Disables or enables an account, sets a new password (which also clears the login lock), renames
 * it, moves a regulator to another region or a verifier to another institution. An admin cannot
 * disable their own account (nobody could then undo it if they are the last admin).
 */
export async function updateUser(models: Models, caller: SessionUser, id: string, changes: z.output<typeof UpdateUser>): Promise<StaffUserView> {
  const account = await models.User.findOne({ _id: id, role: { $in: STAFF_ROLES } }).lean<StaffUser>();
  if (!account) throw userNotFound();
  if (changes.disabled && id === caller.id) throw conflict('CANNOT_DISABLE_SELF', '不能停用自己的账号');
  if (changes.regionCode && account.role !== 'regulator') throw badRequest('REGION_ONLY_FOR_REGULATORS', '只有监管人员账号有辖区');
  if (changes.institution && account.role !== 'verifier') throw badRequest('INSTITUTION_ONLY_FOR_VERIFIERS', '只有检定机构账号有所属机构');
  const { password, ...rest } = changes;
  const set: Record<string, unknown> = { ...rest };
  const unset: Record<string, 1> = {};
  if (password) {
    set.passwordHash = await hashPassword(password);
    set.loginFailures = 0;
    Object.assign(unset, { lastLoginFailureAt: 1, loginLockedUntil: 1 });
  }
  // A new password ends the account's live sessions (their tokens carry the old session version).
  const inc = password ? { $inc: { sessionVersion: 1 } } : {};
  const updated = await models.User.findByIdAndUpdate(id, { $set: set, ...inc, ...(Object.keys(unset).length ? { $unset: unset } : {}) }, { returnDocument: 'after' }).lean<StaffUser>();
  if (!updated) throw userNotFound();
  return presentStaffUser(updated);
}
