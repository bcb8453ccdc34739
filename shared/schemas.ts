/**
 * zod 4 primitives shared by the BFF (request validation, OpenAPI) and the mini-program
 * (form validation). Messages are stable English codes, not prose: the UI maps them to
 * Chinese text, and the BFF passes them through in `error.details`.
 */
import { z } from 'zod';
import { CATEGORY_IDS, INDUSTRY_IDS } from './catalogue';
import { parseCreditCode } from './creditCode';
import { parseInstrumentCode } from './instrumentCode';
import { isKnownRegion } from './regions';

type ParseOutcome = { ok: true } | { ok: false; reason: string };

/** A zod refinement that reports a domain parser's reason as `<PREFIX>_<REASON>`. */
function reportsParseReason(parse: (value: string) => ParseOutcome, prefix: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    const parsed = parse(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `${prefix}_${parsed.reason}` });
  };
}

export const instrumentCodeSchema = z
  .string()
  .superRefine(reportsParseReason(parseInstrumentCode, 'INSTRUMENT_CODE'))
  .describe('19-digit platform instrument code: GB/T 2260 county 6 + category 4 + serial 8 + ISO/IEC 7064 MOD 11,10 check digit');

export const creditCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine(reportsParseReason(parseCreditCode, 'CREDIT_CODE'))
  .describe('18-character unified social credit code (GB 32100-2015) with its MOD 31 check character');

export const regionCodeSchema = z
  .string()
  .regex(/^\d{6}$/, { message: 'REGION_CODE_FORMAT' })
  .refine(isKnownRegion, { message: 'REGION_CODE_UNKNOWN' })
  .describe('6-digit GB/T 2260 region code; trailing zeros mark a province (370000) or city (370100)');

export const industrySchema = z.enum(INDUSTRY_IDS).describe('Industry: market, fuel, catering, retail, medical, optical, traffic, utility');

export const categorySchema = z.enum(CATEGORY_IDS).describe('Instrument category id from the platform catalogue');

export const verificationStatusSchema = z
  .enum(['valid', 'expiring', 'overdue', 'failed', 'unverified', 'suspended'])
  .describe('Verification status as of today: valid, expiring (due within 30 days), overdue, failed (last result not passed), unverified (no record), suspended (not in use)');

export const verificationResultSchema = z.enum(['pass', 'fail']).describe('Result of a verification: pass (合格) or fail (不合格)');

/** `?page=&pageSize=` of every list: pages from 1, at most 100 items a page. */
export const Pagination = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** A MongoDB ObjectId in its 24-hex-digit form (ids in paths and bodies). */
export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'OBJECT_ID').describe('24-hex-digit id');
