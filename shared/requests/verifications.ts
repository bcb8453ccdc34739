import { z } from 'zod';
import { verificationResultSchema } from '@shared/schemas';
import { textLine } from '@shared/text';
import { chinaDayNumber } from '@shared/verification';

export const MAX_VERIFICATION_BATCH = 500;

/** A calendar date `YYYY-MM-DD` (China time) or a full ISO timestamp. */
const DateInput = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((s) => (s.length === 10 ? new Date(`${s}T00:00:00+08:00`) : new Date(s)));

/** Verification records on this platform start in 2000; anything earlier is a typo (0001-01-01). */
export const EARLIEST_VERIFICATION_DATE = new Date('2000-01-01T00:00:00+08:00');

/** A verification date: not before 2000, not after tomorrow (China days; a LIMS clock may run ahead). */
const VerificationDate = DateInput.refine((d) => d >= EARLIEST_VERIFICATION_DATE, { message: 'DATE_TOO_EARLY' }).refine(
  (d) => chinaDayNumber(d) <= chinaDayNumber(new Date()) + 1,
  { message: 'DATE_IN_FUTURE' },
);

/**
 * One result as a verification institution reports it. Rows are checked one by one. The due
 * date's upper bound depends on the instrument's category (twice its cycle) and is checked once
 * the instrument is known (verificationIntake).
 */
export const VerificationRow = z
  .object({
    /** Platform code, or an external code the instrument is registered with. */
    instrumentCode: textLine({ min: 1, max: 64 }),
    date: VerificationDate,
    result: verificationResultSchema,
    certificateNo: textLine({ min: 3, max: 64 }),
    /** From the certificate; when absent the category's statutory cycle applies. */
    dueDate: DateInput.optional(),
    /**
     * The institution always comes from the API key or the verifier account; a row may repeat it,
     * and a row naming another institution is refused (INSTITUTION_MISMATCH). Admins must name it.
     */
    institution: textLine({ min: 2, max: 100 }).optional(),
    verifier: textLine({ max: 50 }).optional(),
  })
  .strict()
  .refine((row) => !row.dueDate || row.dueDate > row.date, { message: 'DUE_DATE_NOT_AFTER_DATE', path: ['dueDate'] });

export const VerificationBatch = z
  .object({
    /** Up to 500 results; each is accepted or reported on its own. */
    results: z.array(z.unknown()).min(1).max(MAX_VERIFICATION_BATCH),
  })
  .strict();
