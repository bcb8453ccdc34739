/**
 * Choosing candidate documents for a filter without scanning, as MongoDB's planner would:
 *  - `_id` equality or `$in` goes to the document map;
 *  - equality or `$in` on a leading part of a hashed index's fields (a prefix: `{a, b}` of
 *    `{a: 1, b: 1, c: -1}`) goes to that index's map for that prefix; when several indexes
 *    qualify, the one with the fewest candidates wins;
 *  - a top-level `$and` uses its most selective clause, a top-level `$or` whose branches can all
 *    be planned the union of the branches.
 * Otherwise every document is a candidate. Callers always apply the full filter (and sort) to
 * the candidates, so a plan only has to return a superset of the matches.
 */
import type { Document } from 'bson';
import { setValue } from 'mingo/util';
import type { Collection } from './collection';
import { keyString } from './compare';
import type { Holders, Index } from './indexes';

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

/** The filter's condition on a field it names itself (never an inherited property). */
function conditionOn(filter: Document, field: string): unknown {
  return Object.prototype.hasOwnProperty.call(filter, field) ? filter[field] : undefined;
}

function combinations(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

/**
 * The equality values of the longest prefix of `index`'s fields the filter pins down (one list
 * per field), or null when not even the first field is. The prefix stops early rather than
 * exceed MAX_LOOKUPS combinations.
 */
function prefixValues(index: Index, filter: Document): unknown[][] | null {
  const lists: unknown[][] = [];
  let combos = 1;
  for (const field of index.fields) {
    const values = equalityValues(conditionOn(filter, field));
    if (!values || combos * values.length > MAX_LOOKUPS) break;
    combos *= values.length;
    lists.push(values);
  }
  return lists.length ? lists : null;
}

/**
 * A partial index can answer an equality on a prefix when its filter only involves the prefix's
 * fields and every looked-up combination passes it: then every document the query can match
 * is in the index. (A sparse index needs no such check: only exact, non-null values are looked
 * up, and a document holding one has the field.)
 */
function partialIndexCovers(index: Index, combos: unknown[][]): boolean {
  const partial = index.spec.partialFilterExpression as Document | undefined;
  if (!partial) return true;
  const prefix = index.fields.slice(0, combos[0]?.length ?? 0);
  if (!Object.keys(partial).every((k) => prefix.includes(k))) return false;
  return combos.every((values) => {
    const probe: Document = {};
    prefix.forEach((f, i) => setValue(probe, f, values[i]));
    return index.covers(probe);
  });
}

/**
 * Candidates as documents by id (the maps may overlap), how many they hold in all, and the
 * filter fields every candidate is known to satisfy (see candidateDocuments).
 */
interface Candidates {
  sets: Holders[];
  size: number;
  exact: string[];
}

function candidates(sets: Holders[], exact: string[] = []): Candidates {
  return { sets, size: sets.reduce((n, set) => n + set.size, 0), exact };
}

function fewer(a: Candidates | null, b: Candidates | null): Candidates | null {
  if (!a) return b;
  if (!b) return a;
  return b.size < a.size ? b : a;
}

function byId(collection: Collection, filter: Document): Candidates | null {
  const ids = equalityValues(conditionOn(filter, '_id'));
  if (!ids) return null;
  const found = new Map<string, Document>();
  for (const id of ids.map(keyString)) {
    const doc = collection.docs.get(id);
    if (doc) found.set(id, doc);
  }
  return candidates([found], ['_id']);
}

function byIndex(collection: Collection, filter: Document): Candidates | null {
  let best: Candidates | null = null;
  for (const index of collection.indexes.values()) {
    if (!index.hashed) continue;
    const lists = prefixValues(index, filter);
    if (!lists) continue;
    const combos = combinations(lists);
    if (!partialIndexCovers(index, combos)) continue;
    const found = candidates(
      combos.map((values) => index.lookupPrefix(values)),
      index.fields.slice(0, lists.length),
    );
    best = fewer(best, found);
    if (found.size === 0) break;
  }
  return best;
}

/**
 * Any one clause of a top-level `$and` narrows the whole; the smallest is best. What it knows
 * exactly is about the clause's fields, not the filter's top-level ones of the same name.
 */
function byAnd(collection: Collection, filter: Document): Candidates | null {
  const clauses = conditionOn(filter, '$and');
  if (!Array.isArray(clauses)) return null;
  let best: Candidates | null = null;
  for (const clause of clauses) {
    const found = isPlainObject(clause) ? plan(collection, clause) : null;
    if (found) best = fewer(best, { ...found, exact: [] });
  }
  return best;
}

/** A `$or` needs every branch planned; one unplanned branch means a scan. */
function byOr(collection: Collection, filter: Document): Candidates | null {
  const branches = conditionOn(filter, '$or');
  if (!Array.isArray(branches)) return null;
  const sets: Holders[] = [];
  for (const branch of branches) {
    const found = isPlainObject(branch) ? plan(collection, branch) : null;
    if (!found) return null;
    sets.push(...found.sets);
  }
  return candidates(sets);
}

function plan(collection: Collection, filter: Document): Candidates | null {
  const id = byId(collection, filter);
  if (id) return id;
  return fewer(fewer(byIndex(collection, filter), byAnd(collection, filter)), byOr(collection, filter));
}

/** The documents of the candidate maps, each once, in the maps' order. */
function documentsOf(sets: Holders[]): Iterable<Document> {
  if (sets.length === 1) return sets[0].values();
  const docs = new Map<string, Document>();
  for (const set of sets) for (const [id, doc] of set) docs.set(id, doc);
  return docs.values();
}

export interface CandidateDocuments {
  /** A superset of the documents matching the filter. */
  docs: Iterable<Document>;
  /**
   * Top-level filter fields that every candidate satisfies, so they need no test: an index
   * holds a document under a value's key exactly when the field's value, or one of its array
   * elements, equals that value as `$eq` compares (keyString is equal exactly for equal values).
   */
  exact: string[];
}

/** Documents that may match `filter`, and which of its conditions they are known to meet. */
export function candidateDocuments(collection: Collection, filter: Document | undefined): CandidateDocuments {
  const found = filter ? plan(collection, filter) : null;
  return found ? { docs: documentsOf(found.sets), exact: found.exact } : { docs: collection.docs.values(), exact: [] };
}
