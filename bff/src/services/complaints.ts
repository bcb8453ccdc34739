/**
 * Complaints from the public: filing one about an instrument or a business (with the caller's own
 * photos), and the complainant's own view of theirs. Handling by regulators comes later; the
 * business's region is stored now so their queues can be scoped by it.
 */
import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import type { ComplaintCreated, ComplaintView, ListResponse, SessionUser } from '@shared/api';
import { chinaCalendarDay } from '@shared/chinaDate';
import type { CreateComplaint } from '@shared/requests/complaints';
import type { z } from 'zod';
import { conflict, notFound } from '../errors';
import type { Models } from '../models';
import { presentComplaint, type ComplaintFields } from '../presenters/complaint';
import { businessNames, newestFirst, type PageRequest } from './ownLists';
import { attachPhotos, photoInvalid, unusablePhotos } from './photos';

type NewComplaint = z.output<typeof CreateComplaint>;

interface Target {
  business: { _id: Types.ObjectId; regionCode: string };
  instrument?: { _id: Types.ObjectId; code: string; category: string };
}

/** What the complaint is about: the instrument's business, or an open business named by id. */
async function complaintTarget(models: Models, body: NewComplaint): Promise<Target> {
  if (body.instrumentCode) {
    const instrument = await models.Instrument.findOne({ code: body.instrumentCode }, { code: 1, category: 1, business: 1 }).lean<{ _id: Types.ObjectId; code: string; category: string; business: Types.ObjectId }>();
    const business = instrument && (await models.Business.findById(instrument.business, { regionCode: 1 }).lean<Target['business']>());
    if (!instrument || !business) throw notFound('INSTRUMENT_NOT_FOUND', '未找到该计量器具');
    return { business, instrument };
  }
  const business = await models.Business.findOne({ _id: body.businessId, status: 'active' }, { regionCode: 1 }).lean<Target['business']>();
  if (!business) throw notFound('BUSINESS_NOT_FOUND', '未找到该经营者');
  return { business };
}

/** `TS` + the China day `YYYYMMDD` + 6 random digits (TRACKING_NO_PATTERN). */
export function newTrackingNo(now: Date, digits: () => number = () => randomInt(0, 1_000_000)): string {
  return `TS${chinaCalendarDay(now)!.replace(/-/g, '')}${String(digits()).padStart(6, '0')}`;
}

const TRACKING_NO_ATTEMPTS = 8;
const isTrackingNoTaken = (err: unknown) => {
  const e = err as { code?: number; keyPattern?: Record<string, unknown> };
  return e?.code === 11000 && Boolean(e.keyPattern && 'trackingNo' in e.keyPattern);
};

/**
 * Files a complaint: status `submitted` with its first history entry, and the photos attached in
 * the same transaction, so a photo belongs to one complaint at most. A tracking number that is
 * already taken (one in a million a day) is drawn again.
 */
export async function fileComplaint(
  models: Models,
  user: SessionUser,
  body: NewComplaint,
  now = new Date(),
  digits?: () => number,
): Promise<ComplaintCreated> {
  const target = await complaintTarget(models, body);
  const photos = [...new Set(body.photos.map((p) => p.toLowerCase()))];
  const unusable = await unusablePhotos(models.Complaint.db, user.id, photos);
  if (unusable.length) throw photoInvalid(unusable);
  for (let attempt = 0; attempt < TRACKING_NO_ATTEMPTS; attempt += 1) {
    const id = new Types.ObjectId();
    const trackingNo = newTrackingNo(now, digits);
    try {
      await models.Complaint.db.transaction(async (session) => {
        await models.Complaint.create(
          [
            {
              _id: id,
              trackingNo,
              user: user.id,
              business: target.business._id,
              regionCode: target.business.regionCode,
              instrument: target.instrument?._id,
              instrumentCode: target.instrument?.code,
              instrumentCategory: target.instrument?.category,
              category: body.category,
              content: body.content,
              contact: body.contact || undefined,
              photos,
              status: 'submitted',
              history: [{ status: 'submitted', at: now }],
            },
          ],
          { session },
        );
        await attachPhotos(models.Complaint.db, user.id, photos, id, session);
      });
      return { id: String(id), trackingNo };
    } catch (err) {
      if (!isTrackingNoTaken(err)) throw err;
    }
  }
  throw conflict('TRACKING_NO_EXHAUSTED', '暂时无法生成投诉编号，请稍后再试');
}

async function withBusinessNames(models: Models, complaints: ComplaintFields[]): Promise<ComplaintView[]> {
  const names = await businessNames(models, complaints.map((c) => c.business));
  return complaints.map((c) => presentComplaint(c, names.get(String(c.business))));
}

/** The caller's complaints, newest first. */
export async function listMyComplaints(models: Models, user: SessionUser, pageRequest: PageRequest): Promise<ListResponse<ComplaintView>> {
  const { docs, total } = await newestFirst<ComplaintFields>(models.Complaint, { user: user.id }, pageRequest);
  return { items: await withBusinessNames(models, docs), total, ...pageRequest };
}

/** One complaint by tracking number, for its complainant only: for anyone else it does not exist. */
export async function loadOwnComplaint(models: Models, user: SessionUser, trackingNo: string): Promise<ComplaintView> {
  const found = await models.Complaint.findOne({ trackingNo, user: user.id }).lean<ComplaintFields>();
  if (!found) throw notFound('COMPLAINT_NOT_FOUND', '未找到该投诉');
  const [view] = await withBusinessNames(models, [found]);
  return view;
}
