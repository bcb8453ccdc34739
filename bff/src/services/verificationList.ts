/**
 * What verifiers posted, as staff list it: verifications inside the caller's region, newest first
 * (date, then the later posted). Each verification carries its instrument's region and business
 * (models/verification.ts), so the query starts from the verifications: the region prefix and the
 * filters on the indexes `{ regionCode, date, _id }` / `{ date, _id }` / `{ business, date, _id }`
 * / `{ instrument, date }`, a page of them (skip/limit) and their count. Only the page's
 * instruments and businesses are read afterwards.
 */
import { Types } from 'mongoose';
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

/** Newest first; on the same date the later posted (larger `_id`) first. */
const NEWEST_FIRST = { date: -1, _id: -1 } as const;

/** The instruments a code names (platform code, or an external code). */
async function instrumentsCoded(models: Models, code: string): Promise<Types.ObjectId[]> {
  const found = await models.Instrument.find({ $or: [{ code }, byExternalCode(code)] }, { _id: 1 }).lean();
  return found.map((i) => i._id);
}

export async function listVerifications(models: Models, user: SessionUser, q: Query): Promise<ListResponse<AdminVerificationItem>> {
  // A verification without a region (its instrument no longer exists) is nobody's: /^/ keeps it out
  // of an admin's list too, as a range of the region index.
  const scope = scopedRegionFilter(user, q.region);
  const filter: Record<string, unknown> = Object.keys(scope).length ? { ...scope } : { regionCode: /^/ };
  if (q.instrument) {
    let ids = await instrumentsCoded(models, q.instrument);
    if (q.instrumentId) ids = ids.filter((id) => String(id) === q.instrumentId);
    filter.instrument = { $in: ids };
  } else if (q.instrumentId) {
    filter.instrument = new Types.ObjectId(q.instrumentId);
  }
  if (q.business) filter.business = new Types.ObjectId(q.business);
  if (q.result) filter.result = q.result;
  if (q.institution) filter.institution = new RegExp(literal(q.institution), 'i');
  if (q.from || q.to) filter.date = { ...(q.from ? { $gte: dayStart(q.from) } : {}), ...(q.to ? { $lt: dayAfter(q.to) } : {}) };

  const [page, total] = await Promise.all([
    models.Verification.find(filter, { amendments: 0 })
      .sort(NEWEST_FIRST)
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean<Array<JoinedVerification['v'] & { instrument: Types.ObjectId; business?: Types.ObjectId; regionCode?: string }>>(),
    models.Verification.countDocuments(filter),
  ]);
  const instrumentIds = [...new Map(page.map((v) => [String(v.instrument), v.instrument])).values()];
  const instruments = new Map(
    (await models.Instrument.find({ _id: { $in: instrumentIds } }, { code: 1, category: 1, business: 1, regionCode: 1 }).lean()).map((i) => [String(i._id), i]),
  );
  const rows: JoinedVerification[] = page.map((v) => {
    const i = instruments.get(String(v.instrument));
    return { _id: v.instrument, code: i?.code ?? '', category: i?.category ?? '', business: i?.business ?? v.business, regionCode: i?.regionCode ?? v.regionCode ?? '', v };
  });
  const businessIds = [...new Set(rows.map((r) => String(r.business)))];
  const names = new Map((await models.Business.find({ _id: { $in: businessIds } }, { name: 1 }).lean()).map((b) => [String(b._id), b.name]));
  return {
    items: rows.map((r) => presentAdminVerification(r, names.get(String(r.business)) ?? '')),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}
