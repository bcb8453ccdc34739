/**
 * Keeps `Instrument.current` (models/instrument.ts) equal to the instrument's latest verification:
 * the order verificationStatus uses (latest date; on the same date the later posted, larger `_id`)
 * and the effective due date (shared/verification.ts `effectiveDueDate`).
 *
 * The facts are recomputed from the verifications collection, never patched incrementally, so a
 * new result, an amendment that moves a date back, and an idempotent re-post all end the same
 * way. Each batch recomputes inside a transaction: the read of the verifications and the write
 * of the instruments share one snapshot, and two writers racing on one instrument meet a
 * WriteConflict, whose retry reads the other's verification, so the last commit is never stale.
 *
 * The same transaction keeps each verification's copies of its instrument's `business` and
 * `regionCode` (models/verification.ts): the ones that differ, or are missing, are set.
 */
import type { Types } from 'mongoose';
import { effectiveDueDate } from '@shared/verification';
import type { Models } from '../models';

const BATCH = 500;

interface LatestRow {
  _id: Types.ObjectId;
  /** The distinct copies the instrument's verifications hold (null: missing). */
  regions: Array<string | null>;
  businesses: Array<Types.ObjectId | null>;
  v: { _id: Types.ObjectId; date: Date; result: 'pass' | 'fail'; dueDate?: Date | null; institution?: string; certificateNo?: string };
}

/** Recomputes `current` for these instruments (duplicates and unknown ids are fine). */
export async function refreshCurrentVerifications(models: Models, instrumentIds: Types.ObjectId[]): Promise<void> {
  const unique = [...new Map(instrumentIds.map((id) => [String(id), id])).values()];
  for (let i = 0; i < unique.length; i += BATCH) {
    const ids = unique.slice(i, i + BATCH);
    await models.Instrument.db.transaction(async (session) => {
      const instruments = await models.Instrument.find({ _id: { $in: ids } }, { category: 1, business: 1, regionCode: 1 }).session(session).lean();
      if (!instruments.length) return;
      const latest = await models.Verification.aggregate<LatestRow>([
        { $match: { instrument: { $in: instruments.map((x) => x._id) } } },
        { $sort: { instrument: 1, date: -1, _id: -1 } },
        {
          $group: {
            _id: '$instrument',
            v: { $first: { _id: '$_id', date: '$date', result: '$result', dueDate: '$dueDate', institution: '$institution', certificateNo: '$certificateNo' } },
            regions: { $addToSet: { $ifNull: ['$regionCode', null] } },
            businesses: { $addToSet: { $ifNull: ['$business', null] } },
          },
        },
      ]).session(session);
      const byInstrument = new Map(latest.map((row) => [String(row._id), row.v]));
      const copies = new Map(latest.map((row) => [String(row._id), row]));
      const stale = instruments.filter((x) => {
        const row = copies.get(String(x._id));
        if (!row) return false;
        const sameRegion = row.regions.length === 1 && row.regions[0] === x.regionCode;
        const sameBusiness = row.businesses.length === 1 && String(row.businesses[0]) === String(x.business);
        return !sameRegion || !sameBusiness;
      });
      if (stale.length) {
        await models.Verification.bulkWrite(
          stale.map((x) => ({
            updateMany: { filter: { instrument: x._id }, update: { $set: { business: x.business, regionCode: x.regionCode } }, timestamps: false },
          })),
          { session, ordered: true },
        );
      }
      await models.Instrument.bulkWrite(
        instruments.map((x) => {
          const v = byInstrument.get(String(x._id));
          const current = v
            ? { verificationId: v._id, date: v.date, result: v.result, dueDate: effectiveDueDate(x.category, v), institution: v.institution, certificateNo: v.certificateNo }
            : null;
          return { updateOne: { filter: { _id: x._id }, update: { $set: { current } }, timestamps: false } };
        }),
        { session, ordered: true },
      );
    });
  }
}

/**
 * Start-up migration: instruments written by a version that did not store `current` get it,
 * in batches by `_id`. Idempotent; a database where every instrument has it costs one query.
 */
export async function fillMissingCurrent(models: Models): Promise<number> {
  let filled = 0;
  let after: Types.ObjectId | undefined;
  for (;;) {
    const filter: Record<string, unknown> = { current: { $exists: false } };
    if (after) filter._id = { $gt: after };
    const batch = await models.Instrument.find(filter, { _id: 1 }).sort({ _id: 1 }).limit(BATCH).lean();
    if (!batch.length) return filled;
    await refreshCurrentVerifications(models, batch.map((x) => x._id));
    filled += batch.length;
    after = batch[batch.length - 1]._id;
  }
}

/**
 * Start-up migration: verifications written by a version that did not copy their instrument's
 * `business` and `regionCode` get them, in batches by `_id` (their instruments are refreshed,
 * which sets the copies on all of their verifications). Idempotent; runs at ensureIndexes,
 * before the server listens. Verifications of an instrument that no longer exists stay without.
 */
export async function fillVerificationScope(models: Models): Promise<number> {
  let instruments = 0;
  let after: Types.ObjectId | undefined;
  for (;;) {
    const filter: Record<string, unknown> = { regionCode: { $exists: false } };
    if (after) filter._id = { $gt: after };
    const batch = await models.Verification.find(filter, { instrument: 1 }).sort({ _id: 1 }).limit(BATCH).lean();
    if (!batch.length) return instruments;
    const ids = [...new Map(batch.map((v) => [String(v.instrument), v.instrument])).values()];
    await refreshCurrentVerifications(models, ids);
    instruments += ids.length;
    after = batch[batch.length - 1]._id;
  }
}
