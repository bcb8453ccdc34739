import type { AdminVerificationItem } from '@shared/api';
import { categoryName } from '@shared/catalogue';
import { regionName } from '@shared/regions';
import { presentVerification, type VerificationFields } from './registry';

/** An instrument with one of its verifications joined as `v` (services/verificationList.ts). */
export interface JoinedVerification {
  _id: unknown;
  code: string;
  category: string;
  business: unknown;
  regionCode: string;
  v: VerificationFields & { verifier?: string | null; revision?: number | null; updatedAt?: Date | null; createdAt?: Date | null };
}

/** A verification as staff list it: the certificate, who verified, and what it is about. Never who posted it (a user or key id). */
export function presentAdminVerification(row: JoinedVerification, businessName: string): AdminVerificationItem {
  const posted = row.v.updatedAt ?? row.v.createdAt;
  return {
    ...presentVerification(row.v),
    verifier: row.v.verifier ?? null,
    revision: row.v.revision ?? 1,
    instrument: { id: String(row._id), code: row.code, category: row.category, categoryName: categoryName(row.category) ?? row.category },
    business: { id: String(row.business), name: businessName },
    regionCode: row.regionCode,
    regionName: regionName(row.regionCode) ?? row.regionCode,
    postedAt: posted ? posted.toISOString() : null,
  };
}
