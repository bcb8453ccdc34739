import type { ArticleSummary, ArticleView, ListResponse } from '@shared/api';
import { request, type Cancellation } from './transport';

/** `GET /api/v1/articles`: laws, policies and integrity publicity, newest first. */
export function fetchArticles(query: { page?: number; pageSize?: number; category?: string }, cancellation?: Cancellation): Promise<ListResponse<ArticleSummary>> {
  return request<ListResponse<ArticleSummary>>('/api/v1/articles', { query, cancellation });
}

/** `GET /api/v1/articles/:id`. */
export function fetchArticle(id: string, cancellation?: Cancellation): Promise<ArticleView> {
  return request<ArticleView>(`/api/v1/articles/${encodeURIComponent(id)}`, { cancellation });
}
