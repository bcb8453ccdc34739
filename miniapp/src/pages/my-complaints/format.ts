import { CHINA_OFFSET_MS, chinaCalendarDay } from '@shared/chinaDate';

/** An ISO instant as China time, `YYYY-MM-DD HH:mm` (a complaint's history is read to the minute). */
export function chinaDateTime(iso: string): string {
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return '';
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The China day an ISO instant falls on. */
export function chinaDay(iso: string): string {
  return chinaCalendarDay(iso) ?? '';
}

/** Colour family of a complaint status; the status is always also written out. */
export function complaintTone(status: string): 'open' | 'done' | 'rejected' {
  if (status === 'resolved') return 'done';
  if (status === 'rejected') return 'rejected';
  return 'open';
}
