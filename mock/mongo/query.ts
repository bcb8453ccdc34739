/**
 * Filters, sorting and projection. Matching runs on mingo, with the comparison operators replaced
 * by ones that follow MongoDB's type bracketing and numeric equality across BSON number types
 * (mingo compares Long and Decimal128 as strings and ObjectIds by class name).
 */
import type { Document } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import { Context } from 'mingo';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { Options, QueryOperator } from 'mingo/types';
import { normalize, resolve } from 'mingo/util';
import { compareValues, typeRank, valuesEqual } from './compare';
import { badValue } from './errors';
import { geoIntersects, geoWithin } from './geo';

type Predicate = (value: unknown, operand: unknown) => boolean;

/** The values a path comparison is tried against: the value itself and, for arrays, each element. */
function candidates(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [value];
  const flat: unknown[] = [value];
  for (const item of value) {
    flat.push(item);
    if (Array.isArray(item)) flat.push(...item);
  }
  return flat;
}

function equalsOperand(value: unknown, operand: unknown): boolean {
  if (operand instanceof RegExp) return candidates(value).some((v) => typeof v === 'string' && operand.test(v));
  return candidates(value).some((v) => valuesEqual(v, operand));
}

function ordered(test: (cmp: number) => boolean): Predicate {
  return (value, operand) =>
    candidates(value).some((v) => typeRank(v) === typeRank(operand) && test(compareValues(v, operand)));
}

function inList(value: unknown, operand: unknown): boolean {
  if (!Array.isArray(operand)) throw badValue('$in needs an array');
  return operand.some((item) => equalsOperand(value, item));
}

const TYPE_NUMBERS: Record<string, number> = {
  double: 1, string: 2, object: 3, array: 4, binData: 5, undefined: 6, objectId: 7, bool: 8, date: 9, null: 10,
  regex: 11, javascript: 13, int: 16, timestamp: 17, long: 18, decimal: 19, minKey: -1, maxKey: 127,
};

/** The BSON type number of a stored value (JS numbers: int when they fit Int32, else double). */
function bsonTypeNumber(v: unknown): number {
  if (v === null) return 10;
  if (v === undefined) return 6;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 0x7fffffff ? 16 : 1;
  if (typeof v === 'string') return 2;
  if (typeof v === 'boolean') return 8;
  if (Array.isArray(v)) return 4;
  if (v instanceof Date) return 9;
  if (v instanceof RegExp) return 11;
  const bson = (v as { _bsontype?: string })._bsontype;
  const byName: Record<string, number> = { ObjectId: 7, Long: 18, Decimal128: 19, Int32: 16, Double: 1, Binary: 5, Timestamp: 17, Code: 13, MinKey: -1, MaxKey: 127, BSONRegExp: 11 };
  return bson && bson in byName ? byName[bson] : 3;
}

function typeMatches(v: unknown, wanted: unknown): boolean {
  if (v === undefined) return false;
  if (wanted === 'number') return [1, 16, 18, 19].includes(bsonTypeNumber(v));
  const number = typeof wanted === 'string' ? TYPE_NUMBERS[wanted] : Number(wanted);
  if (number === undefined || Number.isNaN(number)) throw badValue(`Unknown type name alias: ${String(wanted)}`);
  return bsonTypeNumber(v) === number;
}

/** `$type` as in MongoDB: an array field matches 'array' itself and any type among its elements. */
function hasType(value: unknown, operand: unknown): boolean {
  const wanted = Array.isArray(operand) ? operand : [operand];
  const values = Array.isArray(value) ? [value, ...value] : [value];
  return values.some((v) => wanted.some((w) => typeMatches(v, w)));
}

const PREDICATES: Record<string, Predicate> = {
  $type: hasType,
  $eq: equalsOperand,
  $ne: (v, o) => !equalsOperand(v, o),
  $gt: ordered((c) => c > 0),
  $gte: ordered((c) => c >= 0),
  $lt: ordered((c) => c < 0),
  $lte: ordered((c) => c <= 0),
  $in: inList,
  $nin: (v, o) => !inList(v, o),
};

/**
 * True when a dotted path is missing somewhere below an array: `{ 'a.b': null }` matches
 * `{ a: [{ b: 1 }, {}] }` in MongoDB, but resolving the path drops the missing branch.
 */
function missingBelowArray(value: unknown, path: string[], underArray: boolean): boolean {
  if (path.length === 0) return false;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(path[0])) return missingBelowArray(value[Number(path[0])], path.slice(1), true);
    return value.some((item) => missingBelowArray(item, path, true));
  }
  if (value === null || typeof value !== 'object' || !(path[0] in (value as Document))) return underArray;
  return missingBelowArray((value as Document)[path[0]], path.slice(1), underArray);
}

type DocumentTest = (doc: Document) => boolean;
type FieldOperator = (selector: string, operand: unknown) => DocumentTest;

/** The value a comparison sees; a null operand also counts branches where the path is missing. */
function fieldOperator(predicate: Predicate): FieldOperator {
  return (selector, operand) => {
    const path = selector.split('.');
    const nullAware = path.length > 1 && (operand === null || (Array.isArray(operand) && operand.includes(null)));
    return (doc: Document) => {
      const value = resolve(doc, selector, { unwrapArray: true });
      if (nullAware && missingBelowArray(doc, path, false)) return predicate(Array.isArray(value) ? [...value, null] : [value, null], operand);
      return predicate(value, operand);
    };
  };
}

/** Our comparison operators, as mingo calls them and as compileSimple calls them directly. */
const FIELD_OPERATORS = new Map(Object.entries(PREDICATES).map(([name, p]) => [name, fieldOperator(p)]));

/** Geo operators see the field as stored (a GeoJSON point, a legacy pair, or an array of them). */
function asGeoOperator(test: (value: unknown, operand: Document) => boolean): QueryOperator {
  return ((selector: string, operand: Document) => (doc: Document) => test(resolve(doc, selector), operand)) as unknown as QueryOperator;
}

/**
 * All of mingo's operators with ours in place of its comparisons. Built by hand because mingo's
 * preloaded classes merge a custom context *under* their defaults, so overrides would not apply.
 */
const CONTEXT = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: pipelineOperators,
  projection: projectionOperators,
  window: windowOperators,
  query: {
    ...queryOperators,
    ...(Object.fromEntries(FIELD_OPERATORS) as unknown as Record<string, QueryOperator>),
    $geoWithin: asGeoOperator(geoWithin),
    $geoIntersects: asGeoOperator(geoIntersects),
  },
});

export function mingoOptions(extra: Partial<Options> = {}): Partial<Options> {
  return { ...extra, context: CONTEXT };
}

/** Runs an aggregation pipeline through mingo with our operators. */
export function runMingoPipeline(docs: Document[], pipeline: Document[], extra: Partial<Options> = {}): Document[] {
  return new Aggregator(pipeline, mingoOptions(extra)).run(docs) as Document[];
}

/** Compiles a filter once; the returned function tests one document. */
export function compileFilter(filter: Document | undefined): DocumentTest {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  const condition = stripComment(filter);
  const tests = compileSimple(condition);
  if (tests) return tests.length === 1 ? tests[0] : (doc) => tests.every((test) => test(doc));
  const query = new Query(condition, mingoOptions());
  return (doc) => query.test(doc);
}

/**
 * A filter of plain fields compared only by our own operators (`{code: 'x'}`, `{n: {$gte: 1,
 * $lt: 9}}`), compiled the way mingo compiles it (its `normalize`, then one test per operator,
 * all of which must pass) but without constructing a mingo Query, whose options copy every
 * operator table: tens of microseconds on each indexed findOne. Null for anything else
 * (`$and`, `$regex`, `$exists`, `$elemMatch` ...), which mingo compiles.
 */
function compileSimple(filter: Document): DocumentTest[] | null {
  const tests: DocumentTest[] = [];
  for (const field of Object.keys(filter)) {
    if (field.startsWith('$')) return null;
    const normalized = normalize(filter[field]) as Document;
    for (const operator of Object.keys(normalized)) {
      const compile = FIELD_OPERATORS.get(operator);
      if (!compile) return null;
      tests.push(compile(field, normalized[operator]));
    }
  }
  return tests;
}

function stripComment(filter: Document): Document {
  if (!('$comment' in filter)) return filter;
  const { $comment: _ignored, ...rest } = filter;
  return rest;
}

/** The value a sort key sees: arrays sort by their smallest element ascending, largest descending. */
function sortKey(doc: Document, path: string, direction: number): unknown {
  const value = resolve(doc, path, { unwrapArray: true });
  if (!Array.isArray(value)) return value;
  if (value.length === 0) return undefined;
  return value.reduce((best, v) => (compareValues(v, best) * direction < 0 ? v : best));
}

/** Above this limit a full sort beats keeping the best rows in order by insertion. */
const MAX_TOP_K = 256;

interface SortRow<T> {
  doc: T;
  keys: unknown[];
}

/**
 * Sorts a copy of `docs` by a MongoDB sort spec ({ field: 1 | -1 }). With `limit`, only the
 * first `limit` documents of that order are returned (equal keys keep their input order, as in
 * the full stable sort).
 */
export function sortDocuments<T extends Document>(docs: T[], sort: Document | undefined, limit = Infinity): T[] {
  const keys = Object.entries(sort ?? {}).filter(([k, d]) => k !== '$natural' && typeof d !== 'object');
  if (keys.length === 0) return sort && sort.$natural === -1 ? [...docs].reverse() : docs;
  const directions = keys.map(([, dir]) => (Number(dir) < 0 ? -1 : 1));
  const rows = docs.map((doc) => ({ doc, keys: keys.map(([path], i) => sortKey(doc, path, directions[i])) }));
  const order = (a: SortRow<T>, b: SortRow<T>) => {
    for (let i = 0; i < directions.length; i++) {
      const c = compareValues(a.keys[i], b.keys[i]);
      if (c) return c * directions[i];
    }
    return 0;
  };
  const sorted = limit >= 1 && limit <= MAX_TOP_K && limit < rows.length ? firstInOrder(rows, order, limit) : rows.sort(order);
  return sorted.map((r) => r.doc);
}

/** The first `limit` rows in `order`, by binary insertion into a short sorted list. */
function firstInOrder<R>(rows: R[], order: (a: R, b: R) => number, limit: number): R[] {
  const best: R[] = [];
  for (const row of rows) {
    if (best.length === limit && order(row, best[limit - 1]) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(row, best[mid]) < 0) hi = mid;
      else lo = mid + 1;
    }
    best.splice(lo, 0, row);
    if (best.length > limit) best.pop();
  }
  return best;
}

/** Applies a find projection through mingo, keeping the stored document's field order. */
export function projectDocuments(docs: Document[], projection: Document | undefined, filter?: Document): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  const query = new Query(filter && hasPositional(projection) ? filter : {}, mingoOptions());
  const projected = query.find(docs, projection).all() as Document[];
  return projected.map((p, i) => inDocumentOrder(p, docs[i]));
}

function hasPositional(projection: Document): boolean {
  return Object.keys(projection).some((k) => k.endsWith('.$'));
}

function inDocumentOrder(projected: Document, original: Document): Document {
  const out: Document = {};
  for (const key of Object.keys(original)) if (key in projected) out[key] = projected[key];
  for (const key of Object.keys(projected)) if (!(key in out)) out[key] = projected[key];
  return out;
}
