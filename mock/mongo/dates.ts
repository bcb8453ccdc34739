/**
 * `$dateTrunc`, `$dateAdd` and `$dateSubtract` as mongod computes them, in place of mingo's:
 * mingo 7 truncates days, weeks and months in UTC whatever `timezone` says (so 01:00 in +08:00
 * truncates to the day before), adds months without keeping to the month's last day (Jan 31 + 1
 * month gives Mar 3, mongod gives Feb 28), and ignores `timezone` in additions.
 *
 * Both work on the wall clock of the time zone: the instant is shifted by the zone's offset,
 * computed on as if it were UTC, and shifted back. Units of an hour and below are durations and
 * need no wall clock for additions. Truncation bins count from 2000-01-01 00:00 in the zone (for
 * weeks: the first `startOfWeek` on or after it), as mongod's do.
 */
import { evalExpr } from 'mingo/core';
import type { Options } from 'mingo/types';
import { MongoCommandError } from './errors';

const MINUTE = 60_000;
const UNIT_MS: Record<string, number> = { millisecond: 1, second: 1000, minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE, week: 7 * 24 * 60 * MINUTE };
const MONTHS_OF: Record<string, number> = { month: 1, quarter: 3, year: 12 };
const UNITS = new Set([...Object.keys(UNIT_MS), ...Object.keys(MONTHS_OF)]);
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const REFERENCE = Date.UTC(2000, 0, 1);

const OFFSET = /^([+-])(\d{2})(?::?(\d{2}))?$/;

/** Minutes the zone is ahead of UTC at `instant`: a UTC offset (+08:00, -0530, +03) or an Olson name. */
function offsetMinutes(timezone: unknown, instant: number): number {
  if (timezone === undefined || timezone === null) return 0;
  if (typeof timezone !== 'string') throw new MongoCommandError(40517, "timezone must evaluate to a string");
  const fixed = OFFSET.exec(timezone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0));
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(instant);
  } catch {
    throw new MongoCommandError(40485, `unrecognized time zone identifier: "${timezone}"`);
  }
  const field = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  return Math.round((wall - (instant - (instant % 1000 + 1000) % 1000)) / MINUTE);
}

const toWall = (instant: number, timezone: unknown) => instant + offsetMinutes(timezone, instant) * MINUTE;

/** The instant whose wall clock in the zone reads `wall` (for a zone with DST: its offset near that time). */
function fromWall(wall: number, timezone: unknown): number {
  const guess = wall - offsetMinutes(timezone, wall) * MINUTE;
  return wall - offsetMinutes(timezone, guess) * MINUTE;
}

const mod = (a: number, n: number) => ((a % n) + n) % n;

function asDate(value: unknown, operator: string, field: string): Date {
  if (value instanceof Date) return value;
  throw new MongoCommandError(5439012, `${operator} requires '${field}' to be a date`);
}

function asUnit(value: unknown, operator: string): string {
  if (typeof value !== 'string' || !UNITS.has(value)) throw new MongoCommandError(5439014, `${operator} requires 'unit' to be a valid time unit, got ${JSON.stringify(value)}`);
  return value;
}

/** Adds whole months on the wall clock, keeping to the last day of a shorter month. */
function addMonths(wall: number, months: number): number {
  const d = new Date(wall);
  const target = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), target + 1, 0)).getUTCDate();
  return Date.UTC(d.getUTCFullYear(), target, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

function add(start: Date, unit: string, amount: number, timezone: unknown): Date {
  if (unit in MONTHS_OF) return new Date(fromWall(addMonths(toWall(start.getTime(), timezone), amount * MONTHS_OF[unit]), timezone));
  if (unit === 'day' || unit === 'week') return new Date(fromWall(toWall(start.getTime(), timezone) + amount * UNIT_MS[unit], timezone));
  return new Date(start.getTime() + amount * UNIT_MS[unit]);
}

function dateArithmetic(operator: '$dateAdd' | '$dateSubtract', sign: 1 | -1) {
  return (obj: object, expr: unknown, options: Options): Date | null => {
    const args = evalExpr(obj, expr, options) as { startDate?: unknown; unit?: unknown; amount?: unknown; timezone?: unknown };
    if (args.startDate == null || args.unit == null || args.amount == null) return null;
    const amount = Number(args.amount);
    if (!Number.isInteger(amount)) throw new MongoCommandError(5166402, `${operator} expects integer amount of time units`);
    return add(asDate(args.startDate, operator, 'startDate'), asUnit(args.unit, operator), sign * amount, args.timezone);
  };
}

export const $dateAdd = dateArithmetic('$dateAdd', 1);
export const $dateSubtract = dateArithmetic('$dateSubtract', -1);

export function $dateTrunc(obj: object, expr: unknown, options: Options): Date | null {
  const args = evalExpr(obj, expr, options) as { date?: unknown; unit?: unknown; binSize?: unknown; timezone?: unknown; startOfWeek?: unknown };
  if (args.date == null || args.unit == null) return null;
  const date = asDate(args.date, '$dateTrunc', 'date');
  const unit = asUnit(args.unit, '$dateTrunc');
  const binSize = args.binSize == null ? 1 : Number(args.binSize);
  if (!Number.isInteger(binSize) || binSize <= 0) throw new MongoCommandError(5439017, "$dateTrunc requires 'binSize' to be a positive integer");
  const wall = toWall(date.getTime(), args.timezone);
  if (unit in MONTHS_OF) {
    const d = new Date(wall);
    const months = (d.getUTCFullYear() - 2000) * 12 + d.getUTCMonth();
    const bin = binSize * MONTHS_OF[unit];
    return new Date(fromWall(Date.UTC(2000, months - mod(months, bin), 1), args.timezone));
  }
  let reference = REFERENCE;
  if (unit === 'week') {
    const weekday = WEEKDAYS.indexOf(String(args.startOfWeek ?? 'sun').toLowerCase().slice(0, 3));
    if (weekday < 0) throw new MongoCommandError(5439015, `$dateTrunc: startOfWeek is not a day of the week: ${String(args.startOfWeek)}`);
    reference += mod(weekday - new Date(REFERENCE).getUTCDay(), 7) * UNIT_MS.day;
  }
  const size = binSize * UNIT_MS[unit];
  return new Date(fromWall(wall - mod(wall - reference, size), args.timezone));
}
