import { z } from 'zod';
import { Pagination, industrySchema, objectIdSchema } from '@shared/schemas';
import { textLine } from '@shared/text';

export const GRADE_FILTERS = ['A', 'B', 'C', 'D', 'pending'] as const;

/** `near=lng,lat`: GCJ-02 degrees, the datum of WeChat's map and `getLocation({ type: 'gcj02' })`. */
const NearPoint = z
  .string()
  .regex(/^-?\d{1,3}(\.\d+)?,-?\d{1,2}(\.\d+)?$/, 'NEAR_FORMAT')
  .transform((s) => s.split(',').map(Number) as [number, number])
  .refine(([lng, lat]) => Math.abs(lng) <= 180 && Math.abs(lat) <= 90, 'NEAR_OUT_OF_RANGE');

/**
 * `GET /api/v1/businesses`: the public search. `q` matches a business name (part of it), a credit
 * code or an instrument code (platform or external) exactly; `region` is a GB/T 2260 prefix
 * (37, 3701, 370102); `grade` a comma list (A,B); `near` sorts by distance within `radius` metres
 * and adds `distance` to each item.
 */
export const SearchBusinesses = Pagination.extend({
  q: textLine({ max: 50 }).optional(),
  industry: industrySchema.optional(),
  region: z.string().regex(/^\d{2,6}$/, 'REGION_PREFIX_FORMAT').optional(),
  grade: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(GRADE_FILTERS)).min(1).max(GRADE_FILTERS.length))
    .optional(),
  near: NearPoint.optional(),
  radius: z.coerce.number().int().min(100).max(50_000).default(5_000),
});

export const BusinessIdParams = z.object({ id: objectIdSchema });
