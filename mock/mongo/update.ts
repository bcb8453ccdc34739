/**
 * Applying an update (operators, replacement or pipeline) to one document, and building the
 * document an upsert inserts. mingo applies the operators; this adds what mongod does around
 * them: `$setOnInsert`, the upsert seed from the filter's equalities, the immutable `_id`.
 */
import type { Document } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import { resolve, setValue } from 'mingo/util';
import { keyString } from './compare';
import { withIdFirst } from './collection';
import { addDecimal, multiplyDecimal } from './decimal';
import { MongoCommandError } from './errors';
import { mingoOptions, runMingoPipeline } from './query';

const UPDATE_OPERATORS = new Set([
  '$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pull', '$pullAll',
  '$addToSet', '$pop', '$currentDate', '$bit', '$setOnInsert',
]);

export type UpdateSpec = Document | Document[];

function isPlainObject(v: unknown): v is Document {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/** Deep copy of the plain parts of a document; BSON values (ObjectId, Date …) are shared, never mutated. */
export function cloneDocument<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneDocument) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (!isPlainObject(value)) return value;
  const out: Document = {};
  for (const [k, v] of Object.entries(value)) out[k] = cloneDocument(v);
  return out as T;
}

export function isOperatorUpdate(u: UpdateSpec): boolean {
  if (Array.isArray(u)) return false;
  const keys = Object.keys(u);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length && operators.length !== keys.length) {
    const plain = keys.find((k) => !k.startsWith('$'));
    throw new MongoCommandError(9, `Unknown modifier: ${plain}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  return operators.length > 0;
}

function validateOperators(u: Document): void {
  for (const op of Object.keys(u)) {
    if (!UPDATE_OPERATORS.has(op)) {
      throw new MongoCommandError(9, `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
  }
}

function validateReplacement(doc: Document): void {
  for (const key of Object.keys(doc)) {
    if (key.startsWith('$')) throw new MongoCommandError(52, `The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document.`);
  }
}

function applyOperators(doc: Document, u: Document, arrayFilters: Document[] | undefined, filter: Document, inserting: boolean): Document {
  validateOperators(u);
  const { $setOnInsert, ...always } = u;
  const requested: Document = inserting && $setOnInsert ? { ...always, $set: { ...(always.$set ?? {}), ...$setOnInsert } } : always;
  const next = cloneDocument(doc);
  const ops = decimalArithmetic(next, assignId(next, requested));
  if (Object.keys(ops).length) {
    startMissingArrays(next, ops);
    try {
      mingoUpdate(next, ops, arrayFilters ?? [], positionalCondition(filter, ops), { queryOptions: mingoOptions() as never });
    } catch (err) {
      if (err instanceof Error && err.message.includes("immutable field '_id'")) throw new MongoCommandError(66, err.message);
      throw err;
    }
  }
  return next;
}

/**
 * `$inc`/`$mul` involving a Decimal128 are computed exactly here and turned into `$set`s;
 * the rest stays for mingo.
 */
function decimalArithmetic(doc: Document, ops: Document): Document {
  const sets: Document = {};
  const remaining: Document = { ...ops };
  for (const [op, combine] of [['$inc', addDecimal], ['$mul', multiplyDecimal]] as const) {
    const fields = ops[op];
    if (!isPlainObject(fields)) continue;
    const kept: Document = {};
    for (const [path, operand] of Object.entries(fields)) {
      const result = path.includes('$') ? null : combine(resolve(doc, path), operand);
      if (result) sets[path] = result;
      else kept[path] = operand;
    }
    if (Object.keys(kept).length) remaining[op] = kept;
    else delete remaining[op];
  }
  if (Object.keys(sets).length === 0) return ops;
  return { ...remaining, $set: { ...(remaining.$set ?? {}), ...sets } };
}

/**
 * `$set: { _id }` is allowed when it keeps the value (mongoose sends whole documents) and gives an
 * upserted document its `_id`; mingo refuses both, so it is handled here and removed from the ops.
 */
function assignId(doc: Document, ops: Document): Document {
  const set = ops.$set;
  if (!isPlainObject(set) || !('_id' in set)) return ops;
  const { _id, ...others } = set;
  if ('_id' in doc && keyString(doc._id) !== keyString(_id)) {
    throw new MongoCommandError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  doc._id = _id;
  const { $set: _replaced, ...otherOps } = ops;
  return Object.keys(others).length ? { ...otherOps, $set: others } : otherOps;
}

/**
 * mingo ignores `$each` modifiers ($sort, duplicates for $addToSet) when the array does not
 * exist yet; MongoDB treats a missing array as empty, so start it as one.
 */
function startMissingArrays(doc: Document, ops: Document): void {
  for (const op of ['$push', '$addToSet']) {
    const fields = ops[op];
    if (!isPlainObject(fields)) continue;
    for (const [path, value] of Object.entries(fields)) {
      if (isPlainObject(value) && '$each' in value && !path.includes('$') && resolve(doc, path) === undefined) setValue(doc, path, []);
    }
  }
}

/** mingo needs the filter only to resolve the positional `$`; pass it only then. */
function positionalCondition(filter: Document, ops: Document): Document | undefined {
  const usesPositional = Object.values(ops).some((fields) => isPlainObject(fields) && Object.keys(fields).some((p) => /\.\$(\.|$)/.test(p)));
  return usesPositional ? filter : undefined;
}

function applyPipeline(doc: Document, pipeline: Document[]): Document {
  const [result] = runMingoPipeline([cloneDocument(doc)], pipeline);
  return result ?? {};
}

/** The document after `u`; `_id` may not change. */
export function applyUpdate(doc: Document, u: UpdateSpec, arrayFilters: Document[] | undefined, filter: Document): Document {
  let next: Document;
  if (Array.isArray(u)) next = applyPipeline(doc, u);
  else if (isOperatorUpdate(u)) next = applyOperators(doc, u, arrayFilters, filter, false);
  else {
    validateReplacement(u);
    next = { _id: doc._id, ...cloneDocument(u) };
  }
  if ('_id' in next && keyString(next._id) !== keyString(doc._id)) {
    throw new MongoCommandError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return withIdFirst({ ...next, _id: doc._id });
}

/** Fields fixed by equality in the filter become the seed of an upserted document. */
function seedFromFilter(filter: Document, seed: Document): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) value.forEach((part) => seedFromFilter(part as Document, seed));
    if (key.startsWith('$')) continue;
    if (isPlainObject(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === '$eq') setValue(seed, key, cloneDocument(value.$eq));
      else if (!keys.some((k) => k.startsWith('$'))) setValue(seed, key, cloneDocument(value));
      continue;
    }
    if (value instanceof RegExp) continue;
    setValue(seed, key, cloneDocument(value));
  }
}

/** The document an upsert inserts when nothing matched. */
export function buildUpsert(filter: Document, u: UpdateSpec, arrayFilters: Document[] | undefined): Document {
  if (Array.isArray(u)) {
    const seed: Document = {};
    seedFromFilter(filter, seed);
    return withIdFirst(applyPipeline(seed, u));
  }
  if (!isOperatorUpdate(u)) {
    validateReplacement(u);
    const id = filter._id !== undefined && !isPlainObject(filter._id) ? { _id: filter._id } : {};
    return withIdFirst({ ...id, ...cloneDocument(u) });
  }
  const seed: Document = {};
  seedFromFilter(filter, seed);
  return withIdFirst(applyOperators(seed, u, arrayFilters, filter, true));
}
