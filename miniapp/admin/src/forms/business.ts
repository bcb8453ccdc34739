import { issueText } from '@shared/messages';
import { RequestError } from '../api/transport';

export interface BusinessFormValues {
  name?: string;
  creditCode?: string;
  industry?: string;
  regionCode?: string;
  address?: string;
}

export const FIELDS: Array<keyof BusinessFormValues> = ['name', 'creditCode', 'industry', 'regionCode', 'address'];

/** Form values → the request body: empty optional fields left out, the credit code as people type it, trimmed and upper-cased. */
export function businessBody(values: BusinessFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const v = values[field];
    if (typeof v === 'string' && v.trim() === '') continue;
    if (v === undefined || v === null) continue;
    body[field] = field === 'creditCode' ? String(v).trim().toUpperCase() : typeof v === 'string' ? v.trim() : v;
  }
  return body;
}

/** The API's VALIDATION_FAILED details and known conflicts, as errors next to their fields. */
export function serverFieldErrors(err: RequestError): Record<string, string> {
  if (err.code === 'VALIDATION_FAILED' && Array.isArray(err.details)) {
    const out: Record<string, string> = {};
    for (const d of err.details as Array<{ path?: string; message?: string }>) {
      const field = String(d.path ?? '').split('.')[0];
      if (field && !(field in out)) out[field] = issueText({ code: 'custom', message: d.message ?? '' });
    }
    return out;
  }
  if (err.code === 'BUSINESS_EXISTS') return { creditCode: err.message };
  // The only FORBIDDEN a staff member's save meets: a region outside their own (policies/index.ts assertMayCreateIn).
  if (err.code === 'FORBIDDEN') return { regionCode: err.message };
  return {};
}

