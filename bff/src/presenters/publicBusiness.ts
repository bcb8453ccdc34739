import type { Grade, PublicBusinessDetail, PublicBusinessItem, PublicInstrumentItem, VerificationStatus } from '@shared/api';
import { categoryName } from '@shared/catalogue';
import { chinaDateString } from '@shared/verification';
import { presentBusinessSummary, type BusinessFields } from './registry';

/** The stored fields the public business views read; contacts and identifiers are never among them. */
export interface PublicBusinessFields extends BusinessFields {
  location?: { coordinates?: number[] | null } | null;
  /** Written by the grading (a later issue); absent until then, shown as 暂无评级. */
  grade?: string | null;
  /** Added by the `$geoNear` stage of a nearby search, in metres. */
  distance?: number;
}

const GRADES: readonly string[] = ['A', 'B', 'C', 'D', 'pending'];

function gradeOf(stored: string | null | undefined): Grade | null {
  return stored && GRADES.includes(stored) ? (stored as Grade) : null;
}

/**
 * A business in public lists. Deliberately without the credit code: it is public in China (the
 * national enterprise credit system shows it) but the page has no use for it, and a stall's
 * platform id is internal; searching by a credit code still finds the business.
 */
export function presentPublicBusinessItem(b: PublicBusinessFields, instrumentCount: number): PublicBusinessItem {
  const coordinates = b.location?.coordinates;
  return {
    ...presentBusinessSummary(b, gradeOf(b.grade)),
    location: coordinates && coordinates.length === 2 ? [coordinates[0], coordinates[1]] : null,
    instrumentCount,
    ...(b.distance === undefined ? {} : { distance: Math.round(b.distance) }),
  };
}

export interface PublicInstrumentFields {
  code: string;
  category: string;
  installLocation?: string | null;
  likes?: number | null;
}

/** An instrument on a business page: its status as a scan would show it, its due date as a China day. */
export function presentPublicInstrument(i: PublicInstrumentFields, status: VerificationStatus, dueDate: Date | null): PublicInstrumentItem {
  return {
    code: i.code,
    category: i.category,
    categoryName: categoryName(i.category) ?? i.category,
    installLocation: i.installLocation || undefined,
    status,
    dueDate: dueDate ? chinaDateString(dueDate) : null,
    likes: i.likes ?? 0,
  };
}

export function presentPublicBusinessDetail(
  b: PublicBusinessFields,
  instruments: PublicInstrumentItem[],
  instrumentCount: number,
  complaintStats: PublicBusinessDetail['complaintStats'],
): PublicBusinessDetail {
  const statusCounts: PublicBusinessDetail['statusCounts'] = {};
  for (const i of instruments) statusCounts[i.status] = (statusCounts[i.status] ?? 0) + 1;
  return {
    ...presentPublicBusinessItem(b, instrumentCount),
    instruments,
    statusCounts,
    supervision: [],
    complaintStats,
    replies: [],
  };
}
