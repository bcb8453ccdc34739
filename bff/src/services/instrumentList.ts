/**
 * The staff instrument list: filters on stored fields, the verification status and the due day
 * included (the instrument's stored facts, instrumentStatus.ts), one page at a time.
 */
import { Types, type PipelineStage } from 'mongoose';
import type { ListResponse, SessionUser, StaffInstrumentItem } from '@shared/api';
import type { LabelSheetQuery, ListInstruments } from '@shared/requests/instruments';
import type { z } from 'zod';
import { byExternalCode, type Models } from '../models';
import { scopedRegionFilter } from '../policies';
import { presentInstrumentListItem } from '../presenters/instrument';
import { DUE, statusMatch, verificationStatusStages } from './instrumentStatus';

type Query = z.output<typeof ListInstruments>;

const SORTS: Record<Query['sort'], Record<string, 1 | -1>> = {
  '-createdAt': { _id: -1 },
  createdAt: { _id: 1 },
  code: { code: 1 },
  '-code': { code: -1 },
  dueDate: { [DUE]: 1, _id: 1 },
  '-dueDate': { [DUE]: -1, _id: -1 },
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
 * The instruments a label sheet holds: the list's filters (the same stored-field and status
 * filters, so the list's total for a filter is the sheet's count), or chosen ids, inside the
 * caller's region; a retired instrument never gets a label.
 */
export function labelSheetFilter(user: SessionUser, q: z.output<typeof LabelSheetQuery>, asOf = new Date()): Record<string, unknown> {
  const stored = instrumentFilter(user, q);
  if (!q.lifecycle) stored.status = { $ne: 'retired' };
  if (q.ids) stored._id = { $in: q.ids.map((id) => new Types.ObjectId(id)) };
  const criteria = statusMatch({ status: q.status, due: q.due }, asOf);
  return criteria ? { $and: [stored, criteria] } : stored;
}

/** One page of instruments with their status: a query on indexed fields, a sort, and a count. */
export async function listStaffInstruments(models: Models, user: SessionUser, q: Query, asOf = new Date()): Promise<ListResponse<StaffInstrumentItem>> {
  const { Instrument } = models;
  const stored = instrumentFilter(user, q);
  const criteria = statusMatch({ status: q.status, due: q.due }, asOf);
  const filter = criteria ? { $and: [stored, criteria] } : stored;
  const skip = (q.page - 1) * q.pageSize;
  // $limit before $skip: the same rows, and a $sort followed by $limit keeps only the top rows.
  const [docs, total] = await Promise.all([
    Instrument.aggregate([{ $match: filter }, { $sort: SORTS[q.sort] } as PipelineStage.Sort, { $limit: skip + q.pageSize }, { $skip: skip }, ...verificationStatusStages(asOf)]),
    Instrument.countDocuments(filter),
  ]);
  return { items: docs.map(presentInstrumentListItem), total, page: q.page, pageSize: q.pageSize };
}

/** One instrument as a list row shows it (its verification status as of `asOf` included): the detail drawer's view. */
export async function staffInstrumentItem(models: Models, id: Types.ObjectId, asOf = new Date()): Promise<StaffInstrumentItem> {
  const [doc] = await models.Instrument.aggregate([{ $match: { _id: id } }, ...verificationStatusStages(asOf)]);
  return presentInstrumentListItem(doc);
}
