/**
 * China calendar days (Asia/Shanghai, a fixed +08:00: China has no daylight saving time).
 * Dependency-free so the mini-program can import it without the catalogue; the verification
 * rules in ./verification.ts count days with the same offset.
 */
/** China time is UTC+8 all year. */
export const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `YYYY-MM-DD` of the China day of `value`: a calendar day is itself, an instant is the day it
 * falls on in China (2027-09-10T16:00:00Z is China midnight of 2027-09-11). Null for nothing or
 * for a value that is not a date, so a UI never shows a wrong day.
 */
export function chinaCalendarDay(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' && CALENDAR_DAY.test(value)) return value;
  const ms = (value instanceof Date ? value : new Date(value)).getTime();
  if (Number.isNaN(ms)) return null;
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
