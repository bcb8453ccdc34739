import type { MyLikeView } from '@shared/api';
import { categoryName } from '@shared/catalogue';

export interface LikeFields {
  _id: unknown;
  day: string;
  code: string;
  category: string;
  business: unknown;
}

/** One of the caller's likes. The business name is today's (empty when the business was deleted). */
export function presentMyLike(l: LikeFields, businessName: string | undefined): MyLikeView {
  return {
    id: String(l._id),
    day: l.day,
    instrument: { code: l.code, categoryName: categoryName(l.category) ?? l.category },
    business: { id: String(l.business), name: businessName ?? '' },
  };
}
