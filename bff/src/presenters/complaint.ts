import type { ComplaintView } from '@shared/api';
import { categoryName } from '@shared/catalogue';
import { complaintCategoryName, complaintStatusName } from '@shared/complaints';

/** The stored fields the presenter reads (a lean complaint). */
export interface ComplaintFields {
  _id: unknown;
  trackingNo: string;
  business: unknown;
  instrumentCode?: string | null;
  instrumentCategory?: string | null;
  category: string;
  content: string;
  photos?: unknown[] | null;
  status: string;
  history?: Array<{ status: string; at: Date; note?: string | null }> | null;
  createdAt?: Date;
}

/** Where the complainant's app reads one of their photos (with their token). */
export const complaintPhotoPath = (id: unknown) => `/api/v1/complaints/photos/${String(id)}`;

/**
 * A complaint as its complainant sees it. Built field by field: the contact, the complainant's
 * user id, the region and the handlers' internal notes and ids never reach it.
 */
export function presentComplaint(c: ComplaintFields, businessName: string | undefined): ComplaintView {
  return {
    id: String(c._id),
    trackingNo: c.trackingNo,
    category: c.category,
    categoryName: complaintCategoryName(c.category) ?? c.category,
    content: c.content,
    status: c.status,
    statusName: complaintStatusName(c.status) ?? c.status,
    business: { id: String(c.business), name: businessName ?? '' },
    instrument: c.instrumentCode ? { code: c.instrumentCode, categoryName: categoryName(c.instrumentCategory ?? '') ?? c.instrumentCategory ?? '' } : null,
    photos: (c.photos ?? []).map(complaintPhotoPath),
    history: (c.history ?? []).map((h) => ({
      status: h.status,
      statusName: complaintStatusName(h.status) ?? h.status,
      at: h.at.toISOString(),
      ...(h.note ? { note: h.note } : {}),
    })),
    createdAt: (c.createdAt ?? new Date(0)).toISOString(),
  };
}
