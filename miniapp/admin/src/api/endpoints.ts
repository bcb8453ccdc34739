import type { AuthResponse, ListResponse } from '@shared/api';
import { request, type Query } from './transport';
import type { AdminVerificationItem, ApiKeyView, DashboardResponse, StaffBusiness, StaffInstrument, StaffUserView } from './types';

/** One function per endpoint the workspace calls; screens never build URLs themselves. */
export const api = {
  login: (username: string, password: string) =>
    request<AuthResponse>('/auth/login', { body: { username, password }, auth: false }),
  dashboard: (signal?: AbortSignal) => request<DashboardResponse>('/admin/dashboard', { signal }),
  businesses: (query: Query, signal?: AbortSignal) => request<ListResponse<StaffBusiness>>('/admin/businesses', { query, signal }),
  business: (id: string) => request<StaffBusiness>(`/admin/businesses/${encodeURIComponent(id)}`),
  createBusiness: (body: unknown) => request<StaffBusiness>('/admin/businesses', { method: 'POST', body }),
  updateBusiness: (id: string, body: unknown) => request<StaffBusiness>(`/admin/businesses/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  instruments: (query: Query, signal?: AbortSignal) => request<ListResponse<StaffInstrument>>('/admin/instruments', { query, signal }),
  apiKeys: (signal?: AbortSignal) => request<ListResponse<ApiKeyView>>('/admin/api-keys', { signal }),
  issueApiKey: (body: { name: string; institution: string }) => request<ApiKeyView & { key: string }>('/admin/api-keys', { method: 'POST', body }),
  revokeApiKey: (id: string) => request<void>(`/admin/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  users: (query: Query, signal?: AbortSignal) => request<ListResponse<StaffUserView>>('/admin/users', { query, signal }),
  createUser: (body: unknown) => request<StaffUserView>('/admin/users', { method: 'POST', body }),
  updateUser: (id: string, body: unknown) => request<StaffUserView>(`/admin/users/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  verifications: (query: Query, signal?: AbortSignal) => request<ListResponse<AdminVerificationItem>>('/admin/verifications', { query, signal }),
};
