/**
 * The staff instrument list: filters on stored fields, on the verification status and on the due
 * day, computed by the database (instrumentStatus.ts), one page at a time.
 */
import { Types, type PipelineStage } from 'mongoose';
import type { ListResponse, SessionUser, StaffInstrumentItem } from '@shared/api';
import type { ListInstruments } from '@shared/requests/instruments';
import type { z } from 'zod';
import { byExternalCode, type Models } from '../models';
import { scopedRegionFilter } from '../policies';
import { presentInstrumentListItem } from '../presenters/instrument';
import { LATEST, statusMatch, verificationStatusStages } from './instrumentStatus';

type Query = z.output<typeof ListInstruments>;

const SORTS: Record<Query['sort'], Record<string, 1 | -1>> = {
  '-createdAt': { _id: -1 },
  createdAt: { _id: 1 },
  code: { code: 1 },
  '-code': { code: -1 },
  dueDate: { [`${LATEST}.dueDate`]: 1, _id: 1 },
  '-dueDate': { [`${LATEST}.dueDate`]: -1, _id: -1 },
};

/** The stored-field filter of a list query, inside the caller's region. */
export function instrumentFilter(user: SessionUser, q: Pick<Query, 'business' | 'category' | 'region' | 'lifecycle' | 'code'>): Record<string, unknown> {
  const filter: Record<string, unknown> = scopedRegionFilter(user, q.region);
  // Aggregation stages are not cast by mongoose: the id must be an ObjectId already.
  if (q.business) filter.business = new Types.ObjectId(q.business);
  if (q.category) filter.category = q.category;
  if (q.lifecycle) filter.status = q.lifecycle;
  if (q.code) filter.$or = [{ code: q.code }, byExternalCode(q.code)];
  return filter;
}

/**
 * One page of instruments with their status. Without a status criterion or a due-date order only
 * the page's instruments join their verifications; with one, every candidate does (in the database)
 * and the page is cut after the match.
 */
export async function listStaffInstruments(models: Models, user: SessionUser, q: Query, asOf = new Date()): Promise<ListResponse<StaffInstrumentItem>> {
  const { Instrument } = models;
  const filter = instrumentFilter(user, q);
  const skip = (q.page - 1) * q.pageSize;
  const statusStages = verificationStatusStages(asOf);
  const criteria = statusMatch({ status: q.status, due: q.due }, asOf);
  const sort = { $sort: SORTS[q.sort] } as PipelineStage.Sort;
  // $limit before $skip: the same rows, and a $sort followed by $limit keeps only the top rows.
  const page = [{ $limit: skip + q.pageSize }, { $skip: skip }];

  if (!criteria && !q.sort.endsWith('dueDate')) {
    const [docs, total] = await Promise.all([
      Instrument.aggregate([{ $match: filter }, sort, ...page, ...statusStages]),
      Instrument.countDocuments(filter),
    ]);
    return { items: docs.map(presentInstrumentListItem), total, page: q.page, pageSize: q.pageSize };
  }
  const [result] = await Instrument.aggregate<{ items: any[]; total: Array<{ n: number }> }>([
    { $match: filter },
    ...statusStages,
    ...(criteria ? [criteria] : []),
    sort,
    { $facet: { items: page, total: [{ $count: 'n' }] } },
  ]);
  return { items: result.items.map(presentInstrumentListItem), total: result.total[0]?.n ?? 0, page: q.page, pageSize: q.pageSize };
}
