import type { ComplaintCreated, ComplaintView, ListResponse, PhotoUploaded } from '@shared/api';
import type { CreateComplaintBody } from '@shared/requests/complaints';
import { request, uploadFile, type Cancellation } from './transport';

/** `POST /api/v1/complaints/photos`: one photo (a local file path from chooseImage) → its id for the complaint. */
export function uploadComplaintPhoto(filePath: string): Promise<PhotoUploaded> {
  return uploadFile<PhotoUploaded>('/api/v1/complaints/photos', filePath, 'photo');
}

/** `POST /api/v1/complaints` → 201 with the tracking number. */
export function submitComplaint(body: CreateComplaintBody): Promise<ComplaintCreated> {
  return request<ComplaintCreated>('/api/v1/complaints', { method: 'POST', body, auth: true });
}

/** `GET /api/v1/complaints/mine`. */
export function fetchMyComplaints(page: number, cancellation?: Cancellation): Promise<ListResponse<ComplaintView>> {
  return request<ListResponse<ComplaintView>>('/api/v1/complaints/mine', { query: { page }, auth: true, cancellation });
}

/** `GET /api/v1/complaints/:trackingNo` (only the complainant's own). */
export function fetchComplaint(trackingNo: string, cancellation?: Cancellation): Promise<ComplaintView> {
  return request<ComplaintView>(`/api/v1/complaints/${encodeURIComponent(trackingNo)}`, { auth: true, cancellation });
}
