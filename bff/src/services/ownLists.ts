/**
 * What "my likes" and "my complaints" share: one page of the caller's records, newest first, and
 * the names their businesses carry today (a renamed business shows its new name).
 */
import type { Model, Types } from 'mongoose';
import type { Models } from '../models';

export interface PageRequest {
  page: number;
  pageSize: number;
}

/** One page of the records matching `filter`, newest first (by `_id`), with the total count. */
export async function newestFirst<Doc>(model: Model<any>, filter: Record<string, unknown>, { page, pageSize }: PageRequest): Promise<{ docs: Doc[]; total: number }> {
  const [docs, total] = await Promise.all([
    model.find(filter).sort({ _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<Doc[]>(),
    model.countDocuments(filter),
  ]);
  return { docs, total };
}

/** The current names of these businesses by id; a deleted business is missing from the map. */
export async function businessNames(models: Models, ids: unknown[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.map(String))];
  const found = await models.Business.find({ _id: { $in: unique } }, { name: 1 }).lean<Array<{ _id: Types.ObjectId; name: string }>>();
  return new Map(found.map((b) => [String(b._id), b.name]));
}
