/**
 * Choosing candidate documents for a filter without scanning: `_id` equality or `$in` goes to
 * the document map, equality or `$in` on every field of a hashed index to that index, and a
 * top-level `$or` whose branches can all do that to the union. Otherwise every document is a
 * candidate. Callers always apply the full filter to the candidates.
 */
import type { Document } from 'bson';
import { setValue } from 'mingo/util';
import type { Collection } from './collection';
import type { Index } from './indexes';

/** More key combinations than this (compound `$in`s) are not worth a lookup. */
const MAX_LOOKUPS = 1000;

function isPlainObject(v: unknown): v is Document {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/** A value usable as an exact index key (null, arrays and regexes match more than their key). */
function exactValue(v: unknown): unknown {
  if (v === null || v === undefined || Array.isArray(v) || v instanceof RegExp) return undefined;
  if ((v as { _bsontype?: string })._bsontype === 'BSONRegExp') return undefined;
  return v;
}

/** The values a filter entry allows by equality (`v`, `{$eq: v}`, `{$in: [...]}`), or null. */
function equalityValues(entry: unknown): unknown[] | null {
  if (!isPlainObject(entry)) {
    const value = exactValue(entry);
    return value === undefined ? null : [value];
  }
  const keys = Object.keys(entry);
  if (keys.length === 1 && keys[0] === '$eq') return equalityValues(entry.$eq);
  if (keys.length === 1 && keys[0] === '$in' && Array.isArray(entry.$in)) {
    const values = entry.$in.map(exactValue);
    return values.every((v) => v !== undefined) ? values : null;
  }
  return keys.some((k) => k.startsWith('$')) ? null : [entry];
}

function combinations(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

function unique(docs: Array<Document | undefined>): Document[] {
  return [...new Set(docs.filter((d): d is Document => d !== undefined))];
}

/**
 * A partial index can answer an equality when its filter only involves the indexed fields and
 * every looked-up value passes it (then every matching document is in the index).
 */
function partialIndexCovers(index: Index, combos: unknown[][]): boolean {
  const partial = index.spec.partialFilterExpression as Document | undefined;
  if (!partial) return true;
  if (!Object.keys(partial).every((k) => index.fields.includes(k))) return false;
  return combos.every((values) => {
    const probe: Document = {};
    index.fields.forEach((f, i) => setValue(probe, f, values[i]));
    return index.covers(probe);
  });
}

function byId(collection: Collection, filter: Document): Document[] | null {
  const ids = equalityValues(filter._id);
  return ids ? unique(ids.map((id) => collection.getById(id))) : null;
}

function byIndex(collection: Collection, filter: Document): Document[] | null {
  for (const index of collection.indexes.values()) {
    if (!index.hashed) continue;
    const perField = index.fields.map((f) => equalityValues(filter[f]));
    if (perField.some((values) => values === null)) continue;
    if (perField.reduce((n, values) => n * values!.length, 1) > MAX_LOOKUPS) continue;
    const combos = combinations(perField as unknown[][]);
    if (!partialIndexCovers(index, combos)) continue;
    return unique(combos.flatMap((values) => [...index.lookup(values)].map((key) => collection.docs.get(key))));
  }
  return null;
}

function byOr(collection: Collection, filter: Document): Document[] | null {
  if (!Array.isArray(filter.$or)) return null;
  const found: Document[] = [];
  for (const branch of filter.$or as Document[]) {
    const docs = indexedCandidates(collection, branch);
    if (!docs) return null;
    found.push(...docs);
  }
  return unique(found);
}

function indexedCandidates(collection: Collection, filter: Document): Document[] | null {
  return byId(collection, filter) ?? byIndex(collection, filter) ?? byOr(collection, filter);
}

/** Documents that may match `filter` (a superset of the matches). */
export function candidateDocuments(collection: Collection, filter: Document | undefined): Iterable<Document> {
  return (filter && indexedCandidates(collection, filter)) ?? collection.docs.values();
}
