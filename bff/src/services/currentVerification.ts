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
 */
import type { Types } from 'mongoose';
import { effectiveDueDate } from '@shared/verification';
import type { Models } from '../models';

const BATCH = 500;

interface LatestRow {
  _id: Types.ObjectId;
  v: { _id: Types.ObjectId; date: Date; result: 'pass' | 'fail'; dueDate?: Date | null; institution?: string; certificateNo?: string };
}

/** Recomputes `current` for these instruments (duplicates and unknown ids are fine). */
export async function refreshCurrentVerifications(models: Models, instrumentIds: Types.ObjectId[]): Promise<void> {
  const unique = [...new Map(instrumentIds.map((id) => [String(id), id])).values()];
  for (let i = 0; i < unique.length; i += BATCH) {
    const ids = unique.slice(i, i + BATCH);
    await models.Instrument.db.transaction(async (session) => {
      const instruments = await models.Instrument.find({ _id: { $in: ids } }, { category: 1 }).session(session).lean();
      if (!instruments.length) return;
      const latest = await models.Verification.aggregate<LatestRow>([
        { $match: { instrument: { $in: instruments.map((x) => x._id) } } },
        { $sort: { instrument: 1, date: -1, _id: -1 } },
        {
          $group: {
            _id: '$instrument',
            v: { $first: { _id: '$_id', date: '$date', result: '$result', dueDate: '$dueDate', institution: '$institution', certificateNo: '$certificateNo' } },
          },
        },
      ]).session(session);
      const byInstrument = new Map(latest.map((row) => [String(row._id), row.v]));
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
