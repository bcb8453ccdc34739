import { industryName } from '@shared/catalogue';
import { regionName } from '@shared/regions';
import type { BusinessFields } from './registry';

export interface BusinessAdminFields extends BusinessFields {
  creditCode?: string | null;
  platformId?: string | null;
  location?: { coordinates?: number[] | null } | null;
  contacts?: Array<{ name?: string | null; phone?: string | null }> | null;
  status: string;
  createdAt?: Date;
  updatedAt?: Date;
}

/** A business as its regulators see it: with identifiers and contacts. */
export function presentBusinessForStaff(b: BusinessAdminFields) {
  const coordinates = b.location?.coordinates;
  return {
    id: String(b._id),
    creditCode: b.creditCode ?? null,
    platformId: b.platformId ?? null,
    name: b.name,
    industry: b.industry,
    industryName: industryName(b.industry) ?? b.industry,
    regionCode: b.regionCode,
    regionName: regionName(b.regionCode) ?? b.regionCode,
    address: b.address ?? '',
    location: coordinates && coordinates.length === 2 ? coordinates : null,
    contacts: (b.contacts ?? []).map((c) => ({ name: c.name ?? '', phone: c.phone ?? '' })),
    status: b.status,
    createdAt: b.createdAt?.toISOString(),
    updatedAt: b.updatedAt?.toISOString(),
  };
}
