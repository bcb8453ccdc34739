/**
 * Verification histories planned backwards from a target status as of `asOf`, with the
 * shared rules (dueDateFor / daysUntilDue) doing the date arithmetic, so the generated data
 * agrees with what the BFF will compute.
 */
import { categoryById, type CategoryId } from '@shared/catalogue';
import { chinaStartOfDay, daysUntilDue, dueDateFor } from '@shared/verification';
import type { Rng } from './prng';

/** What an instrument should look like as of `asOf` (suspended ones are in_use = false). */
export type TargetStatus = 'valid' | 'expiring' | 'overdue' | 'failed' | 'unverified';

export interface PlannedVerification {
  date: Date;
  result: 'pass' | 'fail';
  /** For a failed verification the certificate is valid for no day: dueDate = its own day. */
  dueDate: Date;
}

const DAY_MS = 86_400_000;

export const TARGET_WEIGHTS: ReadonlyArray<readonly [TargetStatus, number]> = [
  ['valid', 66],
  ['expiring', 9],
  ['overdue', 10],
  ['failed', 5],
  ['unverified', 10],
];

function chinaMidnight(instant: Date): number {
  return chinaStartOfDay(instant).getTime();
}

/** A working-hours instant (09:00–16:59 China time) on the day `daysBefore` asOf's day. */
function workingTime(rng: Rng, asOf: Date, daysBefore: number): Date {
  return new Date(chinaMidnight(asOf) - daysBefore * DAY_MS + rng.int(9 * 60, 17 * 60 - 1) * 60_000);
}

function cycleDays(category: CategoryId): number {
  return Math.round(((categoryById(category)?.cycleMonths ?? 12) * 365.25) / 12);
}

function passOn(category: CategoryId, date: Date): PlannedVerification {
  return { date, result: 'pass', dueDate: dueDateFor(category, date) as Date };
}

function failOn(date: Date): PlannedVerification {
  return { date, result: 'fail', dueDate: new Date(chinaMidnight(date)) };
}

/** Days left on the due date we aim for, per target. */
function desiredDaysLeft(rng: Rng, target: 'valid' | 'expiring' | 'overdue', cycle: number): number {
  if (target === 'valid') return rng.int(31, cycle - 1);
  if (target === 'expiring') return rng.int(0, 30);
  return -rng.int(1, Math.min(400, cycle));
}

/**
 * The latest passing verification whose due date lands `daysLeft` days after asOf. Month
 * lengths vary, so the first guess is corrected by the observed error (two rounds suffice;
 * the loop bound is only a guard). Never later than the day before asOf, so no record lies
 * in the future.
 */
function latestPass(rng: Rng, category: CategoryId, asOf: Date, daysLeft: number): PlannedVerification {
  let daysBefore = Math.max(1, cycleDays(category) - 1 - daysLeft);
  let record = passOn(category, workingTime(rng, asOf, daysBefore));
  for (let round = 0; round < 4; round += 1) {
    const error = daysUntilDue(record.dueDate, asOf) - daysLeft;
    if (error === 0 || daysBefore + error < 1) break;
    daysBefore += error;
    record = passOn(category, workingTime(rng, asOf, daysBefore));
  }
  return record;
}

function earlierRecords(rng: Rng, category: CategoryId, latest: PlannedVerification, asOf: Date, count: number): PlannedVerification[] {
  const records: PlannedVerification[] = [];
  const cycle = cycleDays(category);
  let daysBefore = Math.round((chinaMidnight(asOf) - chinaMidnight(latest.date)) / DAY_MS);
  for (let i = 0; i < count; i += 1) {
    daysBefore += cycle + rng.int(-10, 10);
    const date = workingTime(rng, asOf, daysBefore);
    records.push(rng.chance(0.06) ? failOn(date) : passOn(category, date));
  }
  return records.reverse();
}

/** 1–4 records oldest first (only 1 for replace-by meters, verified once), or none. */
export function planHistory(rng: Rng, category: CategoryId, target: TargetStatus, asOf: Date): PlannedVerification[] {
  if (target === 'unverified') return [];
  const cycle = cycleDays(category);
  const latest =
    target === 'failed'
      ? failOn(workingTime(rng, asOf, rng.int(1, 90)))
      : latestPass(rng, category, asOf, desiredDaysLeft(rng, target, cycle));
  const verifiedOnce = categoryById(category)?.cycleKind === 'replace_by';
  const earlier = verifiedOnce ? 0 : rng.int(0, 3);
  return [...earlierRecords(rng, category, latest, asOf, earlier), latest];
}
