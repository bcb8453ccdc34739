import type { InstrumentView } from '@shared/api';

/**
 * Response shapes of the admin endpoints that shared/api.ts does not describe (yet). The
 * dashboard is the contract agreed with the BFF side (issue 10); once shared/api.ts carries
 * DashboardResponse, this file should re-export it instead.
 */

/** Rates are 0..1, or null when their denominator is 0. */
export interface DashboardIndustryRow {
  industry: string;
  industryName: string;
  businesses: number;
  instruments: number;
  verificationRate: number | null;
  passRate: number | null;
}

export interface DashboardResponse {
  region: { code: string; name: string };
  /** China calendar day the figures are computed for, `YYYY-MM-DD`. */
  asOf: string;
  totals: { businesses: number; instruments: number; verified: number; passed: number; overdue: number; expiring: number };
  byIndustry: DashboardIndustryRow[];
  dueSoon: { overdue: number; expiring: number };
  /** 12 months, oldest first. */
  trend: Array<{ month: string; verifications: number; passed: number }>;
}

/** GET /api/v1/admin/businesses items (bff/src/presenters/business.ts presentBusinessForStaff). */
export interface StaffBusiness {
  id: string;
  creditCode: string | null;
  platformId: string | null;
  name: string;
  industry: string;
  industryName: string;
  regionCode: string;
  regionName: string;
  address: string;
  location: number[] | null;
  contacts: Array<{ name: string; phone: string }>;
  status: 'active' | 'closed';
  createdAt?: string;
  updatedAt?: string;
}

/** GET /api/v1/admin/instruments items (presenters/instrument.ts). */
export interface StaffInstrument extends InstrumentView {
  regionCode: string;
  createdAt?: string;
  updatedAt?: string;
}

/** GET /api/v1/admin/api-keys items (presenters/apiKey.ts). */
export interface ApiKeyView {
  id: string;
  name: string;
  institution: string;
  prefix: string;
  createdAt?: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}
