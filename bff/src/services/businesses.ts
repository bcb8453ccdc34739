/**
 * The registry's rules for businesses that go beyond one document: finding one the caller may
 * see, changing its region (its instruments and their verifications move with it, in one
 * transaction), and deleting it
 * (only while it has no instruments).
 */
import type { SessionUser } from '@shared/api';
import type { UpdateBusiness } from '@shared/requests/businesses';
import type { z } from 'zod';
import { conflict } from '../errors';
import { locationAt, type Models } from '../models';
import { assertMayCreateIn, assertVisible } from '../policies';
import type { BusinessAdminFields } from '../presenters/business';

/** The business, when it exists and lies in the caller's region; else 404 (never 403: no probing). */
export async function loadVisibleBusiness(models: Models, user: SessionUser, id: string): Promise<BusinessAdminFields> {
  const found = await models.Business.findById(id).lean<BusinessAdminFields>();
  return assertVisible(user, found, 'BUSINESS_NOT_FOUND', '未找到该经营者');
}

/**
 * Applies a regulator's changes. A new region must be one the caller may register in, and the
 * business's instruments and their verifications take it in the same transaction, so none is
 * ever left in the old region (where the old district would still see it) while the business has
 * moved.
 */
export async function updateBusiness(models: Models, user: SessionUser, id: string, changes: z.infer<typeof UpdateBusiness>): Promise<BusinessAdminFields> {
  await loadVisibleBusiness(models, user, id);
  if (changes.regionCode) assertMayCreateIn(user, changes.regionCode);
  const { location, ...rest } = changes;
  const set = { ...rest, ...(location ? { location: locationAt(location) } : {}) };
  if (!changes.regionCode) {
    return (await models.Business.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after', runValidators: true }).lean<BusinessAdminFields>())!;
  }
  const regionCode = changes.regionCode;
  return models.Business.db.transaction(async (session) => {
    const updated = await models.Business.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after', runValidators: true, session }).lean<BusinessAdminFields>();
    await models.Instrument.updateMany({ business: id }, { $set: { regionCode } }, { session });
    // The verifications' copies of the region (models/verification.ts); not a change of the certificate.
    await models.Verification.updateMany({ business: id }, { $set: { regionCode } }, { session, timestamps: false });
    return updated!;
  });
}

/** Deletes a business without instruments; one with instruments is closed instead (409). */
export async function deleteBusiness(models: Models, user: SessionUser, id: string): Promise<void> {
  await loadVisibleBusiness(models, user, id);
  if (await models.Instrument.exists({ business: id })) {
    throw conflict('BUSINESS_HAS_INSTRUMENTS', '该经营者名下还有计量器具，请先处理器具或将其标记为停业');
  }
  await models.Business.deleteOne({ _id: id });
}
