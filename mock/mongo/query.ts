/**
 * Filters, sorting and projection. Matching runs on mingo, with the comparison operators replaced
 * by ones that follow MongoDB's type bracketing and numeric equality across BSON number types
 * (mingo compares Long and Decimal128 as strings and ObjectIds by class name), and that compare
 * strings under the command's collation (collation.ts) when it has one.
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
import { compareUnder, type Compare } from './collation';
import { compareValues, typeRank } from './compare';
import { badValue } from './errors';
import { geoIntersects, geoWithin } from './geo';
import { exprWithPlainNumbers } from './numbers';
import { $dateAdd, $dateSubtract, $dateTrunc } from './dates';

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

/** Equality of a field's value (or an element of it) and an operand, strings compared by `compare`. */
function equalsUnder(compare: Compare): Predicate {
  return (value, operand) => {
    if (operand instanceof RegExp) return candidates(value).some((v) => typeof v === 'string' && operand.test(v));
    return candidates(value).some((v) => compare(v, operand) === 0);
  };
}

function ordered(compare: Compare, test: (cmp: number) => boolean): Predicate {
  return (value, operand) =>
    candidates(value).some((v) => typeRank(v) === typeRank(operand) && test(compare(v, operand)));
}

function inListUnder(equals: Predicate): Predicate {
  return (value, operand) => {
    if (!Array.isArray(operand)) throw badValue('$in needs an array');
    return operand.some((item) => equals(value, item));
  };
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

/** The comparison operators with strings ordered by `compare` (a collation's, or binary). */
function predicatesUnder(compare: Compare): Record<string, Predicate> {
  const equals = equalsUnder(compare);
  const inList = inListUnder(equals);
  return {
    $type: hasType,
    $eq: equals,
    $ne: (v, o) => !equals(v, o),
    $gt: ordered(compare, (c) => c > 0),
    $gte: ordered(compare, (c) => c >= 0),
    $lt: ordered(compare, (c) => c < 0),
    $lte: ordered(compare, (c) => c <= 0),
    $in: inList,
    $nin: (v, o) => !inList(v, o),
  };
}

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

function isElemMatch(v: unknown): boolean {
  return v !== null && typeof v === 'object' && '$elemMatch' in (v as Document);
}

/** Geo operators see the field as stored (a GeoJSON point, a legacy pair, or an array of them). */
function asGeoOperator(test: (value: unknown, operand: Document) => boolean): QueryOperator {
  return ((selector: string, operand: Document) => (doc: Document) => test(resolve(doc, selector), operand)) as unknown as QueryOperator;
}

/** Our field operators and a mingo context using them, for one string order. */
interface Matcher {
  fieldOperators: Map<string, FieldOperator>;
  context: Context;
}

/**
 * `$all` is an `$and` of equalities (or `$elemMatch`es) on the field, so a field that is not an
 * array matches when it equals the only value: `{a: 'x'}` matches `{a: {$all: ['x']}}`.
 */
function allOperator(equals: Predicate, compile: (filter: Document) => DocumentTest): FieldOperator {
  return (selector, operand) => {
    if (!Array.isArray(operand)) throw badValue('$all needs an array');
    if (operand.length === 0) return () => false;
    const tests = operand.map((item) => (isElemMatch(item) ? compile({ [selector]: item }) : fieldOperator(equals)(selector, item)));
    return (doc) => tests.every((test) => test(doc));
  };
}

const LOGICAL = new Set(['$and', '$or', '$nor']);

function isDocumentOrArray(v: unknown): boolean {
  return Array.isArray(v) || (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype);
}

/**
 * `$elemMatch`: criteria made only of operators (`{$gte: 3, $lt: 5}`) test each element itself;
 * any other criteria are a query that only a document (or array) element can match, as in
 * mongod (`{t: 'x'}` never matches the string element 'x', which mingo lets through).
 */
function elemMatchOperator(compile: (filter: Document) => DocumentTest): FieldOperator {
  return (selector, criteria) => {
    if (criteria === null || typeof criteria !== 'object' || Array.isArray(criteria)) throw badValue('$elemMatch needs an Object');
    const keys = Object.keys(criteria as Document);
    const onValue = keys.length > 0 && keys.every((k) => k.startsWith('$') && !LOGICAL.has(k));
    const query = compile(onValue ? { value: criteria } : (criteria as Document));
    const matches = onValue
      ? (element: unknown) => query({ value: element })
      : (element: unknown) => isDocumentOrArray(element) && query(element as Document);
    return (doc) => {
      const value = resolve(doc, selector, { unwrapArray: true });
      return Array.isArray(value) && value.some(matches);
    };
  };
}

/**
 * All of mingo's operators with ours in place of its comparisons. Built by hand because mingo's
 * preloaded classes merge a custom context *under* their defaults, so overrides would not apply.
 */
function buildMatcher(compare: Compare): Matcher {
  const predicates = predicatesUnder(compare);
  const fieldOperators = new Map<string, FieldOperator>(Object.entries(predicates).map(([name, p]) => [name, fieldOperator(p)]));
  const compile = (filter: Document) => compileWith(matcher, filter);
  fieldOperators.set('$all', allOperator(predicates.$eq, compile));
  fieldOperators.set('$elemMatch', elemMatchOperator(compile));
  const matcher: Matcher = {
    fieldOperators,
    context: Context.init({
      accumulator: accumulatorOperators,
      expression: { ...expressionOperators, $dateAdd, $dateSubtract, $dateTrunc },
      pipeline: pipelineOperators,
      projection: projectionOperators,
      window: windowOperators,
      query: {
        ...queryOperators,
        ...(Object.fromEntries(fieldOperators) as unknown as Record<string, QueryOperator>),
        $geoWithin: asGeoOperator(geoWithin),
        $geoIntersects: asGeoOperator(geoIntersects),
        $expr: exprWithPlainNumbers,
      },
    }),
  };
  return matcher;
}

const BINARY = buildMatcher(compareValues);
const COLLATED = new Map<Compare, Matcher>();

function matcherUnder(compare: Compare): Matcher {
  if (compare === compareValues) return BINARY;
  let matcher = COLLATED.get(compare);
  if (!matcher) {
    matcher = buildMatcher(compare);
    COLLATED.set(compare, matcher);
  }
  return matcher;
}

export function mingoOptions(extra: Partial<Options> = {}): Partial<Options> {
  return { ...extra, context: BINARY.context };
}

/** Runs an aggregation pipeline through mingo with our operators. */
export function runMingoPipeline(docs: Document[], pipeline: Document[], extra: Partial<Options> = {}): Document[] {
  return new Aggregator(pipeline, mingoOptions(extra)).run(docs) as Document[];
}

export interface FilterOptions {
  /** The command's collation (null or absent: binary string comparison). */
  collation?: Document | null;
}

/** Compiles a filter once; the returned function tests one document. */
export function compileFilter(filter: Document | undefined, options: FilterOptions = {}): DocumentTest {
  return compileWith(matcherUnder(compareUnder(options.collation)), filter);
}

function compileWith(matcher: Matcher, filter: Document | undefined): DocumentTest {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  const condition = stripComment(filter);
  const tests = compileSimple(condition, matcher.fieldOperators);
  if (tests) return tests.length === 1 ? tests[0] : (doc) => tests.every((test) => test(doc));
  const query = new Query(condition, { context: matcher.context });
  return (doc) => query.test(doc);
}

/**
 * A filter of plain fields compared only by our own operators (`{code: 'x'}`, `{n: {$gte: 1,
 * $lt: 9}}`), compiled the way mingo compiles it (its `normalize`, then one test per operator,
 * all of which must pass) but without constructing a mingo Query, whose options copy every
 * operator table: tens of microseconds on each indexed findOne. Null for anything else
 * (`$and`, `$regex`, `$exists`, `$elemMatch` ...), which mingo compiles.
 */
function compileSimple(filter: Document, fieldOperators: Map<string, FieldOperator>): DocumentTest[] | null {
  const tests: DocumentTest[] = [];
  for (const field of Object.keys(filter)) {
    if (field.startsWith('$')) return null;
    const normalized = normalize(filter[field]) as Document;
    for (const operator of Object.keys(normalized)) {
      const compile = fieldOperators.get(operator);
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
function sortKey(doc: Document, path: string, direction: number, compare: Compare): unknown {
  const value = resolve(doc, path, { unwrapArray: true });
  if (!Array.isArray(value)) return value;
  if (value.length === 0) return undefined;
  return value.reduce((best, v) => (compare(v, best) * direction < 0 ? v : best));
}

/**
 * The documents matching a filter under a collation, in sort order. Indexes hold binary keys,
 * so under a collation they cannot narrow string conditions: every document is tested.
 */
export function matchUnderCollation(docs: Iterable<Document>, filter: Document, options: { sort?: Document; limit?: number; collation: Document }): Document[] {
  const matches = compileFilter(filter, { collation: options.collation });
  const limit = options.limit || Infinity;
  const sorting = Boolean(options.sort && Object.keys(options.sort).length);
  const found: Document[] = [];
  for (const doc of docs) {
    if (matches(doc)) found.push(doc);
    if (!sorting && found.length >= limit) break;
  }
  return sortDocuments(found, options.sort, limit, compareUnder(options.collation));
}

/** Above this limit a full sort beats keeping the best rows in order by insertion. */
const MAX_TOP_K = 256;

interface SortRow<T> {
  doc: T;
  keys: unknown[];
}

/**
 * Sorts a copy of `docs` by a MongoDB sort spec ({ field: 1 | -1 }), values ordered by `compare`
 * (a collation's, or binary). With `limit`, only the
 * first `limit` documents of that order are returned (equal keys keep their input order, as in
 * the full stable sort).
 */
export function sortDocuments<T extends Document>(docs: T[], sort: Document | undefined, limit = Infinity, compare: Compare = compareValues): T[] {
  const keys = Object.entries(sort ?? {}).filter(([k, d]) => k !== '$natural' && typeof d !== 'object');
  if (keys.length === 0) return sort && sort.$natural === -1 ? [...docs].reverse() : docs;
  const directions = keys.map(([, dir]) => (Number(dir) < 0 ? -1 : 1));
  const rows = docs.map((doc) => ({ doc, keys: keys.map(([path], i) => sortKey(doc, path, directions[i], compare)) }));
  const order = (a: SortRow<T>, b: SortRow<T>) => {
    for (let i = 0; i < directions.length; i++) {
      const c = compare(a.keys[i], b.keys[i]);
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
  const { slices, rest } = splitSlices(projection);
  if (slices.length === 0) return projectThroughMingo(docs, projection, filter);
  const including = isInclusion(rest);
  const shape = including ? { ...rest, ...Object.fromEntries(slices.map(([path]) => [path, 1])) } : rest;
  const shaped = Object.keys(shape).length ? projectThroughMingo(docs, shape, filter) : docs;
  return shaped.map((doc) => slices.reduce((out, [path, spec]) => sliceAt(out, path.split('.'), spec), doc));
}

function projectThroughMingo(docs: Document[], projection: Document, filter?: Document): Document[] {
  const query = new Query(filter && hasPositional(projection) ? filter : {}, mingoOptions());
  const projected = query.find(docs, projection).all() as Document[];
  return projected.map((p, i) => inDocumentOrder(p, docs[i]));
}

function isSlice(value: unknown): value is { $slice: unknown } {
  return value !== null && typeof value === 'object' && Object.keys(value as Document).length === 1 && '$slice' in (value as Document);
}

/** `$slice` fields apart: on their own they exclude nothing (mongod keeps every other field). */
function splitSlices(projection: Document): { slices: Array<[string, unknown]>; rest: Document } {
  const slices: Array<[string, unknown]> = [];
  const rest: Document = {};
  for (const [path, value] of Object.entries(projection)) {
    if (isSlice(value)) slices.push([path, value.$slice]);
    else rest[path] = value;
  }
  return { slices, rest };
}

/** True when a projection names fields to keep (anything but `_id` set to other than 0/false). */
function isInclusion(projection: Document): boolean {
  return Object.entries(projection).some(([path, v]) => path !== '_id' && v !== 0 && v !== false);
}

function sliceArray(array: unknown[], spec: unknown): unknown[] {
  if (Array.isArray(spec)) {
    const [skip, limit] = spec.map(Number);
    if (!(limit > 0)) throw badValue('$slice limit must be positive');
    const start = skip < 0 ? Math.max(0, array.length + skip) : skip;
    return array.slice(start, start + limit);
  }
  const n = Number(spec);
  if (!Number.isInteger(n)) throw badValue('$slice only supports numbers and [skip, limit] arrays');
  return n >= 0 ? array.slice(0, n) : array.slice(Math.max(0, array.length + n));
}

/** A copy of `doc` with the array at the path sliced (through arrays of documents too). */
function sliceAt(doc: Document, parts: string[], spec: unknown): Document {
  const [head, ...rest] = parts;
  if (!(head in doc)) return doc;
  const value = doc[head];
  const sliceIn = (v: unknown): unknown => (v !== null && typeof v === 'object' && !Array.isArray(v) ? sliceAt(v as Document, rest, spec) : v);
  if (rest.length === 0) return Array.isArray(value) ? { ...doc, [head]: sliceArray(value, spec) } : doc;
  if (Array.isArray(value)) return { ...doc, [head]: value.map(sliceIn) };
  return { ...doc, [head]: sliceIn(value) };
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
