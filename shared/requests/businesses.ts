import { z } from 'zod';
import { creditCodeSchema, industrySchema, regionCodeSchema, Pagination } from '@shared/schemas';
import { textLine } from '@shared/text';

const Contact = z.object({
  name: textLine({ min: 1, max: 40 }),
  phone: z.string().trim().regex(/^[0-9+\- ]{5,20}$/, 'PHONE_FORMAT'),
});

/** [longitude, latitude] in GCJ-02 degrees (GeoJSON order; the datum of China's maps, see models/business.ts). */
const LngLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

export const CreateBusiness = z
  .object({
    /** Unified social credit code; stalls without one leave it out and get a platform id. */
    creditCode: creditCodeSchema.optional(),
    name: textLine({ min: 2, max: 100 }),
    industry: industrySchema,
    /** County-level GB/T 2260 code of the place of business. */
    regionCode: regionCodeSchema,
    address: textLine({ max: 200 }).default(''),
    location: LngLat.optional(),
    contacts: z.array(Contact).max(5).default([]),
  })
  .strict();

export const UpdateBusiness = CreateBusiness.partial().extend({ status: z.enum(['active', 'closed']).optional() }).strict();

export const ListBusinesses = Pagination.extend({
  q: textLine({ max: 50 }).optional(),
  industry: industrySchema.optional(),
  region: z.string().regex(/^\d{2,6}$/).optional(),
  status: z.enum(['active', 'closed']).optional(),
  /** `-createdAt` newest first (default), `createdAt`, `name` / `-name` in pinyin order. */
  sort: z.enum(['-createdAt', 'createdAt', 'name', '-name']).default('-createdAt'),
});
