import type { Role } from '@shared/api';

export interface Screen {
  /** Path inside the app (after /admin). */
  path: string;
  title: string;
  roles: readonly Role[];
}

const STAFF: readonly Role[] = ['admin', 'regulator'];

/** The side menu, in order. Regulators' data is limited to their region by the API itself. */
export const SCREENS: readonly Screen[] = [
  { path: '/dashboard', title: '概览', roles: STAFF },
  { path: '/businesses', title: '经营者', roles: STAFF },
  { path: '/instruments', title: '计量器具', roles: STAFF },
  { path: '/verifications', title: '检定记录', roles: STAFF },
  { path: '/import', title: '批量导入', roles: STAFF },
  { path: '/labels', title: '标签打印', roles: STAFF },
  { path: '/users', title: '用户', roles: ['admin'] },
  { path: '/api-keys', title: 'API 密钥', roles: ['admin'] },
];

export const screensFor = (role: Role) => SCREENS.filter((s) => s.roles.includes(role));

export const screenAt = (pathname: string) => SCREENS.find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`));
