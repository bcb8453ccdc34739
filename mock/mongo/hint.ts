/**
 * `hint`: the index a query must use, by name or key pattern, or `{ $natural: ±1 }`. mongod
 * returns an index scan's documents in that index's order, so a hinted query without a sort
 * is answered in key order (equal keys in insertion order, as record ids break ties); a hint
 * naming no index of the collection is the planner's BadValue.
 */
import type { Document } from 'bson';
import type { Collection } from './collection';
import { keyString } from './compare';
import { MongoCommandError } from './errors';

const NO_SUCH_INDEX = 'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index';

/** Index kinds whose key order is not the values' order (it is a hash, a cell, or text). */
const UNORDERED_KINDS = new Set(['hashed', '2dsphere', '2d', 'text']);

function isEmptyHint(hint: unknown): boolean {
  if (hint === undefined || hint === null || hint === '') return true;
  return typeof hint === 'object' && Object.keys(hint as Document).length === 0;
}

function hintedKey(collection: Collection, hint: unknown): Document | undefined {
  const specs = collection.indexSpecs();
  if (typeof hint === 'string') return specs.find((spec) => spec.name === hint)?.key as Document | undefined;
  if (typeof hint !== 'object') throw new MongoCommandError(2, 'hint must be a string or an object');
  const wanted = keyString(hint);
  return specs.find((spec) => keyString(spec.key) === wanted)?.key as Document | undefined;
}

/**
 * The order a hinted query returns documents in, as a sort spec (undefined: natural order or
 * no hint); throws when the hint names no index of the collection. A missing collection
 * accepts any hint, as mongod answers it with an empty plan.
 */
export function hintOrder(collection: Collection | undefined, hint: unknown): Document | undefined {
  if (isEmptyHint(hint) || !collection) return undefined;
  if (typeof hint === 'object' && '$natural' in (hint as Document)) {
    return Number((hint as Document).$natural) < 0 ? { $natural: -1 } : undefined;
  }
  const key = hintedKey(collection, hint);
  if (!key) throw new MongoCommandError(2, NO_SUCH_INDEX);
  if (Object.values(key).some((kind) => UNORDERED_KINDS.has(String(kind)))) return undefined;
  return key;
}
