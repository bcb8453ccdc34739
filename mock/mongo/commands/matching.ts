/**
 * Selecting the documents a filter matches, shared by reads and writes: index lookup, mingo
 * filter, `$near`/`$nearSphere` ordering (which MongoDB allows only with a geo index), sort.
 */
import type { Document } from 'bson';
import { candidateDocuments } from '../plan';
import type { Collection } from '../collection';
import { MongoCommandError } from '../errors';
import { applyNear, extractNear } from '../geo';
import { compileFilter, matchUnderCollation, sortDocuments } from '../query';

function geoFields(collection: Collection | undefined): string[] {
  const fields: string[] = [];
  for (const index of collection?.indexes.values() ?? []) {
    for (const [field, kind] of Object.entries(index.spec.key)) if (kind === '2dsphere' || kind === '2d') fields.push(field);
  }
  return fields;
}

/** `$near`/`$nearSphere` need a geo index on their field: otherwise NoQueryExecutionPlans (291). */
export function requireNearIndex(collection: Collection | undefined, field: string): void {
  if (!geoFields(collection).includes(field)) {
    throw new MongoCommandError(291, 'error processing query: planner returned error :: caused by :: unable to find index for $geoNear query');
  }
}

/** The field a `$geoNear` stage works on: its `key`, or the collection's only geo index (else IndexNotFound, 27). */
export function geoNearKey(collection: Collection | undefined, key?: string): string {
  const fields = geoFields(collection);
  if (key !== undefined) {
    if (fields.includes(key)) return key;
    throw new MongoCommandError(27, `$geoNear requires a 2d or 2dsphere index on '${key}', but none was found`);
  }
  if (fields.length === 0) throw new MongoCommandError(27, '$geoNear requires a 2d or 2dsphere index, but none were found');
  if (fields.length > 1) {
    throw new MongoCommandError(27, `There is more than one 2dsphere index on ${collection!.ns}; unsure which to use for $geoNear`);
  }
  return fields[0];
}

/** True when a filter contains $near/$nearSphere anywhere (forbidden in count and $match). */
export function hasNear(filter: Document | undefined): boolean {
  return Boolean(filter) && extractNear(filter as Document).near !== null;
}

function without(filter: Document, fields: string[]): Document {
  if (fields.length === 0) return filter;
  const rest = { ...filter };
  for (const field of fields) delete rest[field];
  return rest;
}

/** A regex condition without state between tests (`g` and `y` move `lastIndex`). */
function isPlainRegex(v: unknown): v is RegExp {
  return v instanceof RegExp && !v.global && !v.sticky;
}

/** One value against a regex condition, as mongod matches it: a string it finds, or an equal regex. */
function regexMatchesValue(value: unknown, regex: RegExp): boolean {
  if (typeof value === 'string') return regex.test(value);
  return value instanceof RegExp && value.source === regex.source && value.flags === regex.flags;
}

/**
 * The test for what the plan left of a filter. Top-level fields compared with a plain regex
 * (the regulator's `regionCode: /^3701/` while an index gives the sort) are tested here, as
 * mongod matches them (the value or one of its elements), because a mingo Query costs
 * microseconds per document; anything else goes to compileFilter.
 */
function compileRemaining(rest: Document): (doc: Document) => boolean {
  const fields = Object.keys(rest);
  const regexOnly = fields.length > 0 && fields.every((f) => !f.startsWith('$') && !f.includes('.') && isPlainRegex(rest[f]));
  if (!regexOnly) return compileFilter(rest);
  const tests = fields.map((field) => {
    const regex = rest[field] as RegExp;
    return (doc: Document) => {
      const value = doc[field];
      return Array.isArray(value) ? value.some((v) => regexMatchesValue(v, regex)) : regexMatchesValue(value, regex);
    };
  });
  return tests.length === 1 ? tests[0] : (doc) => tests.every((test) => test(doc));
}

export interface MatchOptions {
  sort?: Document;
  /** At most this many results: matching stops there when no sort or $near needs them all. */
  limit?: number;
  /** The command's collation (collationFrom), null for binary comparison. */
  collation?: Document | null;
}

/** Matching documents in result order (sorted, or nearest first for $near). */
export function matchingDocuments(collection: Collection | undefined, filter: Document | undefined, options: MatchOptions = {}): Document[] {
  const { near, rest } = filter ? extractNear(filter) : { near: null, rest: {} };
  if (near) requireNearIndex(collection, near.field);
  if (!collection) {
    compileFilter(rest); // an invalid filter is an error even where there is nothing to match
    return [];
  }
  if (options.collation && !near) return matchUnderCollation(collection.docs.values(), rest, { ...options, collation: options.collation });
  const sort = near ? undefined : options.sort;
  const limit = options.limit || Infinity;
  const candidates = candidateDocuments(collection, rest, { sort, limit: options.limit || undefined });
  const matches = compileRemaining(without(rest, candidates.exact));
  const needsAll = Boolean(near) || (Boolean(sort && Object.keys(sort).length) && !candidates.sorted);
  const found: Document[] = [];
  for (const doc of candidates.docs) {
    if (matches(doc)) found.push(doc);
    if (!needsAll && found.length >= limit) break;
  }
  if (near) return applyNear(found, near).map((r) => r.doc);
  return candidates.sorted ? found : sortDocuments(found, sort, limit);
}

/**
 * How many documents match (at most `max`), without collecting them: when the plan answers
 * every condition exactly and knows its size (a range of a non-multikey index), without even
 * walking them.
 */
export function countMatching(collection: Collection | undefined, filter: Document | undefined, max = Infinity): number {
  if (!collection || (filter && hasNear(filter))) return Math.min(matchingDocuments(collection, filter).length, max);
  const candidates = candidateDocuments(collection, filter);
  const rest = without(filter ?? {}, candidates.exact);
  if (Object.keys(rest).length === 0 && candidates.size !== null) return Math.min(candidates.size, max);
  const matches = compileRemaining(rest);
  let n = 0;
  for (const doc of candidates.docs) if (matches(doc) && ++n >= max) break;
  return n;
}
