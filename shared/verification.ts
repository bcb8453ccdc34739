/**
 * Verification status of an instrument as of a date (DESIGN §4).
 *
 * Day precision in China time: every instant is reduced to its calendar day in UTC+8 (China
 * has no daylight saving time), because certificates state days and an inspection at 23:30
 * in Jinan belongs to that Jinan day, not to the next UTC day.
 *
 * The due date is the LAST day on which the verification is still valid (certificates say
 * 有效期至 that day). Let daysLeft = dueDay − asOfDay:
 *   daysLeft < 0        → 'overdue'   (due date before asOf)
 *   0 ≤ daysLeft ≤ 30   → 'expiring'  (due today counts as expiring, not overdue)
 *   daysLeft > 30       → 'valid'
 */
import type { VerificationStatus } from './api';
import { findCategory } from './catalogue';
import { CHINA_OFFSET_MS } from './chinaDate';

export type { VerificationStatus };

export const EXPIRING_WINDOW_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface InstrumentForStatus {
  status: 'in_use' | 'suspended' | 'retired';
  /** Category id (or 4-digit category code). */
  category: string;
}

export interface VerificationForStatus {
  date: Date | string;
  result: 'pass' | 'fail';
  /** A due date stated on the certificate wins over the category's cycle. */
  dueDate?: Date | string | null;
}

export class UnknownCategoryError extends Error {
  readonly code = 'UNKNOWN_CATEGORY';
  constructor(readonly category: string) {
    super(`UNKNOWN_CATEGORY: ${category}`);
  }
}

function toDate(value: Date | string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`invalid date: ${String(value)}`);
  return date;
}

/** Days since 1970-01-01 of the China-time calendar day containing `value`. */
export function chinaDayNumber(value: Date | string): number {
  return Math.floor((toDate(value).getTime() + CHINA_OFFSET_MS) / DAY_MS);
}

/** The instant 00:00 China time of a day number. */
export function chinaMidnight(dayNumber: number): Date {
  return new Date(dayNumber * DAY_MS - CHINA_OFFSET_MS);
}

/** 00:00 China time of the China-time day containing `value`. */
export function chinaStartOfDay(value: Date | string): Date {
  return chinaMidnight(chinaDayNumber(value));
}

/** `YYYY-MM-DD` of the China-time day containing `value`. */
export function chinaDateString(value: Date | string): string {
  return new Date(chinaDayNumber(value) * DAY_MS).toISOString().slice(0, 10);
}

/** Adds calendar months in China time, clamping to the month's last day (Jan 31 + 1 → Feb 28). */
function addChinaMonths(dayNumber: number, months: number): number {
  const civil = new Date(dayNumber * DAY_MS);
  const year = civil.getUTCFullYear();
  const month = civil.getUTCMonth() + months;
  const lastDayOfTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(civil.getUTCDate(), lastDayOfTarget);
  return Math.floor(Date.UTC(year, month, day) / DAY_MS);
}

/**
 * The due date (00:00 China time of the last valid day) of a verification done on `date`
 * for a category: the same calendar day `cycleMonths` later, minus one day — verified on
 * 2025-03-10 with a 12-month cycle → valid through 2026-03-09. Null for categories verified
 * only once (体温计): they never fall due by the calendar.
 */
export function dueDateFor(category: string, date: Date | string): Date | null {
  const entry = findCategory(category);
  if (!entry) throw new UnknownCategoryError(category);
  if (entry.cycleMonths === null) return null;
  return chinaMidnight(addChinaMonths(chinaDayNumber(date), entry.cycleMonths) - 1);
}

/** The latest record by date; on the same day the one listed last (the later entry) wins. */
export function latestVerification<T extends VerificationForStatus>(verifications: readonly T[]): T | undefined {
  let latest: T | undefined;
  let latestTime = -Infinity;
  for (const record of verifications) {
    const time = toDate(record.date).getTime();
    if (time >= latestTime) {
      latest = record;
      latestTime = time;
    }
  }
  return latest;
}

/** The due date that counts: the certificate's, else the category's cycle from the verification day. */
export function effectiveDueDate(category: string, record: VerificationForStatus): Date | null {
  if (record.dueDate !== undefined && record.dueDate !== null) return toDate(record.dueDate);
  return dueDateFor(category, record.date);
}

/**
 * The facts of an instrument's latest verification that its status depends on, as stored on the
 * instrument (`current`): the result and the effective due date (null: never due by the calendar).
 */
export interface CurrentVerificationFacts {
  result: 'pass' | 'fail';
  dueDate: Date | null;
}

/** The latest verification with its effective due date, or undefined when there is none. */
export function currentVerificationOf<T extends VerificationForStatus>(category: string, verifications: readonly T[]): (T & { effectiveDueDate: Date | null }) | undefined {
  const latest = latestVerification(verifications);
  return latest && { ...latest, effectiveDueDate: effectiveDueDate(category, latest) };
}

/** Whole China-time days from `asOf` to the due date (negative once overdue). */
export function daysUntilDue(dueDate: Date | string, asOf: Date | string): number {
  return chinaDayNumber(dueDate) - chinaDayNumber(asOf);
}

/** The status rule on the stored facts: the lifecycle status and the current verification (or none). */
export function statusFromCurrent(lifecycle: InstrumentForStatus['status'], current: CurrentVerificationFacts | null | undefined, asOf: Date): VerificationStatus {
  if (lifecycle !== 'in_use') return 'suspended';
  if (!current) return 'unverified';
  if (current.result === 'fail') return 'failed';
  if (current.dueDate === null) return 'valid';
  const daysLeft = daysUntilDue(current.dueDate, asOf);
  if (daysLeft < 0) return 'overdue';
  if (daysLeft <= EXPIRING_WINDOW_DAYS) return 'expiring';
  return 'valid';
}

export function verificationStatus(
  instrument: InstrumentForStatus,
  verifications: readonly VerificationForStatus[],
  asOf: Date,
): VerificationStatus {
  if (instrument.status !== 'in_use') return 'suspended';
  const latest = currentVerificationOf(instrument.category, verifications);
  return statusFromCurrent(instrument.status, latest && { result: latest.result, dueDate: latest.effectiveDueDate }, asOf);
}

/**
 * Whether the public may trust an instrument on sight: its label's signature is genuine and its
 * verification is current (valid, or due within the expiring window). A forged or unsigned
 * label, or any other status, is never shown as trustworthy.
 */
export function isTrustworthy(signature: 'valid' | 'invalid' | 'absent', status: VerificationStatus): boolean {
  return signature === 'valid' && (status === 'valid' || status === 'expiring');
}
