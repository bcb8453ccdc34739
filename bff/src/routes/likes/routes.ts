import { CodeParams } from '@shared/requests/instruments';
import { Pagination } from '@shared/schemas';
import { LIKE_RATE_LIMIT } from '../../middleware/rateLimit';
import { likeInstrument, listMyLikes } from '../../services/likes';
import { defineRoute, type RouteDef } from '../route';

/** Likes are for people: WeChat users and browser guests, not staff accounts. */
const PUBLIC = ['public', 'guest'] as const;

export const likeRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/instruments/:code/likes',
    summary: '点赞器具（每人每器具每天一次，按北京时间计）；总是 200：{ likes, alreadyLiked }，当天已赞过则 alreadyLiked 为 true、计数不变',
    access: PUBLIC,
    params: CodeParams,
    rateLimit: LIKE_RATE_LIMIT,
    async handler(ctx, input) {
      ctx.body = await likeInstrument(ctx.deps.models, ctx.state.user, input.params.code);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/likes/mine',
    summary: '我的点赞（最新在前）',
    access: PUBLIC,
    query: Pagination,
    async handler(ctx, input) {
      ctx.body = await listMyLikes(ctx.deps.models, ctx.state.user, input.query);
    },
  }),
];
