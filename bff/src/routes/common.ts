import { z } from 'zod';
import type { ListResponse } from '@shared/api';
import type { Model } from 'mongoose';

export const IdParams = z.object({
  /** A MongoDB ObjectId as 24 hex characters. */
  id: z.string().regex(/^[0-9a-f]{24}$/i, 'OBJECT_ID'),
});

export function listResponse<T>(items: T[], total: number, page: number, pageSize: number): ListResponse<T> {
  return { items, total, page, pageSize };
}

/** How a list is ordered: newest first unless a route offers more; `collation` for names (pinyin: `{ locale: 'zh' }`). */
export interface ListOrder {
  sort: Record<string, 1 | -1>;
  collation?: { locale: string };
}

/** One page of a filtered collection, newest first unless ordered otherwise, shaped by a presenter, in the list contract. */
export async function listPage<Doc, Item>(
  model: Model<any>,
  filter: Record<string, unknown>,
  { page, pageSize }: { page: number; pageSize: number },
  present: (doc: Doc) => Item,
  order: ListOrder = { sort: { _id: -1 } },
): Promise<ListResponse<Item>> {
  const query = model.find(filter).sort(order.sort);
  if (order.collation) query.collation(order.collation);
  const [docs, total] = await Promise.all([
    query.skip((page - 1) * pageSize).limit(pageSize).lean<Doc[]>(),
    model.countDocuments(filter),
  ]);
  return listResponse(docs.map(present), total, page, pageSize);
}

/** Escapes user text for use inside a RegExp (name searches). */
