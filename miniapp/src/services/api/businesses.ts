import type { ListResponse, PublicBusinessDetail, PublicBusinessItem } from '@shared/api';
import { request, type Cancellation } from './transport';

export interface BusinessSearch {
  q?: string;
  industry?: string;
  region?: string;
  /** Grades, e.g. ['A', 'B']. */
  grade?: string[];
  /** `[lng, lat]` GCJ-02. */
  near?: [number, number];
  /** Metres around `near`. */
  radius?: number;
  page?: number;
  pageSize?: number;
}

/** `GET /api/v1/businesses`: search by name, credit code or instrument code, filters, or nearby. */
export function searchBusinesses(search: BusinessSearch, cancellation?: Cancellation): Promise<ListResponse<PublicBusinessItem>> {
  const { grade, near, ...rest } = search;
  return request<ListResponse<PublicBusinessItem>>('/api/v1/businesses', {
    query: { ...rest, grade: grade?.length ? grade.join(',') : undefined, near: near ? `${near[0]},${near[1]}` : undefined },
    cancellation,
  });
}

/** `GET /api/v1/businesses/:id`: the business page. */
export function fetchBusiness(id: string, cancellation?: Cancellation): Promise<PublicBusinessDetail> {
  return request<PublicBusinessDetail>(`/api/v1/businesses/${encodeURIComponent(id)}`, { cancellation });
}
