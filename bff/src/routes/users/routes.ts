import { CreateUser, ListUsers, UpdateUser } from '@shared/requests/users';
import { createUser, listUsers, updateUser } from '../../services/users';
import { IdParams } from '../common';
import { defineRoute, type RouteDef } from '../route';

/** Creating accounts and setting passwords cost a scrypt hash each: bounded per admin. */
const accountWrites = { name: 'user-writes', points: 30, windowSeconds: 60 };

export const userRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/users',
    summary: '工作人员账号列表（监管人员、检定机构、管理员、经营者），可按角色、停用状态筛选和搜索',
    access: ['admin'],
    query: ListUsers,
    async handler(ctx, input) {
      ctx.body = await listUsers(ctx.deps.models, input.query);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/users',
    summary: '创建账号：监管人员（须填辖区）、检定机构人员（须填所属机构）或管理员；密码至少 10 位',
    access: ['admin'],
    body: CreateUser,
    rateLimit: accountWrites,
    async handler(ctx, input) {
      ctx.status = 201;
      ctx.body = await createUser(ctx.deps.models, input.body);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/admin/users/:id',
    summary: '停用、启用账号，重置密码，修改名称、辖区或所属机构（不能停用自己）',
    access: ['admin'],
    params: IdParams,
    body: UpdateUser,
    rateLimit: accountWrites,
    async handler(ctx, input) {
      ctx.body = await updateUser(ctx.deps.models, ctx.state.user, input.params.id, input.body);
    },
  }),
];
