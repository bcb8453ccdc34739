import { DashboardQuery } from '@shared/requests/dashboard';
import { dashboardFor } from '../../services/dashboard';
import { defineRoute, type RouteDef } from '../route';

export const dashboardRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/dashboard',
    summary: '工作台概览（本辖区）：按行业的经营者与器具数、检定率、合格率，逾期与 30 天内到期器具数，近 12 个月检定趋势',
    access: ['regulator', 'admin'],
    query: DashboardQuery,
    rateLimit: { name: 'dashboard', points: 60, windowSeconds: 60 },
    async handler(ctx, input) {
      ctx.body = await dashboardFor(ctx.deps.models, ctx.state.user, input.query.region);
    },
  }),
];
