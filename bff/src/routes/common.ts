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

/** One page of a filtered collection, newest first, shaped by a presenter, in the list contract. */
export async function listPage<Doc, Item>(
  model: Model<any>,
  filter: Record<string, unknown>,
  { page, pageSize }: { page: number; pageSize: number },
  present: (doc: Doc) => Item,
): Promise<ListResponse<Item>> {
  const [docs, total] = await Promise.all([
    model.find(filter).sort({ _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<Doc[]>(),
    model.countDocuments(filter),
  ]);
  return listResponse(docs.map(present), total, page, pageSize);
}

/** Escapes user text for use inside a RegExp (name searches). */
