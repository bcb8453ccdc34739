import { SCAN_RATE_LIMIT } from '../../middleware/rateLimit';
import { publicBusinessDetail, searchPublicBusinesses } from '../../services/businessSearch';
import { defineRoute, type RouteDef } from '../route';
import { BusinessIdParams, SearchBusinesses } from '@shared/requests/publicBusinesses';

/**
 * The public business search and business pages. They share the scan's budget: a search by
 * instrument code and a business page both tell what a scan tells, so none is a way around it.
 */
export const publicBusinessRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/businesses',
    summary: '查询经营者：名称、统一社会信用代码或器具识别码；按行业、地区、评级筛选；按距离查附近',
    access: 'anyone',
    query: SearchBusinesses,
    rateLimit: SCAN_RATE_LIMIT,
    async handler(ctx, input) {
      ctx.body = await searchPublicBusinesses(ctx.deps.models, input.query);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/businesses/:id',
    summary: '经营者公示页：评级、在用器具及其检定状态、投诉统计',
    access: 'anyone',
    params: BusinessIdParams,
    rateLimit: SCAN_RATE_LIMIT,
    async handler(ctx, input) {
      ctx.body = await publicBusinessDetail(ctx.deps.models, input.params.id);
    },
  }),
];
