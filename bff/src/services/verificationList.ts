/**
 * What verifiers posted, as staff list it: verifications of the instruments inside the caller's
 * region. Verifications carry no region, so the query starts from the instruments (index
 * `{ regionCode, category }`) and joins each one's verifications (index `{ instrument, date }`),
 * narrowed by date and result inside the join. Only the page's businesses are read afterwards.
 */
import { Types, type PipelineStage } from 'mongoose';
import type { AdminVerificationItem, ListResponse, SessionUser } from '@shared/api';
import type { ListVerifications } from '@shared/requests/adminVerifications';
import type { z } from 'zod';
import { byExternalCode, type Models } from '../models';
import { scopedRegionFilter } from '../policies';
import { presentAdminVerification, type JoinedVerification } from '../presenters/verification';

type Query = z.output<typeof ListVerifications>;

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** 00:00 China time of a `YYYY-MM-DD` day, and of the day after. */
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);
const dayAfter = (day: string) => new Date(dayStart(day).getTime() + 86_400_000);

export async function listVerifications(models: Models, user: SessionUser, q: Query): Promise<ListResponse<AdminVerificationItem>> {
  const instruments: Record<string, unknown> = scopedRegionFilter(user, q.region);
  if (q.instrumentId) instruments._id = new Types.ObjectId(q.instrumentId);
  if (q.business) instruments.business = new Types.ObjectId(q.business);
  if (q.instrument) instruments.$or = [{ code: q.instrument }, byExternalCode(q.instrument)];

  const verifications: Record<string, unknown> = {};
  if (q.result) verifications.result = q.result;
  if (q.institution) verifications.institution = new RegExp(literal(q.institution), 'i');
  if (q.from || q.to) verifications.date = { ...(q.from ? { $gte: dayStart(q.from) } : {}), ...(q.to ? { $lt: dayAfter(q.to) } : {}) };

  const pipeline: PipelineStage[] = [
    { $match: instruments },
    { $project: { code: 1, category: 1, business: 1, regionCode: 1 } },
    { $lookup: { from: 'verifications', localField: '_id', foreignField: 'instrument', pipeline: [{ $match: verifications }, { $project: { amendments: 0 } }], as: 'v' } },
    { $unwind: '$v' },
    { $sort: { 'v.date': -1, 'v._id': -1 } },
    { $facet: { items: [{ $skip: (q.page - 1) * q.pageSize }, { $limit: q.pageSize }], total: [{ $count: 'n' }] } },
  ];
  const [result] = await models.Instrument.aggregate<{ items: JoinedVerification[]; total: Array<{ n: number }> }>(pipeline);
  const businessIds = [...new Set(result.items.map((i) => String(i.business)))];
  const names = new Map((await models.Business.find({ _id: { $in: businessIds } }, { name: 1 }).lean()).map((b) => [String(b._id), b.name]));
  return {
    items: result.items.map((i) => presentAdminVerification(i, names.get(String(i.business)) ?? '')),
    total: result.total[0]?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}
