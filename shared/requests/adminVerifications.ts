import { z } from 'zod';
import { objectIdSchema, Pagination, verificationResultSchema } from '@shared/schemas';
import { textLine } from '@shared/text';

/** `YYYY-MM-DD`, a China calendar day. */
const Day = z.iso.date().describe('China calendar day YYYY-MM-DD');

/** `GET /api/v1/admin/verifications`: what verifiers posted, newest first, inside the caller's region. */
export const ListVerifications = Pagination.extend({
  /** Part of the institution's name. */
  institution: textLine({ max: 100 }).optional(),
  result: verificationResultSchema.optional(),
  /** Verification dates from this China day … */
  from: Day.optional(),
  /** … through this one (inclusive). */
  to: Day.optional(),
  /** The instrument's platform code or one of its external codes, exact. */
  instrument: z.string().trim().min(1).max(64).optional(),
  /** The instrument by id (a detail drawer's history). */
  instrumentId: objectIdSchema.optional(),
  business: objectIdSchema.optional(),
  /** A region prefix (2–6 digits) inside the caller's region. */
  region: z.string().regex(/^\d{2,6}$/, 'REGION_PREFIX_FORMAT').optional(),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'DATE_RANGE_REVERSED', path: ['to'] });
