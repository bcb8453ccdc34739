import type { Role } from '@shared/api';

export const ROLE_NAMES: Record<Role, string> = {
  admin: '管理员',
  regulator: '监管人员',
  verifier: '检定人员', // a person of a verification institution (the institution is on the account)
  owner: '经营者',
  public: '公众用户',
  guest: '游客',
};

/** Who has a workspace: admins (everything) and regulators (their region). */
export const WORKSPACE_ROLES: readonly Role[] = ['admin', 'regulator'];

export const hasWorkspace = (role: Role) => WORKSPACE_ROLES.includes(role);
