import { z } from 'zod';
import { findCategory } from '@shared/catalogue';
import { MAX_EXTERNAL_CODE_LENGTH, parseScanQuery } from '@shared/scan';
import { categorySchema, instrumentCodeSchema, Pagination, verificationStatusSchema } from '@shared/schemas';
import { textLine } from '@shared/text';

/**
 * A code another system gave the instrument (a province's code, a GB/T 36377 code, a maker's
 * serial). It must be a value a scan looks up as an external code (see parseScanQuery): a value
 * a scan reads as a platform code — 19 digits, valid check digit or not, or `<digits>-<sig>` —
 * could only ever shadow or hijack a platform code, and a URL never reaches the external-code
 * lookup, so both are refused (400) rather than stored unreachable.
 */
const ExternalCode = textLine({ min: 1, max: MAX_EXTERNAL_CODE_LENGTH })
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'EXTERNAL_CODE_FORMAT')
  .superRefine((value, ctx) => {
    const reason = externalCodeProblem(value);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  });

function externalCodeProblem(value: string): string | null {
  if (value.length > MAX_EXTERNAL_CODE_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) return null; // reported by max() / regex()
  const parsed = parseScanQuery(value);
  if (parsed.ok && parsed.kind === 'external' && parsed.value === value) return null;
  if (parsed.ok && parsed.kind === 'platform' && !parsed.fromUrl) return 'EXTERNAL_CODE_LOOKS_LIKE_PLATFORM_CODE';
  if (/^\d{17,21}(-|$)/.test(value)) return 'EXTERNAL_CODE_LOOKS_LIKE_PLATFORM_CODE';
  if (/^https?(:|%)/i.test(value)) return 'EXTERNAL_CODE_LOOKS_LIKE_URL';
  return 'EXTERNAL_CODE_FORMAT';
}

/** Up to 10 external codes, each once. */
const ExternalCodes = z
  .array(ExternalCode)
  .max(10)
  .superRefine((codes, ctx) => {
    codes.forEach((code, i) => {
      if (codes.indexOf(code) < i) ctx.addIssue({ code: 'custom', path: [i], message: 'EXTERNAL_CODE_REPEATED' });
    });
  });

export const CreateInstrument = z
  .object({
    businessId: z.string().regex(/^[0-9a-f]{24}$/i, 'OBJECT_ID'),
    category: categorySchema,
    /** Leave out to have the platform issue the next code for the business's region and category. */
    code: instrumentCodeSchema.optional(),
    externalCodes: ExternalCodes.default([]),
    model: textLine({ max: 100 }).default(''),
    serial: textLine({ max: 100 }).default(''),
    manufacturer: textLine({ max: 100 }).default(''),
    installLocation: textLine({ max: 200 }).default(''),
  })
  .strict();

export const UpdateInstrument = z
  .object({
    externalCodes: ExternalCodes,
    model: textLine({ max: 100 }),
    serial: textLine({ max: 100 }),
    manufacturer: textLine({ max: 100 }),
    installLocation: textLine({ max: 200 }),
    status: z.enum(['in_use', 'suspended', 'retired']),
  })
  .partial()
  .strict();

/** The orders a staff instrument list offers; `-` is descending. `dueDate` orders by the certificate's 有效期至 (none first). */
export const INSTRUMENT_SORTS = ['-createdAt', 'createdAt', 'code', '-code', 'dueDate', '-dueDate'] as const;

export const ListInstruments = Pagination.extend({
  business: z.string().regex(/^[0-9a-f]{24}$/i, 'OBJECT_ID').optional(),
  category: categorySchema.optional(),
  region: z.string().regex(/^\d{2,6}$/).optional(),
  /** The verification status as of today (China day), as a scan shows it (shared/verification.ts). */
  status: verificationStatusSchema.optional(),
  /** The stored state of the instrument: in use, taken out of use, retired. */
  lifecycle: z.enum(['in_use', 'suspended', 'retired']).optional(),
  /**
   * `overdue` (the same as status=overdue), or N (0–366): in use, last verification passed, and due
   * today or within N days (`due=30` is the same set as status=expiring).
   */
  due: z
    .string()
    .regex(/^(overdue|\d{1,3})$/, 'DUE_FORMAT')
    .transform((v) => (v === 'overdue' ? ('overdue' as const) : Number(v)))
    .refine((v) => v === 'overdue' || v <= 366, 'DUE_TOO_FAR')
    .optional(),
  /** A platform code or an external code, exact. */
  code: z.string().trim().max(64).optional(),
  sort: z.enum(INSTRUMENT_SORTS).default('-createdAt'),
});

export const ImportQuery = z.object({
  /** `1`: import the good rows and report the bad ones; otherwise a file with errors imports nothing. */
  partial: z.enum(['0', '1']).default('0'),
});

export const LabelParams = z.object({
  id: z.string().regex(/^[0-9a-f]{24}$/i, 'OBJECT_ID'),
  format: z.enum(['png', 'svg']),
});

/**
 * Which labels a sheet holds: the staff list's filters (business, category, region, verification
 * status, due within N days), or chosen ids, never a retired instrument. `lifecycle` narrows to
 * instruments in use or taken out of use; without it both are printed.
 */
export const LabelSheetQuery = ListInstruments.pick({ business: true, category: true, region: true, status: true, due: true }).extend({
  /** Comma-separated instrument ids. */
  ids: z
    .string()
    .regex(/^[0-9a-f]{24}(,[0-9a-f]{24})*$/i, 'OBJECT_ID_LIST')
    .transform((s) => s.split(','))
    .optional(),
  lifecycle: z.enum(['in_use', 'suspended']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

/** The sheet's header: how many labels it holds (counted with its own filter before it streams). */
export const LABEL_COUNT_HEADER = 'X-Label-Count';
/** …and how many A4 pages (24 labels a page; a sheet with no label is one page with its header). */
export const LABEL_PAGES_HEADER = 'X-Label-Pages';
/** `details.reason` of the 429 when the caller's previous sheet is still being generated. */
export const LABEL_SHEET_IN_PROGRESS = 'LABEL_SHEET_IN_PROGRESS';

export const CodeParams = z.object({ code: z.string().trim().min(1).max(64) });

/**
 * One CSV import row, checked by the create schema itself: the same limits and formats as the
 * API. Only the spreadsheet's spellings differ: the business by credit code, platform id or id
 * (looked up afterwards), the category by id or 4-digit code, an empty `code` for "issue one",
 * and the external codes in one cell separated by `;`. Every cell arrives as a string.
 */
export const ImportRow = CreateInstrument.omit({ businessId: true }).extend({
  business: z.string().trim().min(1).max(64),
  category: z
    .string()
    .trim()
    .transform((value) => findCategory(value)?.id ?? value)
    .pipe(CreateInstrument.shape.category),
  code: z
    .string()
    .trim()
    .transform((value) => value || undefined)
    .pipe(CreateInstrument.shape.code),
  externalCodes: z
    .string()
    .transform((value) => value.split(';').map((c) => c.trim()).filter(Boolean))
    .pipe(ExternalCodes),
});

/**
 * The CSV import's columns in the template's order, each with the name people read (the error
 * table, the template's description), and the file limits the BFF enforces (the workspace checks
 * them before uploading).
 */
export const IMPORT_COLUMN_LABELS = {
  business: '经营者',
  category: '器具类别',
  code: '识别码',
  externalCodes: '其他编码',
  model: '型号',
  serial: '出厂编号',
  manufacturer: '制造商',
  installLocation: '安装位置',
} as const;
export type ImportColumn = keyof typeof IMPORT_COLUMN_LABELS;
export const IMPORT_COLUMNS = Object.keys(IMPORT_COLUMN_LABELS) as ImportColumn[];
export const REQUIRED_IMPORT_COLUMNS = ['business', 'category'] as const satisfies readonly ImportColumn[];
export const MAX_IMPORT_ROWS = 5000;
/** The largest CSV upload: 5,000 rows of every column with room to spare. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
