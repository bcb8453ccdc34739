import { z } from 'zod';
import { COMPLAINT_CATEGORY_IDS, COMPLAINT_LIMITS, TRACKING_NO_PATTERN } from '@shared/complaints';
import { Pagination, instrumentCodeSchema, objectIdSchema } from '@shared/schemas';
import { textBlock, textLine } from '@shared/text';

/**
 * `POST /api/v1/complaints`. About one instrument (by its platform code, from the page the
 * complainant scanned) or about a business as a whole; photos are ids the same user uploaded
 * first with `POST /api/v1/complaints/photos`.
 */
export const CreateComplaint = z
  .object({
    instrumentCode: instrumentCodeSchema.optional(),
    businessId: objectIdSchema.optional(),
    category: z.enum(COMPLAINT_CATEGORY_IDS, { message: 'COMPLAINT_CATEGORY_REQUIRED' }),
    /** What happened, in the complainant's words. */
    content: textBlock({ min: COMPLAINT_LIMITS.contentMin, max: COMPLAINT_LIMITS.contentMax }),
    /** Optional phone or WeChat id for the regulator to call back; never shown to anyone else. */
    contact: textLine({ max: COMPLAINT_LIMITS.contactMax }).optional(),
    photos: z.array(objectIdSchema).max(COMPLAINT_LIMITS.photos).default([]),
  })
  .strict()
  .refine((c) => (c.instrumentCode === undefined) !== (c.businessId === undefined), {
    message: 'COMPLAINT_TARGET_REQUIRED',
    path: ['instrumentCode'],
  });

export type CreateComplaintBody = z.input<typeof CreateComplaint>;

export const TrackingNoParams = z.object({ trackingNo: z.string().regex(TRACKING_NO_PATTERN, 'TRACKING_NO_FORMAT') });

export const PhotoParams = z.object({ id: objectIdSchema });

export const MyComplaintsQuery = Pagination;
