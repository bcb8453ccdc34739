/**
 * Choosing candidate documents for a filter without scanning, as MongoDB's planner would:
 *  - `_id` equality or `$in` goes to the document map; `_id` ranges and sorts walk the `_id_` index;
 *  - equality or `$in` on a leading part of a keyed index's fields (a prefix: `{a, b}` of
 *    `{a: 1, b: 1, c: -1}`) reads the runs of that index holding those values;
 *  - an equality prefix followed by a range on the next field (`$gt`/`$gte`/`$lt`/`$lte`, or a
 *    regex anchored at the start: /^abc/ is the range of strings starting "abc") walks that
 *    part of the index in key order, with mongod's type bracketing (`$gt: 5` stays among numbers);
 *  - a sort an index gives (its fields after an equality prefix, all in its directions or all
 *    reversed; not multikey) walks the index in order, so a sorted find with a limit stops early;
 *  - a top-level `$and` uses its most selective clause, a top-level `$or` whose branches can all
 *    be planned the union of the branches.
 * Among the candidates the smallest wins; a walk in sort order wins when the limit makes it
 * cheaper than sorting the smallest. Otherwise every document is a candidate. Callers apply the
 * filter to the candidates, except for the conditions a plan answers exactly (`exact`).
 */
import type { Document } from 'bson';
import { setValue } from 'mingo/util';
import type { Collection } from './collection';
import { keyString, stringKeyPrefix, typeBracket } from './compare';
import type { Holders, Index, IndexRange } from './indexes';

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
function partialIndexCovers(index: Index, combos: unknown[][], filter: Document): boolean {
  const partial = index.spec.partialFilterExpression as Document | undefined;
  if (!partial || statesPartialFilter(partial, filter)) return true;
  const prefix = index.fields.slice(0, combos[0]?.length ?? 0);
  if (!Object.keys(partial).every((k) => prefix.includes(k))) return false;
  return combos.every((values) => {
    const probe: Document = {};
    prefix.forEach((f, i) => setValue(probe, f, values[i]));
    return index.covers(probe);
  });
}

/**
 * True when the query repeats each condition of a partial index's filter word for word (as
 * mongod's planner asks before using a partial index): every match is then in the index.
 */
function statesPartialFilter(partial: Document, filter: Document): boolean {
  return Object.keys(partial).every((k) => {
    const stated = conditionOn(filter, k);
    return !k.startsWith('$') && stated !== undefined && keyString(stated) === keyString(partial[k]);
  });
}

/** Documents by `_id` key: a hash map's holders, or an index walk. */
type Source = Iterable<[string, Document]>;

/**
 * Candidates as sources of documents by id, how many entries they hold in all, the filter
 * fields every candidate is known to satisfy (see candidateDocuments), whether a document may
 * come more than once (overlapping sources, a multikey walk), and whether they come in the
 * requested sort order.
 */
interface Candidates {
  sources: Source[];
  size: number;
  exact: string[];
  repeats: boolean;
  sorted: boolean;
}

function fromHolders(sets: Holders[], exact: string[] = []): Candidates {
  return { sources: sets, size: sets.reduce((n, set) => n + set.size, 0), exact, repeats: sets.length > 1, sorted: false };
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
  return fromHolders([found], ['_id']);
}

/** Only a top-level, undotted field's condition may be skipped: dotted paths have subtler matching. */
function exactFields(fields: string[]): string[] {
  return fields.filter((f) => !f.includes('.'));
}

/** Equality or `$in` on a prefix of the fields: one run of the index per combination of values. */
function byEquality(index: Index, filter: Document): Candidates | null {
  const lists = prefixValues(index, filter);
  if (!lists) return null;
  const combos = combinations(lists);
  if (!partialIndexCovers(index, combos, filter)) return null;
  const prefixes = new Map(combos.map((values) => [values.map(keyString).join(''), values.map(keyString)]));
  const ranges = [...prefixes.values()].map((prefix): IndexRange => ({ prefix }));
  return {
    sources: [walkDocuments(index, ranges, false)],
    size: ranges.reduce((n, range) => n + index.rangeSize(range), 0),
    exact: exactFields(index.fields.slice(0, lists.length)),
    repeats: index.multikey,
    sorted: false,
  };
}

type KeyBound = { key: string; inclusive: boolean };

/** A condition on one field as intervals of key strings (in value order), or null. */
interface FieldIntervals {
  intervals: Array<{ lower: KeyBound; upper: KeyBound }>;
  /** True when an entry lies in an interval exactly when its value meets the whole condition. */
  exact: boolean;
}

const RANGE_OPERATORS = ['$gt', '$gte', '$lt', '$lte', '$eq'];

/** An operand a range can be built on: one type bracket, compared by value. */
function rangeOperand(v: unknown): boolean {
  if (v === null || v === undefined || Array.isArray(v) || v instanceof RegExp || Number.isNaN(v)) return false;
  const type = (v as { _bsontype?: string })._bsontype;
  return type !== 'BSONRegExp' && type !== 'MinKey' && type !== 'MaxKey' && !(isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$')));
}

/** The interval of values one comparison allows, within the operand's type bracket. */
function operatorInterval(operator: string, operand: unknown): { lower: KeyBound; upper: KeyBound } {
  const key = keyString(operand);
  const bracket = typeBracket(operand);
  const typeStart = { key: bracket.lower, inclusive: true };
  const typeEnd = { key: bracket.upper, inclusive: false };
  switch (operator) {
    case '$gt':
      return { lower: { key, inclusive: false }, upper: typeEnd };
    case '$gte':
      return { lower: { key, inclusive: true }, upper: typeEnd };
    case '$lt':
      return { lower: typeStart, upper: { key, inclusive: false } };
    case '$lte':
      return { lower: typeStart, upper: { key, inclusive: true } };
    default:
      return { lower: { key, inclusive: true }, upper: { key, inclusive: true } };
  }
}

function tighterLower(a: KeyBound, b: KeyBound): KeyBound {
  if (a.key !== b.key) return a.key > b.key ? a : b;
  return a.inclusive ? b : a;
}

function tighterUpper(a: KeyBound, b: KeyBound): KeyBound {
  if (a.key !== b.key) return a.key < b.key ? a : b;
  return a.inclusive ? b : a;
}

/**
 * `{$gt: 1, $lt: 9}` as one interval. On a multikey index only one comparison is used (a
 * document `[0, 20]` meets both without any element between them), as mongod does.
 */
function comparisonIntervals(condition: Document, multikey: boolean): FieldIntervals | null {
  const keys = Object.keys(condition);
  const usable = keys.filter((k) => RANGE_OPERATORS.includes(k) && rangeOperand(condition[k]));
  if (usable.length === 0) return null;
  const used = multikey ? usable.slice(0, 1) : usable;
  let { lower, upper } = operatorInterval(used[0], condition[used[0]]);
  for (const operator of used.slice(1)) {
    const next = operatorInterval(operator, condition[operator]);
    lower = tighterLower(lower, next.lower);
    upper = tighterUpper(upper, next.upper);
  }
  return { intervals: [{ lower, upper }], exact: used.length === keys.length };
}

/** Characters that end the literal start of a regex pattern. */
const REGEX_SYNTAX = new Set(['.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\']);
const QUANTIFIERS = new Set(['*', '+', '?', '{']);

/**
 * The literal text every match of an anchored pattern starts with (`^abc` → "abc"), and whether
 * the pattern is nothing more than that. Null when the pattern is not anchored, has an
 * alternation (`^a|b` matches "b" anywhere) or flags that change `^` or letters (i, m, x).
 */
function regexPrefix(pattern: string, flags: string): { prefix: string; whole: boolean } | null {
  if (!pattern.startsWith('^') || /[imx]/.test(flags) || pattern.includes('|')) return null;
  let prefix = '';
  let i = 1;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length && !/[0-9A-Za-z]/.test(pattern[i + 1])) {
      if (QUANTIFIERS.has(pattern[i + 2])) break;
      prefix += pattern[i + 1];
      i += 2;
      continue;
    }
    if (REGEX_SYNTAX.has(c)) break;
    if (QUANTIFIERS.has(pattern[i + 1])) break;
    prefix += c;
    i++;
  }
  return { prefix, whole: i === pattern.length && flags === '' };
}

/** Pattern and flags of a regex condition (`/x/`, `{$regex, $options}`), or null. */
function regexCondition(condition: unknown): { pattern: string; flags: string } | null {
  if (condition instanceof RegExp) return { pattern: condition.source, flags: condition.flags };
  if (!isPlainObject(condition) || !('$regex' in condition)) return null;
  if (Object.keys(condition).some((k) => k !== '$regex' && k !== '$options')) return null;
  const regex = condition.$regex;
  const options = typeof condition.$options === 'string' ? condition.$options : '';
  if (regex instanceof RegExp) return { pattern: regex.source, flags: regex.flags + options };
  return typeof regex === 'string' ? { pattern: regex, flags: options } : null;
}

/** The first key string after every key that starts with `prefix`. */
function prefixEnd(prefix: string): string {
  let end = prefix;
  while (end.endsWith('\uffff')) end = end.slice(0, -1);
  return end.slice(0, -1) + String.fromCharCode(end.charCodeAt(end.length - 1) + 1);
}

/**
 * /^abc/ as the strings starting "abc", plus the regex values equal to it (a regex condition
 * also matches a stored regex with the same pattern and flags).
 */
function regexIntervals(condition: unknown): FieldIntervals | null {
  const regex = regexCondition(condition);
  if (!regex) return null;
  const literal = regexPrefix(regex.pattern, regex.flags);
  if (!literal) return null;
  const start = stringKeyPrefix(literal.prefix);
  const strings = { lower: { key: start, inclusive: true }, upper: { key: prefixEnd(start), inclusive: false } };
  const stored = storedRegexKey(regex.pattern, regex.flags);
  if (stored === null) return { intervals: [strings], exact: false };
  const asRegex = { key: stored, inclusive: true };
  return { intervals: [strings, { lower: asRegex, upper: asRegex }], exact: literal.whole };
}

/** The key of a stored regex equal to the condition's, or null when JavaScript cannot build it. */
function storedRegexKey(pattern: string, flags: string): string | null {
  try {
    return keyString(new RegExp(pattern, flags));
  } catch {
    return null;
  }
}

function fieldIntervals(condition: unknown, multikey: boolean): FieldIntervals | null {
  if (condition === undefined) return null;
  const regex = regexIntervals(condition);
  if (regex) return regex;
  if (isPlainObject(condition) && Object.keys(condition).some((k) => k.startsWith('$'))) return comparisonIntervals(condition, multikey);
  const value = exactValue(condition);
  if (value === undefined) return null;
  const key = { key: keyString(value), inclusive: true };
  return { intervals: [{ lower: key, upper: key }], exact: true };
}

/** The leading fields of `index` pinned to one value each: their key strings. */
function equalityPrefix(index: Index, filter: Document): string[] {
  const prefix: string[] = [];
  for (const field of index.fields) {
    const values = equalityValues(conditionOn(filter, field));
    if (!values || values.length !== 1) break;
    prefix.push(keyString(values[0]));
  }
  return prefix;
}

/**
 * Whether walking `index` after an equality prefix of `pinned` fields yields `sort`'s order:
 * 1 forwards, -1 backwards, 0 not at all. Sort keys on pinned fields are free; the rest must be
 * the next index fields, all in the index's directions or all reversed.
 */
function sortDirection(index: Index, pinned: number, sort: Document | undefined): number {
  if (!sort || index.multikey) return 0;
  const keys = Object.entries(sort).filter(([field]) => !index.fields.slice(0, pinned).includes(field));
  if (keys.length === 0 || keys.length > index.fields.length - pinned) return 0;
  let direction = 0;
  for (let i = 0; i < keys.length; i++) {
    const [field, dir] = keys[i];
    if (field !== index.fields[pinned + i] || (dir !== 1 && dir !== -1)) return 0;
    const relative = dir * index.directions[pinned + i];
    if (direction && relative !== direction) return 0;
    direction = relative;
  }
  return direction;
}

/** Entries of an index walk as documents by id. */
function* walkDocuments(index: Index, ranges: IndexRange[], reverse: boolean): Generator<[string, Document]> {
  for (const range of reverse ? [...ranges].reverse() : ranges) {
    for (const entry of index.scan(range, reverse)) yield [entry.id, entry.doc];
  }
}

/**
 * A walk over part of `index`: the equality prefix, then a range on the next field if the
 * filter has one. It serves a sort when the index order is the sort's; it exists at all only
 * when it narrows the documents or gives the order. A partial index serves only a query that
 * states its filter; a sparse one needs a condition its skipped documents cannot meet.
 */
function byWalk(index: Index, filter: Document, sort: Document | undefined): Candidates | null {
  const partial = index.spec.partialFilterExpression as Document | undefined;
  if (partial && !statesPartialFilter(partial, filter)) return null;
  const prefix = equalityPrefix(index, filter);
  const rangeField = index.fields[prefix.length];
  const found = rangeField === undefined ? null : fieldIntervals(conditionOn(filter, rangeField), index.multikey);
  const direction = sortDirection(index, prefix.length, sort);
  if (!found && prefix.length === 0 && (direction === 0 || index.spec.sparse)) return null;
  if (!found && direction === 0) return null;
  const ranges: IndexRange[] = found
    ? found.intervals.map(({ lower, upper }) => ({ prefix, lower, upper })).sort((a, b) => (a.lower.key < b.lower.key ? -1 : 1))
    : [{ prefix }];
  const exact = index.fields.slice(0, prefix.length);
  if (found?.exact) exact.push(rangeField);
  return {
    sources: [walkDocuments(index, ranges, direction < 0)],
    size: ranges.reduce((n, range) => n + index.rangeSize(range), 0),
    exact: exactFields(exact),
    repeats: index.multikey,
    sorted: direction !== 0,
  };
}

/** Every plan an index offers for this filter (and sort). */
function byIndexes(collection: Collection, filter: Document, sort: Document | undefined): Candidates[] {
  const plans: Candidates[] = [];
  for (const index of collection.everyIndex()) {
    if (!index.hashed) continue;
    const equality = byEquality(index, filter);
    if (equality) plans.push(equality);
    const walk = byWalk(index, filter, sort);
    if (walk) plans.push(walk);
  }
  return plans;
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
    const found = isPlainObject(clause) ? smallest(collection, clause) : null;
    if (found) best = fewer(best, { ...found, exact: [], sorted: false });
  }
  return best;
}

/** A `$or` needs every branch planned; one unplanned branch means a scan. */
function byOr(collection: Collection, filter: Document): Candidates | null {
  const branches = conditionOn(filter, '$or');
  if (!Array.isArray(branches)) return null;
  const sources: Source[] = [];
  let size = 0;
  for (const branch of branches) {
    const found = isPlainObject(branch) ? smallest(collection, branch) : null;
    if (!found) return null;
    sources.push(...found.sources);
    size += found.size;
  }
  return { sources, size, exact: [], repeats: true, sorted: false };
}

function allPlans(collection: Collection, filter: Document, sort: Document | undefined): Candidates[] {
  const id = byId(collection, filter);
  if (id) return [id];
  const plans = byIndexes(collection, filter, sort);
  for (const plan of [byAnd(collection, filter), byOr(collection, filter)]) if (plan) plans.push(plan);
  return plans;
}

function smallest(collection: Collection, filter: Document): Candidates | null {
  return allPlans(collection, filter, undefined).reduce<Candidates | null>(fewer, null);
}

/**
 * The plan to run. Unsorted plans cost their size (plus sorting it); a walk in sort order costs
 * the part of it read before `limit` matches turn up, guessing matches spread evenly with the
 * smallest plan's size as their number.
 */
function choose(plans: Candidates[], collectionSize: number, sort: Document | undefined, limit: number | undefined): Candidates | null {
  const unsorted = plans.filter((p) => !p.sorted).reduce<Candidates | null>(fewer, null);
  const matches = Math.max(1, Math.min(unsorted?.size ?? collectionSize, collectionSize));
  const sortCost = (size: number) => size * (sort ? 2 : 1);
  let best = unsorted;
  let bestCost = unsorted ? sortCost(unsorted.size) : sortCost(collectionSize);
  for (const plan of plans) {
    if (!plan.sorted) continue;
    const cost = limit ? Math.min(plan.size, (limit * plan.size) / matches) : plan.size;
    if (cost < bestCost) {
      best = plan;
      bestCost = cost;
    }
  }
  return best;
}

/** The documents of the candidate sources, each once, in the sources' order. */
function* documentsOf(found: Candidates): Generator<Document> {
  if (!found.repeats) {
    for (const source of found.sources) for (const [, doc] of source) yield doc;
    return;
  }
  const seen = new Set<string>();
  for (const source of found.sources) {
    for (const [id, doc] of source) {
      if (seen.has(id)) continue;
      seen.add(id);
      yield doc;
    }
  }
}

export interface CandidateDocuments {
  /** A superset of the documents matching the filter. */
  docs: Iterable<Document>;
  /**
   * Top-level filter fields that every candidate satisfies, so they need no test: an index
   * holds a document under a value's key exactly when the field's value, or one of its array
   * elements, equals that value as `$eq` compares (keyString is equal exactly for equal values),
   * and a range walk holds exactly the values within the condition's bounds.
   */
  exact: string[];
  /** True when `docs` come in the order of the requested sort. */
  sorted: boolean;
  /** How many documents `docs` holds, when known without walking them. */
  size: number | null;
}

export interface PlanRequest {
  sort?: Document;
  /** How many matches the caller needs at most (skip included). */
  limit?: number;
}

/** Documents that may match `filter`, and which of its conditions they are known to meet. */
export function candidateDocuments(collection: Collection, filter: Document | undefined, request: PlanRequest = {}): CandidateDocuments {
  const sort = request.sort && Object.keys(request.sort).length ? request.sort : undefined;
  const found = filter ? choose(allPlans(collection, filter, sort), collection.docs.size, sort, request.limit) : null;
  if (!found) return { docs: collection.docs.values(), exact: [], sorted: false, size: collection.docs.size };
  return { docs: documentsOf(found), exact: found.exact, sorted: found.sorted, size: found.repeats ? null : found.size };
}
