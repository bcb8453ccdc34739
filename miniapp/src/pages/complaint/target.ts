import { COMPLAINT_CATEGORY_IDS, type ComplaintCategory } from '@shared/complaints';

/** What a complaint is about, as the complaint page receives it in its URL. */
export interface ComplaintTarget {
  /** The instrument's platform code (from the instrument page). */
  code?: string;
  /** A business as a whole (from the business page). */
  businessId?: string;
  /** The category to start with (标签异常 for a forged label). */
  category?: ComplaintCategory;
  /** The business's name, only to show whom the complaint is about. */
  name?: string;
}

export const COMPLAINT_PAGE = '/pages/complaint/index';

/** The complaint page's address for `target`. */
export function complaintPageUrl(target: ComplaintTarget): string {
  const pairs = Object.entries(target)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  return `${COMPLAINT_PAGE}${pairs.length ? `?${pairs.join('&')}` : ''}`;
}

function decoded(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The target from the page's params (Taro hands them over still URL-encoded). */
export function readComplaintTarget(params: Record<string, string | undefined>): ComplaintTarget {
  const category = decoded(params.category);
  return {
    code: decoded(params.code),
    businessId: decoded(params.businessId),
    category: COMPLAINT_CATEGORY_IDS.includes(category as ComplaintCategory) ? (category as ComplaintCategory) : undefined,
    name: decoded(params.name),
  };
}
