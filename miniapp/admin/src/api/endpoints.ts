import type { AuthResponse, ImportReport, ListResponse } from '@shared/api';
import { request, requestResponse, upload, type Query, type UploadOptions } from './transport';
import type { AdminVerificationItem, ApiKeyView, DashboardResponse, SavedInstrument, StaffBusiness, StaffInstrument, StaffUserView } from './types';

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
  instrument: (id: string, signal?: AbortSignal) => request<StaffInstrument>(`/admin/instruments/${encodeURIComponent(id)}`, { signal }),
  createInstrument: (body: unknown) => request<SavedInstrument>('/admin/instruments', { method: 'POST', body }),
  updateInstrument: (id: string, body: unknown) => request<SavedInstrument>(`/admin/instruments/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  apiKeys: (signal?: AbortSignal) => request<ListResponse<ApiKeyView>>('/admin/api-keys', { signal }),
  issueApiKey: (body: { name: string; institution: string }) => request<ApiKeyView & { key: string }>('/admin/api-keys', { method: 'POST', body }),
  revokeApiKey: (id: string) => request<void>(`/admin/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  /** The CSV as the user's file (its bytes: the BFF finds UTF-8 or GBK itself); `partial` imports only the good rows. */
  importInstruments: (file: Blob, partial: boolean, progress: Pick<UploadOptions, 'onProgress' | 'onSent' | 'signal'> = {}) =>
    upload<ImportReport>('/admin/instruments/import', file, { ...progress, contentType: 'text/csv', query: { partial: partial ? 1 : undefined } }),
  /** One label as an image (read it as a blob: an <img> cannot send the token). */
  labelImage: (id: string, format: 'png' | 'svg', signal?: AbortSignal) => requestResponse(`/admin/instruments/${encodeURIComponent(id)}/label.${format}`, { signal }),
  /** The A4 PDF sheet, its body still streaming; X-Label-Count / X-Label-Pages say what it will hold. */
  labelSheet: (query: Query, signal?: AbortSignal) => requestResponse('/admin/labels.pdf', { query, signal }),
  users: (query: Query, signal?: AbortSignal) => request<ListResponse<StaffUserView>>('/admin/users', { query, signal }),
  createUser: (body: unknown) => request<StaffUserView>('/admin/users', { method: 'POST', body }),
  updateUser: (id: string, body: unknown) => request<StaffUserView>(`/admin/users/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  verifications: (query: Query, signal?: AbortSignal) => request<ListResponse<AdminVerificationItem>>('/admin/verifications', { query, signal }),
};
