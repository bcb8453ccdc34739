import { CreateComplaint, MyComplaintsQuery, TrackingNoParams } from '@shared/requests/complaints';
import { COMPLAINT_RATE_LIMIT } from '../../middleware/rateLimit';
import { fileComplaint, listMyComplaints, loadOwnComplaint } from '../../services/complaints';
import { defineRoute, type RouteDef } from '../route';

/** Complaints are filed and tracked by people: WeChat users and browser guests. */
const PUBLIC = ['public', 'guest'] as const;

export const complaintRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/complaints',
    summary: '提交投诉（针对器具识别码或经营者）；201 { id, trackingNo }',
    access: PUBLIC,
    body: CreateComplaint,
    rateLimit: COMPLAINT_RATE_LIMIT,
    async handler(ctx, input) {
      ctx.status = 201;
      ctx.body = await fileComplaint(ctx.deps.models, ctx.state.user, input.body);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/complaints/mine',
    summary: '我的投诉（最新在前）',
    access: PUBLIC,
    query: MyComplaintsQuery,
    async handler(ctx, input) {
      ctx.body = await listMyComplaints(ctx.deps.models, ctx.state.user, input.query);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/complaints/:trackingNo',
    summary: '按投诉编号查看投诉进度（仅投诉人本人）',
    access: PUBLIC,
    params: TrackingNoParams,
    async handler(ctx, input) {
      ctx.body = await loadOwnComplaint(ctx.deps.models, ctx.state.user, input.params.trackingNo);
    },
  }),
];
