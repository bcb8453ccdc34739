import type { z } from 'zod';
import { fieldErrors, issueText } from '@shared/messages';
import { RequestError } from '../api/transport';

export interface InstrumentFormValues {
  businessId?: string;
  category?: string;
  code?: string;
  /** One input per code; empty inputs are left out of the request. */
  externalCodes?: Array<string | undefined>;
  model?: string;
  serial?: string;
  manufacturer?: string;
  installLocation?: string;
}

/** The single-value fields, in the order of the form. */
export const FIELDS = ['businessId', 'category', 'code', 'model', 'serial', 'manufacturer', 'installLocation'] as const;
const TEXT_FIELDS = ['model', 'serial', 'manufacturer', 'installLocation'] as const;

/**
 * The problems of a form, each where it is shown: `fields` by field name, `externalCodes` by the
 * position of the input in the form (not in the request, which leaves empty inputs out).
 */
export interface InstrumentErrors {
  fields: Record<string, string>;
  externalCodes: Record<number, string>;
}

export interface InstrumentRequest {
  body: Record<string, unknown>;
  /** For each external code sent, the form input it came from. */
  externalCodeInputs: number[];
}

/**
 * Form values → the request body. Creating: empty optional fields are left out (the schema's
 * defaults apply, the platform issues a code). Editing: only what PATCH accepts, empty text
 * fields sent as '' so that clearing one clears it.
 */
export function instrumentRequest(values: InstrumentFormValues, editing: boolean): InstrumentRequest {
  const body: Record<string, unknown> = {};
  const externalCodeInputs: number[] = [];
  const codes: string[] = [];
  (values.externalCodes ?? []).forEach((raw, i) => {
    const code = (raw ?? '').trim();
    if (!code) return;
    codes.push(code);
    externalCodeInputs.push(i);
  });
  body.externalCodes = codes;
  for (const field of TEXT_FIELDS) {
    const v = (values[field] ?? '').trim();
    if (v || editing) body[field] = v;
  }
  if (!editing) {
    if (values.businessId) body.businessId = values.businessId;
    if (values.category) body.category = values.category;
    const code = (values.code ?? '').trim();
    if (code) body.code = code;
  }
  return { body, externalCodeInputs };
}

const empty = (): InstrumentErrors => ({ fields: {}, externalCodes: {} });

/** The schema's verdict (CreateInstrument or UpdateInstrument, the BFF's own), each message under its input. */
export function clientErrors(schema: z.ZodType, request: InstrumentRequest): InstrumentErrors {
  const out = empty();
  const { externalCodes, ...fields } = fieldErrors(schema, request.body);
  out.fields = fields;
  if (externalCodes) {
    const result = schema.safeParse(request.body);
    for (const issue of result.success ? [] : result.error.issues) {
      if (issue.path[0] !== 'externalCodes') continue;
      const at = typeof issue.path[1] === 'number' ? request.externalCodeInputs[issue.path[1]] : undefined;
      if (at === undefined) out.fields.externalCodes ??= issueText(issue as Parameters<typeof issueText>[0]);
      else out.externalCodes[at] ??= issueText(issue as Parameters<typeof issueText>[0]);
    }
  }
  return out;
}

/** The API's refusals placed next to the input they are about. */
export function serverErrors(err: RequestError, request: InstrumentRequest): InstrumentErrors {
  const out = empty();
  const sentCodes = (request.body.externalCodes as string[] | undefined) ?? [];
  switch (err.code) {
    case 'VALIDATION_FAILED':
      for (const d of Array.isArray(err.details) ? (err.details as Array<{ path?: string; message?: string }>) : []) {
        const [field, index] = String(d.path ?? '').split('.');
        const text = issueText({ code: 'custom', message: d.message ?? '' });
        if (field === 'externalCodes' && index !== undefined && request.externalCodeInputs[Number(index)] !== undefined) out.externalCodes[request.externalCodeInputs[Number(index)]] ??= text;
        else if (field) out.fields[field] ??= text;
      }
      return out;
    case 'INVALID_CODE':
    case 'CODE_CATEGORY_MISMATCH':
    case 'CODE_REGION_MISMATCH':
      out.fields.code = err.message;
      return out;
    case 'INSTRUMENT_CODE_TAKEN': {
      const taken = ((err.details as { codes?: string[] } | undefined)?.codes ?? []).map(String);
      if (typeof request.body.code === 'string' && taken.includes(request.body.code)) out.fields.code = '该识别码已被其他器具使用';
      sentCodes.forEach((code, i) => {
        if (taken.includes(code)) out.externalCodes[request.externalCodeInputs[i]] = `${code} 已被其他器具使用`;
      });
      if (!Object.keys(out.fields).length && !Object.keys(out.externalCodes).length) out.fields.code = err.message;
      return out;
    }
    // The business is gone or outside the caller's region (policies: assertVisible).
    case 'BUSINESS_NOT_FOUND':
    case 'FORBIDDEN':
      if (request.body.businessId) out.fields.businessId = err.message;
      return out;
    default:
      return out;
  }
}

export const hasErrors = (e: InstrumentErrors) => Object.keys(e.fields).length > 0 || Object.keys(e.externalCodes).length > 0;
