import { CreateApiKey } from '@shared/requests/apiKeys';
import { presentApiKey } from '../../presenters/apiKey';
import { issueApiKey, revokeApiKey } from '../../services/apiKeys';
import { IdParams } from '../common';
import { defineRoute, type RouteDef } from '../route';

export const apiKeyRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/api-keys',
    summary: '检定机构 API Key 列表',
    access: ['admin'],
    async handler(ctx) {
      const keys = await ctx.deps.models.ApiKey.find().sort({ _id: -1 }).lean();
      ctx.body = { items: keys.map(presentApiKey), total: keys.length, page: 1, pageSize: keys.length };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/api-keys',
    summary: '签发 API Key（明文只在此次返回）',
    access: ['admin'],
    body: CreateApiKey,
    async handler(ctx, input) {
      const { record, key } = await issueApiKey(ctx.deps.models, ctx.state.user, input.body);
      ctx.status = 201;
      ctx.body = { ...presentApiKey(record), key };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/admin/api-keys/:id',
    summary: '吊销 API Key',
    access: ['admin'],
    params: IdParams,
    async handler(ctx, input) {
      await revokeApiKey(ctx.deps.models, input.params.id);
      ctx.status = 204;
    },
  }),
];
