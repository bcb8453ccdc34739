/**
 * Selecting the documents a filter matches, shared by reads and writes: index lookup, mingo
 * filter, `$near`/`$nearSphere` ordering (which MongoDB allows only with a geo index), sort.
 */
import type { Document } from 'bson';
import { candidateDocuments } from '../plan';
import type { Collection } from '../collection';
import { MongoCommandError } from '../errors';
import { applyNear, extractNear } from '../geo';
import { compileFilter, sortDocuments } from '../query';

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

export interface MatchOptions {
  sort?: Document;
  /** At most this many results: matching stops there when no sort or $near needs them all. */
  limit?: number;
}

/** Matching documents in result order (sorted, or nearest first for $near). */
export function matchingDocuments(collection: Collection | undefined, filter: Document | undefined, options: MatchOptions = {}): Document[] {
  const { near, rest } = filter ? extractNear(filter) : { near: null, rest: {} };
  if (near) requireNearIndex(collection, near.field);
  if (!collection) {
    compileFilter(rest); // an invalid filter is an error even where there is nothing to match
    return [];
  }
  const candidates = candidateDocuments(collection, rest);
  const matches = compileFilter(without(rest, candidates.exact));
  const needsAll = Boolean(near) || Boolean(options.sort && Object.keys(options.sort).length);
  const limit = options.limit || Infinity;
  const found: Document[] = [];
  for (const doc of candidates.docs) {
    if (matches(doc)) found.push(doc);
    if (!needsAll && found.length >= limit) break;
  }
  if (near) return applyNear(found, near).map((r) => r.doc);
  return sortDocuments(found, options.sort, limit);
}
