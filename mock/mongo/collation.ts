/**
 * Collations, as a command's `collation` document asks for them. mongod compares strings with
 * ICU; Node's Intl.Collator is ICU too, so a locale's order (pinyin for 'zh') and strengths 1–3
 * (case and accent insensitivity) come out the same. What Intl cannot express (backwards
 * secondary weights, alternate handling of punctuation) is refused, not approximated.
 */
import type { Document } from 'bson';
import { compareValues, typeRank } from './compare';
import { MongoCommandError } from './errors';

/** Orders two BSON values (-1, 0, 1) the way a query under one collation does. */
export type Compare = (a: unknown, b: unknown) => number;

const FIELDS = new Set(['locale', 'caseLevel', 'caseFirst', 'strength', 'numericOrdering', 'alternate', 'maxVariable', 'normalization', 'backwards', 'version']);

function isDocument(v: unknown): v is Document {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function notImplemented(what: string): MongoCommandError {
  return new MongoCommandError(115, `the embedded MongoDB does not implement ${what}`);
}

/** mongod's ICU locale ids (`zh_Hant`, `de@collation=phonebook`) as BCP 47 tags. */
function bcp47(locale: string): string {
  const [base, keywords] = locale.split('@');
  const tag = base.replace(/_/g, '-');
  const collation = /collation=([a-z]+)/.exec(keywords ?? '')?.[1];
  return collation ? `${tag}-u-co-${collation}` : tag;
}

function sensitivity(spec: Document): Intl.CollatorOptions['sensitivity'] {
  const strength = spec.strength === undefined ? 3 : Number(spec.strength);
  if (!Number.isInteger(strength) || strength < 1 || strength > 5) {
    throw new MongoCommandError(2, `Field 'strength' must be an integer 1 through 5. Got: ${String(spec.strength)}`);
  }
  if (strength === 1) return spec.caseLevel ? 'case' : 'base';
  if (strength === 2) {
    if (spec.caseLevel) throw notImplemented('collation caseLevel with strength 2');
    return 'accent';
  }
  return 'variant';
}

function refuseUnimplemented(spec: Document): void {
  if (spec.backwards === true) throw notImplemented("collation option 'backwards'");
  if (spec.alternate !== undefined && spec.alternate !== 'non-ignorable') throw notImplemented("collation option 'alternate: shifted'");
  if (spec.maxVariable !== undefined && spec.alternate !== undefined && spec.alternate !== 'non-ignorable') {
    throw notImplemented("collation option 'maxVariable'");
  }
  if (spec.caseFirst !== undefined && !['upper', 'lower', 'off'].includes(spec.caseFirst as string)) {
    throw new MongoCommandError(2, `caseFirst must be 'upper', 'lower' or 'off', found: ${String(spec.caseFirst)}`);
  }
}

function collatorFor(spec: Document): Intl.Collator {
  if (typeof spec.locale !== 'string') {
    if (spec.locale === undefined) throw new MongoCommandError(40414, "BSON field 'locale' is missing but a required field");
    throw new MongoCommandError(14, "BSON field 'locale' is the wrong type, expected type 'string'");
  }
  for (const field of Object.keys(spec)) {
    if (!FIELDS.has(field)) throw new MongoCommandError(40415, `BSON field 'collation.${field}' is an unknown field.`);
  }
  refuseUnimplemented(spec);
  const tag = bcp47(spec.locale);
  if (spec.locale === '' || Intl.Collator.supportedLocalesOf([tag]).length === 0) {
    throw new MongoCommandError(2, `Field 'locale' is invalid in: ${JSON.stringify(spec)}`);
  }
  const caseFirst = spec.caseFirst === 'off' ? 'false' : (spec.caseFirst as Intl.CollatorOptions['caseFirst']);
  return new Intl.Collator(tag, { sensitivity: sensitivity(spec), numeric: spec.numericOrdering === true, caseFirst, usage: 'sort' });
}

/** The collation of a command, or null for none or `{locale: 'simple'}` (binary comparison). */
export function collationFrom(command: Document, field = 'collation'): Document | null {
  const spec = command[field];
  if (spec === undefined || spec === null) return null;
  if (!isDocument(spec)) throw new MongoCommandError(14, `BSON field '${field}' is the wrong type, expected type 'object'`);
  if (spec.locale === 'simple') return null;
  collatorFor(spec);
  return spec;
}

const COMPARES = new Map<string, Compare>();

/** The value order under a collation (compareValues when there is none); built once per spec. */
export function compareUnder(collation: Document | null | undefined): Compare {
  if (!collation) return compareValues;
  const key = JSON.stringify(collation);
  let compare = COMPARES.get(key);
  if (!compare) {
    compare = collatedCompare(collatorFor(collation));
    COMPARES.set(key, compare);
  }
  return compare;
}

/** compareValues with strings (also inside arrays and documents) ordered by the collator. */
function collatedCompare(collator: Intl.Collator): Compare {
  const compare: Compare = (a, b) => {
    if (typeof a === 'string' && typeof b === 'string') return Math.sign(collator.compare(a, b));
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const c = compare(a[i], b[i]);
        if (c) return c;
      }
      return Math.sign(a.length - b.length);
    }
    if (isDocument(a) && isDocument(b)) return compareDocuments(a, b, compare);
    return compareValues(a, b);
  };
  return compare;
}

/** MongoDB's document order: field by field, type rank, then field name (binary), then value. */
function compareDocuments(a: Document, b: Document, compare: Compare): number {
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const byType = typeRank(a[ka[i]]) - typeRank(b[kb[i]]);
    if (byType) return Math.sign(byType);
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    const byValue = compare(a[ka[i]], b[kb[i]]);
    if (byValue) return byValue;
  }
  return Math.sign(ka.length - kb.length);
}

/**
 * An index spec without its collation: a simple one is the default (mongod lists none), any
 * other would order and match the index's strings by it, which this server does not implement.
 */
export function withoutIndexCollation(spec: Document): Document {
  if (spec.collation === undefined) return spec;
  if (collationFrom(spec) !== null) throw notImplemented('index collations');
  const { collation: _simple, ...rest } = spec;
  return rest;
}

/** Stages whose result does not depend on how strings compare, or that we run under the collation. */
const COLLATED_STAGES = new Set([
  '$match', '$sort', '$skip', '$limit', '$project', '$addFields', '$set', '$unset', '$count', '$unwind',
  '$replaceRoot', '$replaceWith', '$sample', '$documents', '$out', '$group',
]);

/** Expression operators that compare values, which mongod does under the collation (mingo never does). */
const COMPARING_EXPRESSIONS = new Set([
  '$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$cmp', '$in', '$indexOfArray', '$setEquals', '$setIntersection',
  '$setUnion', '$setDifference', '$setIsSubset', '$min', '$max', '$minN', '$maxN', '$sortArray', '$addToSet', '$top',
  '$topN', '$bottom', '$bottomN',
]);

function comparingOperator(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = comparingOperator(item);
      if (found) return found;
    }
    return null;
  }
  if (!isDocument(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (COMPARING_EXPRESSIONS.has(key)) return key;
    const found = comparingOperator(inner);
    if (found) return found;
  }
  return null;
}

/** `$group` by a constant (countDocuments' pipeline) does not compare group keys. */
function groupsByConstant(spec: unknown): boolean {
  if (!isDocument(spec)) return false;
  const id = spec._id;
  return id === null || id === undefined || typeof id === 'number' || typeof id === 'boolean';
}

/**
 * Refuses a pipeline whose result under a collation this server would get wrong: stages that
 * group, join or window by values, and expressions that compare strings, where mongod would use
 * the collation. `$match` and `$sort` are run under it.
 */
export function refuseUncollatedStages(pipeline: Document[]): void {
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0];
    const spec = stage[name];
    if (!COLLATED_STAGES.has(name) || (name === '$group' && !groupsByConstant(spec))) {
      throw notImplemented(`the ${name} stage under a collation`);
    }
    const inExpression = name === '$match' ? comparingOperator(isDocument(spec) ? spec.$expr : undefined) : name === '$sort' ? null : comparingOperator(spec);
    if (inExpression) throw notImplemented(`the ${inExpression} expression under a collation`);
  }
}

/** Values equal under the collation collapse to the first of them (distinct), in collation order. */
export function distinctUnder(collation: Document, values: unknown[]): unknown[] {
  const compare = compareUnder(collation);
  const kept: unknown[] = [];
  for (const value of values) if (!kept.some((k) => compare(k, value) === 0)) kept.push(value);
  return kept.sort(compare);
}
