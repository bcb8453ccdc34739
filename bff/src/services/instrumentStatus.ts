/**
 * The verification status of many instruments at once, computed by MongoDB: the rules of
 * shared/verification.ts (`verificationStatus`) written as aggregation stages, so lists can filter
 * and the dashboard can count by status without loading instruments into the BFF.
 *
 * The status is not stored on the instrument (it changes with the calendar), so each instrument
 * joins its latest verification (index `{ instrument: 1, date: -1 }`). Day arithmetic stays in
 * JavaScript: every day boundary the stages compare against is computed here, in China time, as
 * an instant, and the database only compares dates. That keeps the stages identical on mongod and
 * on the embedded server, and exact: "due day < D" is "dueDate < 00:00 China time of day D".
 *
 * A certificate without a due date falls due by its category's cycle (dueDateFor). That due day
 * only grows with the verification day, so "due day < D" is "verification date < the first day
 * whose due day is D or later", found here per category by binary search.
 */
import type { PipelineStage } from 'mongoose';
import type { VerificationStatus } from '@shared/api';
import { CATEGORIES } from '@shared/catalogue';
import { chinaDayNumber, chinaMidnight, dueDateFor, EXPIRING_WINDOW_DAYS } from '@shared/verification';

/** The field the stages add: the latest verification `{ date, result, dueDate }`, or missing. */
export const LATEST = 'latestVerification';
/** The field the stages add: one of the six VerificationStatus values. */
export const STATUS = 'verificationStatus';

const latest = (field: string) => `$${LATEST}.${field}`;

/** The first verification day whose cycle-based due day is `day` or later. */
function firstVerificationDayDueFrom(category: string, day: number, cycleMonths: number): number {
  const dueDay = (d: number) => chinaDayNumber(dueDateFor(category, chinaMidnight(d))!);
  let low = day - cycleMonths * 31 - 31; // due well before `day`
  let high = day; // due a cycle after `day`
  while (low + 1 < high) {
    const mid = Math.floor((low + high) / 2);
    if (dueDay(mid) >= day) high = mid;
    else low = mid;
  }
  return high;
}

/** An expression: the latest verification's due day (certificate, else cycle) is before China day `day`. */
export function dueBeforeDay(day: number) {
  const byCycle = CATEGORIES.filter((c) => c.cycleMonths !== null).map((c) => ({
    case: { $in: ['$category', [c.id, c.code]] },
    then: { $lt: [latest('date'), chinaMidnight(firstVerificationDayDueFrom(c.id, day, c.cycleMonths!))] },
  }));
  return {
    $cond: [
      { $ne: [{ $ifNull: [latest('dueDate'), null] }, null] },
      { $lt: [latest('dueDate'), chinaMidnight(day)] },
      // Categories without a cycle (体温计) never fall due by the calendar.
      { $switch: { branches: byCycle, default: false } },
    ],
  };
}

/**
 * Stages that add LATEST and STATUS to each instrument as of `asOf`. On the same date the
 * verification with the larger `_id` (posted later) counts as the latest, as verificationStatus
 * takes the later entry of a date-ordered history.
 */
export function verificationStatusStages(asOf: Date): PipelineStage[] {
  const today = chinaDayNumber(asOf);
  return [
    {
      $lookup: {
        from: 'verifications',
        localField: '_id',
        foreignField: 'instrument',
        pipeline: [{ $sort: { date: -1, _id: -1 } }, { $limit: 1 }, { $project: { _id: 0, date: 1, result: 1, dueDate: 1 } }],
        as: LATEST,
      },
    },
    { $set: { [LATEST]: { $arrayElemAt: [`$${LATEST}`, 0] } } },
    {
      $set: {
        [STATUS]: {
          $switch: {
            branches: [
              { case: { $ne: ['$status', 'in_use'] }, then: 'suspended' },
              { case: { $eq: [{ $ifNull: [`$${LATEST}`, null] }, null] }, then: 'unverified' },
              { case: { $eq: [latest('result'), 'fail'] }, then: 'failed' },
              { case: dueBeforeDay(today), then: 'overdue' },
              { case: dueBeforeDay(today + EXPIRING_WINDOW_DAYS + 1), then: 'expiring' },
            ],
            default: 'valid',
          },
        },
      },
    },
  ];
}

/** What a list may ask of the computed fields: a status, and/or a due day within N days from today. */
export interface StatusCriteria {
  status?: VerificationStatus;
  /** `overdue`, or the number of days: due today through N days from today (passed and in use). */
  due?: 'overdue' | number;
}

/** A `$match` on the fields verificationStatusStages added. */
export function statusMatch(criteria: StatusCriteria, asOf: Date): PipelineStage.Match | null {
  const { status, due } = criteria;
  const and: Record<string, unknown>[] = [];
  if (status) and.push({ [STATUS]: status });
  if (due === 'overdue') and.push({ [STATUS]: 'overdue' });
  else if (due !== undefined) {
    const today = chinaDayNumber(asOf);
    and.push({ [STATUS]: { $in: ['valid', 'expiring'] } }, { $expr: { $not: [dueBeforeDay(today)] } }, { $expr: dueBeforeDay(today + due + 1) });
  }
  return and.length ? { $match: { $and: and } } : null;
}
