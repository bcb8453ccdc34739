import { ListVerifications } from '@shared/requests/adminVerifications';
import { listVerifications } from '../../services/verificationList';
import { defineRoute, type RouteDef } from '../route';

export const adminVerificationRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/verifications',
    summary: '检定记录列表（本辖区器具的检定结果），可按检定机构、结论、日期范围、器具编码筛选',
    access: ['regulator', 'admin'],
    query: ListVerifications,
    async handler(ctx, input) {
      ctx.body = await listVerifications(ctx.deps.models, ctx.state.user, input.query);
    },
  }),
];
