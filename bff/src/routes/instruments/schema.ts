import { z } from 'zod';
import { categorySchema, instrumentCodeSchema } from '@shared/schemas';
import { Pagination } from '../common';

/** Codes other systems gave the instrument (a province's code, a GB/T 36377 code, a maker's serial). */
const ExternalCode = z.string().trim().min(1).max(64).regex(/^[^\u0000-\u001f\u007f]+$/, 'EXTERNAL_CODE_FORMAT');

export const CreateInstrument = z
  .object({
    businessId: z.string().regex(/^[0-9a-f]{24}$/i, 'OBJECT_ID'),
    category: categorySchema,
    /** Leave out to have the platform issue the next code for the business's region and category. */
    code: instrumentCodeSchema.optional(),
    externalCodes: z.array(ExternalCode).max(10).default([]),
    model: z.string().trim().max(100).default(''),
    serial: z.string().trim().max(100).default(''),
    manufacturer: z.string().trim().max(100).default(''),
    installLocation: z.string().trim().max(200).default(''),
  })
  .strict();

export const UpdateInstrument = z
  .object({
    externalCodes: z.array(ExternalCode).max(10),
    model: z.string().trim().max(100),
    serial: z.string().trim().max(100),
    manufacturer: z.string().trim().max(100),
    installLocation: z.string().trim().max(200),
    status: z.enum(['in_use', 'suspended', 'retired']),
  })
  .partial()
  .strict();

export const ListInstruments = Pagination.extend({
  business: z.string().regex(/^[0-9a-f]{24}$/i, 'OBJECT_ID').optional(),
  category: categorySchema.optional(),
  region: z.string().regex(/^\d{2,6}$/).optional(),
  status: z.enum(['in_use', 'suspended', 'retired']).optional(),
  /** A platform code or an external code, exact. */
  code: z.string().trim().max(64).optional(),
});

export const ImportQuery = z.object({
  /** `1`: import the good rows and report the bad ones; otherwise a file with errors imports nothing. */
  partial: z.enum(['0', '1']).default('0'),
});

export const LabelParams = z.object({
  id: z.string().regex(/^[0-9a-f]{24}$/i, 'OBJECT_ID'),
  format: z.enum(['png', 'svg']),
});

export const LabelSheetQuery = z.object({
  business: z.string().regex(/^[0-9a-f]{24}$/i, 'OBJECT_ID').optional(),
  /** Comma-separated instrument ids. */
  ids: z
    .string()
    .regex(/^[0-9a-f]{24}(,[0-9a-f]{24})*$/i, 'OBJECT_ID_LIST')
    .transform((s) => s.split(','))
    .optional(),
  category: categorySchema.optional(),
  region: z.string().regex(/^\d{2,6}$/).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export const CodeParams = z.object({ code: z.string().trim().min(1).max(64) });
