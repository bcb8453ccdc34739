/**
 * The public side of the business registry: search (by name, credit code or instrument code,
 * filters, nearby) and the business page. Only active businesses exist for the public; what
 * leaves is shaped by presenters/publicBusiness.ts (never contacts or identifiers).
 */
import { Types, type PipelineStage } from 'mongoose';
import type { ListResponse, PublicBusinessDetail, PublicBusinessItem, VerificationStatus } from '@shared/api';
import { isValidCreditCode } from '@shared/creditCode';
import { scopePrefix } from '@shared/regions';
import type { GRADE_FILTERS } from '@shared/requests/publicBusinesses';
import { parseScanQuery } from '@shared/scan';
import { escapeRegExp } from '@shared/text';
import { dueDateFor, verificationStatus } from '@shared/verification';
import { notFound } from '../errors';
import { byExternalCode, type Models } from '../models';
import {
  presentPublicBusinessDetail,
  presentPublicBusinessItem,
  presentPublicInstrument,
  type PublicBusinessFields,
} from '../presenters/publicBusiness';

export interface BusinessSearch {
  q?: string;
  industry?: string;
  region?: string;
  grade?: Array<(typeof GRADE_FILTERS)[number]>;
  /** `[lng, lat]` GCJ-02. */
  near?: [number, number];
  /** Metres; used only with `near`. */
  radius: number;
  page: number;
  pageSize: number;
}

/** The largest number of instruments a business page lists (a fuel depot or a market hall has a few hundred at most). */
export const BUSINESS_PAGE_INSTRUMENT_CAP = 200;

/** The fields a public view reads: never contacts, creditCode or platformId. */
const PUBLIC_FIELDS = { name: 1, industry: 1, regionCode: 1, address: 1, location: 1, grade: 1 } as const;

/** The instruments a business publicly has: in use (suspended and retired ones are not counted). */
const IN_USE = { status: 'in_use' } as const;

const businessNotFound = () => notFound('BUSINESS_NOT_FOUND', '未找到该经营者');


/**
 * What `q` means, as a filter on businesses. Codes are exact and indexed: a credit code, a
 * platform instrument code (→ that instrument's business). Anything else is part of a name (an
 * unanchored, case-insensitive regex: no index can serve it, so it filters what the other
 * filters' index leaves) or a code another system gave an instrument, looked up on its own index.
 */
async function queryFilter(models: Models, q: string): Promise<Record<string, unknown>> {
  const text = q.trim();
  const upper = text.toUpperCase();
  if (isValidCreditCode(upper)) return { creditCode: upper };
  const scan = parseScanQuery(text);
  if (scan.ok && scan.kind === 'platform') {
    const instrument = await models.Instrument.findOne({ code: scan.code }, { business: 1 }).lean();
    return { _id: instrument ? instrument.business : { $in: [] } };
  }
  const byName = { name: { $regex: escapeRegExp(text), $options: 'i' } };
  if (!scan.ok) return byName;
  const external = await models.Instrument.findOne(byExternalCode(scan.value), { business: 1 }).lean();
  return external ? { $or: [{ _id: external.business }, byName] } : byName;
}

async function searchFilter(models: Models, s: BusinessSearch): Promise<Record<string, unknown>> {
  const filter: Record<string, unknown> = { status: 'active' };
  if (s.industry) filter.industry = s.industry;
  if (s.region) {
    const prefix = scopePrefix(s.region) ?? s.region;
    filter.regionCode = prefix.length === 6 ? prefix : { $regex: `^${prefix}` };
  }
  if (s.grade) {
    // No grade yet (null or missing) is shown as 暂无评级, the same as `pending`.
    filter.grade = { $in: s.grade.includes('pending') ? [...s.grade, null] : s.grade };
  }
  if (s.q) Object.assign(filter, await queryFilter(models, s.q));
  return filter;
}

/** The in-use instrument count of each listed business, joined on the instruments' `business` index. */
const INSTRUMENT_COUNT: PipelineStage.Lookup = {
  $lookup: { from: 'instruments', localField: '_id', foreignField: 'business', pipeline: [{ $match: IN_USE }, { $count: 'n' }], as: 'instrumentCount' },
};

type Row = PublicBusinessFields & { instrumentCount: Array<{ n: number }> };

const pageStages = (page: number, pageSize: number): PipelineStage.FacetPipelineStage[] => [
  { $skip: (page - 1) * pageSize },
  { $limit: pageSize },
  INSTRUMENT_COUNT,
  { $project: { ...PUBLIC_FIELDS, distance: 1, instrumentCount: 1 } },
];

const presentRow = (row: Row) => presentPublicBusinessItem(row, row.instrumentCount[0]?.n ?? 0);

/**
 * One page of the public search. Without `near`: in registration order, total by countDocuments
 * with the same filter. With `near`: `$geoNear` first (2dsphere index on `location`, great-circle
 * metres, at most `radius`), the other filters in its `query`, nearest first; the page and the
 * total come from one `$facet` over the same stream, so the total is what paging through yields.
 * A business without a location is not in the 2dsphere index and so never in a nearby result.
 */
export async function searchPublicBusinesses(models: Models, s: BusinessSearch): Promise<ListResponse<PublicBusinessItem>> {
  const { Business } = models;
  const filter = await searchFilter(models, s);
  if (s.near) {
    const [result] = await Business.aggregate<{ items: Row[]; total: Array<{ n: number }> }>([
      {
        $geoNear: {
          near: { type: 'Point', coordinates: s.near },
          key: 'location',
          spherical: true,
          maxDistance: s.radius,
          distanceField: 'distance',
          query: filter,
        },
      },
      // Only what a page shows travels on (the sort below holds every business within the radius).
      { $project: { ...PUBLIC_FIELDS, distance: 1 } },
      // Equal distances (stalls of one market hall share a point) in a fixed order, so pages never overlap.
      { $facet: { items: [{ $sort: { distance: 1, _id: 1 } }, ...pageStages(s.page, s.pageSize)], total: [{ $count: 'n' }] } },
    ]);
    return { items: result.items.map(presentRow), total: result.total[0]?.n ?? 0, page: s.page, pageSize: s.pageSize };
  }
  const [rows, total] = await Promise.all([
    Business.aggregate<Row>([{ $match: filter }, { $sort: { _id: 1 } }, ...(pageStages(s.page, s.pageSize) as PipelineStage[])]),
    Business.countDocuments(filter),
  ]);
  return { items: rows.map(presentRow), total, page: s.page, pageSize: s.pageSize };
}

interface LatestVerification {
  _id: Types.ObjectId;
  date: Date;
  result: 'pass' | 'fail';
  dueDate?: Date | null;
}

/** The last day a passed verification is valid: the certificate's date, else the category's cycle. Null after a failure. */
function currentDueDate(category: string, latest: LatestVerification | undefined): Date | null {
  if (!latest || latest.result !== 'pass') return null;
  return latest.dueDate ?? dueDateFor(category, latest.date);
}

/** Complaints about the business (index `business_1__id_-1`), and how many were resolved. */
async function complaintStats(models: Models, business: Types.ObjectId): Promise<PublicBusinessDetail['complaintStats']> {
  const [total, resolved] = await Promise.all([
    models.Complaint.countDocuments({ business }),
    models.Complaint.countDocuments({ business, status: 'resolved' }),
  ]);
  return { total, resolved };
}

/**
 * The public business page: the business, its in-use and suspended instruments (at most
 * BUSINESS_PAGE_INSTRUMENT_CAP, by code) each with the status a scan shows, and complaint counts.
 * Unknown and closed businesses are not found.
 */
export async function publicBusinessDetail(models: Models, id: string, asOf = new Date()): Promise<PublicBusinessDetail> {
  const _id = new Types.ObjectId(id);
  const business = await models.Business.findOne({ _id, status: 'active' }, PUBLIC_FIELDS).lean<PublicBusinessFields>();
  if (!business) throw businessNotFound();
  const [instruments, inUse, complaints] = await Promise.all([
    models.Instrument.find({ business: _id, status: { $in: ['in_use', 'suspended'] } }, { code: 1, category: 1, installLocation: 1, likes: 1, status: 1 })
      .sort({ code: 1 })
      .limit(BUSINESS_PAGE_INSTRUMENT_CAP)
      .lean(),
    models.Instrument.countDocuments({ business: _id, ...IN_USE }),
    complaintStats(models, _id),
  ]);
  const latest = await models.Verification.aggregate<{ _id: Types.ObjectId; latest: LatestVerification }>([
    { $match: { instrument: { $in: instruments.map((i) => i._id) } } },
    { $sort: { instrument: 1, date: -1, _id: -1 } },
    { $group: { _id: '$instrument', latest: { $first: { _id: '$_id', date: '$date', result: '$result', dueDate: '$dueDate' } } } },
  ]);
  const latestOf = new Map(latest.map((v) => [String(v._id), v.latest]));
  const items = instruments.map((i) => {
    const last = latestOf.get(String(i._id));
    const status: VerificationStatus = verificationStatus(i, last ? [last] : [], asOf);
    return presentPublicInstrument(i, status, currentDueDate(i.category, last));
  });
  return presentPublicBusinessDetail(business, items, inUse, complaints);
}
