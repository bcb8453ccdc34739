/**
 * The admin dashboard (`GET /api/v1/admin/dashboard`): three aggregations run side by side, each
 * answering a few rows per industry; nothing but those rows reaches the BFF.
 *   - businesses in business, by industry;
 *   - instruments in use by industry with their verification status, from the facts each
 *     instrument stores (instrumentStatus.ts), so the overdue figure is the instruments list's
 *     `?status=overdue` total;
 *   - verifications of the 12 China months by industry and month, from the region's
 *     verifications of those months (index {regionCode, date}: each carries its instrument's
 *     region and business, models/verification.ts), grouped by business and month.
 * Instruments carry no industry: they are grouped by business first, then the (few) businesses
 * are joined for theirs.
 */
import type { PipelineStage } from 'mongoose';
import type { DashboardIndustryRow, DashboardResponse, SessionUser } from '@shared/api';
import { INDUSTRIES } from '@shared/catalogue';
import { regionName, scopePrefix } from '@shared/regions';
import { chinaDateString, chinaMidnight } from '@shared/verification';
import { forbidden } from '../errors';
import type { Models } from '../models';
import { statusBoundaries } from './instrumentStatus';

const MONTHS = 12;
const DAY_MS = 86_400_000;

/**
 * The region prefix the dashboard covers: the caller's scope, or a part of it they asked for. A
 * regulator asking for a region wider than theirs gets theirs; one outside it is refused (403).
 */
export function dashboardScope(user: SessionUser, requested?: string): string {
  const asked = requested ? (scopePrefix(requested.padEnd(6, '0')) ?? requested) : undefined;
  if (user.role === 'admin') return asked ?? '';
  const own = user.role === 'regulator' && user.regionCode ? scopePrefix(user.regionCode) : null;
  if (!own) throw forbidden('账号未设置辖区');
  if (!asked || own.startsWith(asked)) return own;
  if (asked.startsWith(own)) return asked;
  throw forbidden('只能查看本辖区的数据');
}

/** The first instant of each of the 12 China months ending with asOf's, and of the month after. */
export function monthStarts(asOf: Date): { months: string[]; starts: Date[] } {
  const [year, month] = chinaDateString(asOf).split('-').map(Number);
  const months: string[] = [];
  const starts: Date[] = [];
  for (let i = MONTHS - 1; i >= -1; i -= 1) {
    const first = new Date(Date.UTC(year, month - 1 - i, 1)); // the civil day, as a UTC date
    starts.push(chinaMidnight(first.getTime() / DAY_MS));
    if (i >= 0) months.push(first.toISOString().slice(0, 7));
  }
  return { months, starts };
}

/**
 * An expression: the index (0..11) of the month `$date` falls in, by the month starts (a date of
 * the 12 months: the $match keeps only those), as a binary search: four comparisons a document.
 */
function monthIndexOf(starts: Date[]) {
  const within = (lo: number, hi: number): unknown => {
    if (lo === hi) return lo;
    const mid = (lo + hi + 1) >> 1;
    return { $cond: [{ $lt: ['$date', starts[mid]] }, within(lo, mid - 1), within(mid, hi)] };
  };
  return within(0, MONTHS - 1);
}

/**
 * After a `$group` by business: joins each business for its industry, then groups by it. A plain
 * localField/foreignField join (business documents are small): a sub-pipeline would run once per
 * joined row, up to 12 per business for the trend.
 */
function byIndustryOfBusiness(businessField: string, sums: Record<string, unknown>, extraKey: Record<string, string> = {}): PipelineStage[] {
  return [
    { $lookup: { from: 'businesses', localField: businessField, foreignField: '_id', as: 'b' } },
    { $group: { _id: { industry: { $arrayElemAt: ['$b.industry', 0] }, ...extraKey }, ...sums } },
  ];
}

interface InstrumentRow {
  _id: { industry: string };
  instruments: number;
  verified: number;
  overdue: number;
  expiring: number;
}
interface VerificationRow {
  _id: { industry: string; month: number };
  verifications: number;
  passed: number;
}

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export async function dashboardFor(models: Models, user: SessionUser, requestedRegion?: string, asOf = new Date()): Promise<DashboardResponse> {
  const prefix = dashboardScope(user, requestedRegion);
  const inRegion = prefix ? { regionCode: new RegExp(`^${prefix}`) } : {};
  const { months, starts } = monthStarts(asOf);
  const { dueFrom, validFrom } = statusBoundaries(asOf);
  const noDueDate = { $eq: [{ $ifNull: ['$current.dueDate', null] }, null] };
  // In use, so the status is one of unverified, failed, overdue, expiring, valid, read from the
  // stored facts as statusFromCurrent does (instrumentStatus.ts): one expression per instrument,
  // in the group key, so that the counts are constant sums.
  const standing = {
    $switch: {
      branches: [
        { case: { $ne: ['$current.result', 'pass'] }, then: 'other' },
        { case: noDueDate, then: 'valid' },
        { case: { $lt: ['$current.dueDate', dueFrom] }, then: 'overdue' },
        { case: { $lt: ['$current.dueDate', validFrom] }, then: 'expiring' },
      ],
      default: 'valid',
    },
  };
  const sumWhere = (condition: unknown) => ({ $sum: { $cond: [condition, '$n', 0] } });

  const businessRows = models.Business.aggregate<{ _id: string; businesses: number }>([
    { $match: { ...inRegion, status: 'active' } },
    { $group: { _id: '$industry', businesses: { $sum: 1 } } },
  ]);
  const instrumentRows = models.Instrument.aggregate<InstrumentRow>([
    { $match: { ...inRegion, status: 'in_use' } },
    { $group: { _id: { business: '$business', standing }, n: { $sum: 1 } } },
    {
      $group: {
        _id: '$_id.business',
        instruments: { $sum: '$n' },
        verified: sumWhere({ $in: ['$_id.standing', ['valid', 'expiring']] }),
        overdue: sumWhere({ $eq: ['$_id.standing', 'overdue'] }),
        expiring: sumWhere({ $eq: ['$_id.standing', 'expiring'] }),
      },
    },
    ...byIndustryOfBusiness('_id', { instruments: { $sum: '$instruments' }, verified: { $sum: '$verified' }, overdue: { $sum: '$overdue' }, expiring: { $sum: '$expiring' } }),
  ]);
  // The region's verifications of the 12 months (index {regionCode, date}; the whole country's:
  // {date}), by business, month and result, then the (few) businesses joined for their industry.
  // A verification without a region (its instrument no longer exists) is nobody's: /^/ for all.
  const verificationRows = models.Verification.aggregate<VerificationRow>([
    { $match: { regionCode: new RegExp(`^${prefix}`), date: { $gte: starts[0], $lt: starts[MONTHS] } } },
    { $group: { _id: { business: '$business', month: monthIndexOf(starts), result: '$result' }, n: { $sum: 1 } } },
    { $group: { _id: { business: '$_id.business', month: '$_id.month' }, verifications: { $sum: '$n' }, passed: sumWhere({ $eq: ['$_id.result', 'pass'] }) } },
    ...byIndustryOfBusiness('_id.business', { verifications: { $sum: '$verifications' }, passed: { $sum: '$passed' } }, { month: '$_id.month' }),
  ]);
  const [businesses, instruments, verifications] = await Promise.all([businessRows, instrumentRows, verificationRows]);

  const rows = new Map<string, DashboardIndustryRow>(
    INDUSTRIES.map((i) => [i.id, { industry: i.id, industryName: i.name, businesses: 0, instruments: 0, verified: 0, verifications: 0, passed: 0, verificationRate: null, passRate: null }]),
  );
  const rowOf = (industry: string) => rows.get(industry);
  for (const b of businesses) {
    const row = rowOf(b._id);
    if (row) row.businesses = b.businesses;
  }
  let overdue = 0;
  let expiring = 0;
  for (const i of instruments) {
    overdue += i.overdue;
    expiring += i.expiring;
    const row = rowOf(i._id.industry);
    if (row) Object.assign(row, { instruments: i.instruments, verified: i.verified });
  }
  const trend = months.map((month) => ({ month, verifications: 0, passed: 0 }));
  for (const v of verifications) {
    trend[v._id.month].verifications += v.verifications;
    trend[v._id.month].passed += v.passed;
    const row = rowOf(v._id.industry);
    if (row) {
      row.verifications += v.verifications;
      row.passed += v.passed;
    }
  }
  const byIndustry = [...rows.values()].map((r) => ({ ...r, verificationRate: rate(r.verified, r.instruments), passRate: rate(r.passed, r.verifications) }));
  const sum = (key: 'businesses' | 'instruments' | 'verified' | 'verifications' | 'passed') => byIndustry.reduce((n, r) => n + r[key], 0);
  const totals = {
    businesses: sum('businesses'),
    instruments: sum('instruments'),
    verified: sum('verified'),
    verifications: sum('verifications'),
    passed: sum('passed'),
    verificationRate: rate(sum('verified'), sum('instruments')),
    passRate: rate(sum('passed'), sum('verifications')),
    overdue,
    expiring,
  };
  return {
    region: prefix ? { code: prefix.padEnd(6, '0'), name: regionName(prefix) ?? prefix } : { code: null, name: '全国' },
    asOf: chinaDateString(asOf),
    totals,
    byIndustry,
    dueSoon: { overdue, expiring },
    trend,
  };
}
