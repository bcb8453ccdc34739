/** Response shapes of the admin endpoints; those shared/api.ts describes are re-exported from there. */
export type { DashboardIndustryRow, DashboardResponse, StaffInstrumentItem as StaffInstrument, StaffUserView } from '@shared/api';

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

/** What POST and PATCH /api/v1/admin/instruments answer: the staff view without the status of today (presentInstrumentForStaff). */
export type SavedInstrument = Omit<import('@shared/api').StaffInstrumentItem, 'verificationStatus' | 'latestVerification'>;

export type { AdminVerificationItem } from '@shared/api';
