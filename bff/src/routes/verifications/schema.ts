import { z } from 'zod';
import { verificationResultSchema } from '@shared/schemas';

export const MAX_VERIFICATION_BATCH = 500;

/** A calendar date `YYYY-MM-DD` (China time) or a full ISO timestamp. */
const DateInput = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((s) => (s.length === 10 ? new Date(`${s}T00:00:00+08:00`) : new Date(s)));

/** One result as a verification institution reports it. Rows are checked one by one. */
export const VerificationRow = z
  .object({
    /** Platform code, or an external code the instrument is registered with. */
    instrumentCode: z.string().trim().min(1).max(64),
    date: DateInput,
    result: verificationResultSchema,
    certificateNo: z.string().trim().min(3).max(64),
    /** From the certificate; when absent the category's statutory cycle applies. */
    dueDate: DateInput.optional(),
    /** Defaults to the institution the API key was issued to. */
    institution: z.string().trim().min(2).max(100).optional(),
    verifier: z.string().trim().max(50).optional(),
  })
  .strict();

export const VerificationBatch = z
  .object({
    /** Up to 500 results; each is accepted or reported on its own. */
    results: z.array(z.unknown()).min(1).max(MAX_VERIFICATION_BATCH),
  })
  .strict();
