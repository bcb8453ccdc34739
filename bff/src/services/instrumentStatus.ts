/**
 * The verification status of many instruments at once, read from the facts each instrument
 * stores about its latest verification (`current`, kept by currentVerification.ts): the rule of
 * shared/verification.ts (`statusFromCurrent`) written as a query filter and as an expression.
 *
 * The status itself is not stored (it changes with the calendar); its inputs are. Day arithmetic
 * stays in JavaScript: every day boundary is computed here, in China time, as an instant, and the
 * database only compares dates: "due day < D" is "current.dueDate < 00:00 China time of day D".
 * A null due date (a category without a cycle, 体温计) never falls due. So a status filter is an
 * indexed range on `{ status, current.result, current.dueDate }` (models/instrument.ts).
 */
import type { PipelineStage } from 'mongoose';
import type { VerificationStatus } from '@shared/api';
import { chinaDayNumber, chinaMidnight, EXPIRING_WINDOW_DAYS } from '@shared/verification';

/** The field the stages add: the latest verification `{ date, result, dueDate }`, or null. */
export const LATEST = 'latestVerification';
/** The field the stages add: one of the six VerificationStatus values. */
export const STATUS = 'verificationStatus';
/** The stored effective due date the filters and the due-date sort use. */
export const DUE = 'current.dueDate';

/** 00:00 China time of today, and of the first day past the expiring window. */
export function statusBoundaries(asOf: Date) {
  const today = chinaDayNumber(asOf);
  return { today, dueFrom: chinaMidnight(today), validFrom: chinaMidnight(today + EXPIRING_WINDOW_DAYS + 1) };
}

const inUse = { status: 'in_use' };
const passed = { ...inUse, 'current.result': 'pass' };

/** The stored-field filter of each status as of a date. */
export function statusFilter(status: VerificationStatus, asOf: Date): Record<string, unknown> {
  const { dueFrom, validFrom } = statusBoundaries(asOf);
  switch (status) {
    case 'suspended':
      return { status: { $ne: 'in_use' } };
    case 'unverified':
      return { ...inUse, current: null };
    case 'failed':
      return { ...inUse, 'current.result': 'fail' };
    case 'overdue':
      return { ...passed, [DUE]: { $lt: dueFrom } };
    case 'expiring':
      return { ...passed, [DUE]: { $gte: dueFrom, $lt: validFrom } };
    case 'valid':
      return { ...passed, $or: [{ [DUE]: { $gte: validFrom } }, { [DUE]: null }] };
  }
}

/** Stages that add LATEST and STATUS to each instrument from its stored facts, as of `asOf`. */
export function verificationStatusStages(asOf: Date): PipelineStage[] {
  const { dueFrom, validFrom } = statusBoundaries(asOf);
  const isNull = (path: string) => ({ $eq: [{ $ifNull: [path, null] }, null] });
  return [
    {
      $set: {
        [LATEST]: { $cond: [isNull('$current'), null, { date: '$current.date', result: '$current.result', dueDate: { $ifNull: ['$current.dueDate', null] } }] },
        [STATUS]: {
          $switch: {
            branches: [
              { case: { $ne: ['$status', 'in_use'] }, then: 'suspended' },
              { case: isNull('$current'), then: 'unverified' },
              { case: { $eq: ['$current.result', 'fail'] }, then: 'failed' },
              { case: isNull('$current.dueDate'), then: 'valid' },
              { case: { $lt: ['$current.dueDate', dueFrom] }, then: 'overdue' },
              { case: { $lt: ['$current.dueDate', validFrom] }, then: 'expiring' },
            ],
            default: 'valid',
          },
        },
      },
    },
    { $unset: 'current' },
  ];
}

/** What a list may ask of the status: a status, and/or a due day within N days from today. */
export interface StatusCriteria {
  status?: VerificationStatus;
  /** `overdue`, or the number of days: due today through N days from today (passed and in use). */
  due?: 'overdue' | number;
}

/** The stored-field filter of the criteria, or null when they ask nothing. */
export function statusMatch(criteria: StatusCriteria, asOf: Date): Record<string, unknown> | null {
  const { status, due } = criteria;
  const and: Record<string, unknown>[] = [];
  if (status) and.push(statusFilter(status, asOf));
  if (due === 'overdue') and.push(statusFilter('overdue', asOf));
  else if (due !== undefined) {
    const { today, dueFrom } = statusBoundaries(asOf);
    and.push({ ...passed, [DUE]: { $gte: dueFrom, $lt: chinaMidnight(today + due + 1) } });
  }
  if (!and.length) return null;
  return and.length === 1 ? and[0] : { $and: and };
}
