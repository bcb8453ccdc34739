import { z } from 'zod';
import { textLine } from '@shared/text';
import { notFound } from '../../errors';
import { newApiKey } from '../../services/credentials';
import { IdParams } from '../common';
import { input, type RouteDef } from '../route';

const CreateApiKey = z
  .object({
    /** What the key is for, e.g. "济南院 LIMS 对接". */
    name: textLine({ min: 2, max: 60 }),
    /** The verification institution whose results the key posts. */
    institution: textLine({ min: 2, max: 100 }),
  })
  .strict();

const presentApiKey = (k: { _id: unknown; name: string; institution: string; prefix: string; createdAt?: Date; revokedAt?: Date | null; lastUsedAt?: Date | null }) => ({
  id: String(k._id),
  name: k.name,
  institution: k.institution,
  prefix: k.prefix,
  createdAt: k.createdAt?.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
});

export const apiKeyRoutes: RouteDef[] = [
  {
    method: 'get',
    path: '/api/v1/admin/api-keys',
    summary: '检定机构 API Key 列表',
    access: ['admin'],
    async handler(ctx) {
      const keys = await ctx.deps.models.ApiKey.find().sort({ _id: -1 }).lean();
      ctx.body = { items: keys.map(presentApiKey), total: keys.length, page: 1, pageSize: keys.length };
    },
  },
  {
    method: 'post',
    path: '/api/v1/admin/api-keys',
    summary: '签发 API Key（明文只在此次返回）',
    access: ['admin'],
    body: CreateApiKey,
    async handler(ctx) {
      const body = input<z.infer<typeof CreateApiKey>>(ctx, 'body');
      const { key, prefix, hash } = newApiKey();
      const created = await ctx.deps.models.ApiKey.create({ ...body, prefix, hash, createdBy: ctx.state.user.id });
      ctx.status = 201;
      ctx.body = { ...presentApiKey(created.toObject()), key };
    },
  },
  {
    method: 'delete',
    path: '/api/v1/admin/api-keys/:id',
    summary: '吊销 API Key',
    access: ['admin'],
    params: IdParams,
    async handler(ctx) {
      const { id } = input<z.infer<typeof IdParams>>(ctx, 'params');
      const res = await ctx.deps.models.ApiKey.updateOne({ _id: id, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } });
      if (!res.matchedCount && !(await ctx.deps.models.ApiKey.exists({ _id: id }))) throw notFound('API_KEY_NOT_FOUND', '未找到该 API Key');
      ctx.status = 204;
    },
  },
];
