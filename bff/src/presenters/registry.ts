import type { BusinessSummary, Grade, InstrumentView, VerificationView } from '@shared/api';
import { categoryName, industryName } from '@shared/catalogue';
import { regionName } from '@shared/regions';
import { chinaDateString } from '@shared/verification';

/** The stored fields presenters read; lean documents and hydrated ones both fit. */
export interface InstrumentFields {
  _id: unknown;
  code: string;
  externalCodes?: string[] | null;
  category: string;
  model?: string | null;
  serial?: string | null;
  manufacturer?: string | null;
  installLocation?: string | null;
  status: string;
  likes?: number | null;
  business: unknown;
}

export interface BusinessFields {
  _id: unknown;
  name: string;
  industry: string;
  regionCode: string;
  address?: string | null;
}

export interface VerificationFields {
  _id: unknown;
  date: Date;
  result: string;
  institution: string;
  certificateNo: string;
  dueDate?: Date | null;
}

/** The public face of an instrument. */
export function presentInstrument(i: InstrumentFields): InstrumentView {
  return {
    id: String(i._id),
    code: i.code,
    externalCodes: i.externalCodes ?? [],
    category: i.category,
    categoryName: categoryName(i.category) ?? i.category,
    model: i.model || undefined,
    serial: i.serial || undefined,
    manufacturer: i.manufacturer || undefined,
    installLocation: i.installLocation || undefined,
    status: i.status as InstrumentView['status'],
    likes: i.likes ?? 0,
    businessId: String(i.business),
  };
}

/** What the public may know of a business: no contacts, no credit-code owner data beyond the name. */
export function presentBusinessSummary(b: BusinessFields, grade: Grade | null = null): BusinessSummary {
  return {
    id: String(b._id),
    name: b.name,
    industry: b.industry,
    industryName: industryName(b.industry) ?? b.industry,
    regionCode: b.regionCode,
    regionName: regionName(b.regionCode) ?? b.regionCode,
    address: b.address || undefined,
    grade,
  };
}

/** Verification and due dates are days on a certificate: the China calendar day (`YYYY-MM-DD`, +08:00), never a UTC instant. */
const isoDate = (d: Date) => chinaDateString(d);

export function presentVerification(v: VerificationFields): VerificationView {
  return {
    id: String(v._id),
    date: isoDate(v.date),
    result: v.result as VerificationView['result'],
    institution: v.institution,
    certificateNo: v.certificateNo,
    dueDate: v.dueDate ? isoDate(v.dueDate) : null,
  };
}
