import type { LikeResponse, ListResponse, MyLikeView } from '@shared/api';
import { request, type Cancellation } from './transport';

/** `POST /api/v1/instruments/:code/likes`: one like per person per instrument per day. */
export function likeInstrument(code: string): Promise<LikeResponse> {
  return request<LikeResponse>(`/api/v1/instruments/${encodeURIComponent(code)}/likes`, { method: 'POST', auth: true });
}

/** `GET /api/v1/likes/mine`. */
export function fetchMyLikes(page: number, cancellation?: Cancellation): Promise<ListResponse<MyLikeView>> {
  return request<ListResponse<MyLikeView>>('/api/v1/likes/mine', { query: { page }, auth: true, cancellation });
}
