import { listPublishedArticles, publishedArticle } from '../../services/articles';
import { defineRoute, type RouteDef } from '../route';
import { ArticleIdParams, ListArticles } from '@shared/requests/articles';

/** Publicity of metrology laws, policies and integrity (duty 6): anyone may read what is published. */
export const articleRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/articles',
    summary: '计量法律法规、政策文件与诚信宣传文章列表（最新在前）',
    access: 'anyone',
    query: ListArticles,
    async handler(ctx, input) {
      ctx.body = await listPublishedArticles(ctx.deps.models, input.query);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/articles/:id',
    summary: '文章详情',
    access: 'anyone',
    params: ArticleIdParams,
    async handler(ctx, input) {
      ctx.body = await publishedArticle(ctx.deps.models, input.params.id);
    },
  }),
];
