/**
 * Complaints from the public (modelled on the 12315 flow): what may be complained about, the
 * lifecycle a complaint moves through, and the limits of what a complainant may send. The
 * Chinese names here are the only place these words are spelled.
 */

export const COMPLAINT_CATEGORIES = [
  { id: 'short_weight', name: '缺斤少两' },
  { id: 'unverified', name: '器具未检定或过期' },
  { id: 'label', name: '标签异常' },
  { id: 'cheating', name: '计量作弊' },
  { id: 'other', name: '其他' },
] as const;

export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number]['id'];
export const COMPLAINT_CATEGORY_IDS = COMPLAINT_CATEGORIES.map((c) => c.id) as [ComplaintCategory, ...ComplaintCategory[]];

/**
 * submitted → accepted | rejected → processing → resolved. A resolved complaint says whether it
 * was substantiated (`outcome`); the complainant sees every change in the history.
 */
export const COMPLAINT_STATUSES = [
  { id: 'submitted', name: '已提交' },
  { id: 'accepted', name: '已受理' },
  { id: 'rejected', name: '不予受理' },
  { id: 'processing', name: '处理中' },
  { id: 'resolved', name: '已办结' },
] as const;

export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number]['id'];
export const COMPLAINT_STATUS_IDS = COMPLAINT_STATUSES.map((s) => s.id) as [ComplaintStatus, ...ComplaintStatus[]];

export function complaintCategoryName(id: string): string | undefined {
  return COMPLAINT_CATEGORIES.find((c) => c.id === id)?.name;
}

export function complaintStatusName(id: string): string | undefined {
  return COMPLAINT_STATUSES.find((s) => s.id === id)?.name;
}

/** Limits of one complaint; the form and the BFF read the same numbers. */
export const COMPLAINT_LIMITS = {
  contentMin: 5,
  contentMax: 500,
  contactMax: 50,
  photos: 3,
  /** Bytes per photo after the phone's compression; WeChat's chooseImage('compressed') gives far less. */
  photoBytes: 5 * 1024 * 1024,
} as const;

/** Photo types accepted, recognised by their first bytes (never by the file name or the declared type). */
export const COMPLAINT_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ComplaintPhotoType = (typeof COMPLAINT_PHOTO_TYPES)[number];

/** `TS` + China calendar day `YYYYMMDD` + 6 digits: what a complainant reads out on the phone to 12315. */
export const TRACKING_NO_PATTERN = /^TS\d{8}\d{6}$/;
