/**
 * `$group` run here for its common shapes, instead of by mingo (whose `$sum` builds a `$push`
 * array per group and evaluates every accumulator's expression over it, and which hashes group
 * keys by their JSON): one pass over the input, one hash lookup per document, accumulators
 * updated in place. Follows mongod's DocumentSourceGroup / accumulator_*.cpp:
 *  - `_id`: a constant, a field path, an expression, or an object of those (one field per key
 *    part). Keys are equal as BSON values are (1, 1.0 and NumberLong(1) are one group; objects
 *    field-order-sensitively). A single key part that is missing is null (one group with null);
 *    in an object of two or more parts a missing part stays missing, apart from null, and is
 *    left out of the output `_id` (SERVER-21992, pinned by mongod's groupMissing.js).
 *  - `$sum`/`$avg`: numbers only (anything else ignored), int → long → double → decimal
 *    widening, an int or long total that overflows becomes a long or a double, doubles summed
 *    with a compensated (double-double) sum as mongod does; `$avg` of no number is null.
 *  - `$min`/`$max`: BSON order (compare.ts), null and missing ignored, null when nothing is left.
 *  - `$first`/`$last`: the value of the first/last document (missing → null).
 *  - `$push`/`$addToSet`: missing values skipped; `$addToSet` keeps the first of equal values.
 *  - `$count: {}`: the number of documents.
 * Groups come out in the order of their first document (mongod leaves it unspecified).
 *
 * Field paths are resolved here with mongod's rules (through arrays of objects); every other
 * expression is evaluated by mingo, the server's expression engine, on the document with plain
 * numbers, as the mingo path would. Whatever is not one of these shapes (another accumulator,
 * an accumulator given an array, `$`-prefixed or dotted names, a collation) is left to mingo:
 * `compileGroup` answers null. A `$avg` meeting a Decimal128 is handed back to mingo too
 * (GroupFallback), since no exact decimal division is built.
 */
import { Decimal128, Double, Long, type Document } from 'bson';
import { Context, evalExpr } from 'mingo/core';
import type { Options } from 'mingo/types';
import { compareValues, keyString } from '../compare';
import { addDecimal } from '../decimal';
import { mingoOptions } from '../query';
import { heldDouble, numberType, withPlainNumbers, type NumberType } from '../numbers';
import { isPlainObject, type Variables } from './variables';

type Evaluate = (doc: Document) => unknown;

/** Thrown while grouping when the native path meets what only mingo's path handles. */
export class GroupFallback extends Error {}

function isOperatorObject(v: unknown): v is Document {
  return isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$'));
}

/** A constant (what an expression that is not a path, variable, array or object evaluates to). */
function isConstant(v: unknown): boolean {
  if (typeof v === 'string') return !v.startsWith('$');
  if (v === null || typeof v !== 'object') return v !== undefined;
  if (Array.isArray(v)) return false;
  return !isPlainObject(v); // Date, ObjectId, Long, Decimal128 …
}

const FIELD_PATH = /^\$[^$.][^.]*(?:\.[^$.][^.]*)*$/;

/** mongod's ExpressionFieldPath: through an object, and through each object element of an array (non-objects and missing results skipped). */
function pathGetter(path: string): Evaluate {
  const parts = path.slice(1).split('.');
  if (parts.length === 1) {
    const [name] = parts;
    return (doc) => doc[name];
  }
  const walk = (value: unknown, i: number): unknown => {
    if (i === parts.length) return value;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) {
        if (!isPlainObject(item)) continue;
        const nested = walk(item, i);
        if (nested !== undefined) out.push(nested);
      }
      return out;
    }
    if (!isPlainObject(value)) return undefined;
    const next = (value as Document)[parts[i]];
    if (i + 1 === parts.length) return next;
    if (isPlainObject(next) || Array.isArray(next)) return walk(next, i + 1);
    return undefined;
  };
  return (doc) => walk(doc, 0);
}

function compileExpression(expr: unknown, variables: Variables | null): Evaluate | null {
  if (typeof expr === 'string' && FIELD_PATH.test(expr)) return pathGetter(expr);
  if (isConstant(expr)) return () => expr;
  if (isPlainObject(expr) && Object.keys(expr).length === 1 && '$literal' in expr && isConstant(expr.$literal)) {
    const value = expr.$literal;
    return () => value;
  }
  // Variables, $$ROOT, operator expressions, arrays and object literals: mingo's expression engine.
  const options = computeOptions(variables);
  return (doc) => {
    const plain = withPlainNumbers(doc);
    return evalExpr(plain, expr as never, options.update({ root: plain }));
  };
}

type ComputeOptions = Options & { update(locals: { root: unknown }): ComputeOptions };

const PROBE = '$__computeOptions';

/**
 * mingo's prepared evaluation options (its internal ComputeOptions), made once per stage: given
 * plain options, mingo's evalExpr copies every operator table for each call. An expression
 * operator receives the prepared options, so a probe operator hands them out.
 */
function computeOptions(variables: Variables | null): ComputeOptions {
  const base = mingoOptions({ variables: variables ?? {} });
  const context = Context.from(base.context!).addExpressionOps({ [PROBE]: ((_obj: unknown, _expr: unknown, options: ComputeOptions) => options) as never });
  return evalExpr({}, { [PROBE]: 1 }, { ...base, context } as Options) as ComputeOptions;
}

/** A group key: the document's key value(s), their hash, and the `_id` they make (only for a new group). */
interface Key {
  evaluate(doc: Document): unknown;
  hash(value: unknown): string;
  id(value: unknown): unknown;
}

const MISSING_PART = 'M'; // not a type character of keyString, so never the start of a part's key

function singleValue(v: unknown): unknown {
  return v === undefined ? null : v;
}

function compileKey(spec: unknown, variables: Variables | null): Key | null {
  if (isPlainObject(spec) && !isOperatorObject(spec)) {
    const names = Object.keys(spec);
    if (names.length === 0 || names.some((n) => n.includes('.'))) return null;
    const parts = names.map((n) => compileExpression(spec[n], variables));
    if (parts.some((p) => !p)) return null;
    const evaluate = parts as Evaluate[];
    if (names.length === 1) {
      const [name] = names;
      const [part] = evaluate;
      return { evaluate: (doc) => singleValue(part(doc)), hash: keyString, id: (value) => ({ [name]: value }) };
    }
    return {
      evaluate: (doc) => {
        const values = new Array<unknown>(evaluate.length);
        for (let i = 0; i < evaluate.length; i++) values[i] = evaluate[i](doc);
        return values;
      },
      hash: (values) => {
        let hash = '';
        for (const v of values as unknown[]) hash += v === undefined ? MISSING_PART : keyString(v);
        return hash;
      },
      id: (values) => {
        const id: Document = {};
        names.forEach((n, i) => {
          const v = (values as unknown[])[i];
          if (v !== undefined) id[n] = v;
        });
        return id;
      },
    };
  }
  const part = compileExpression(spec, variables);
  if (!part) return null;
  if (isConstant(spec)) {
    const hash = keyString(spec);
    return { evaluate: () => spec, hash: () => hash, id: () => spec };
  }
  return { evaluate: (doc) => singleValue(part(doc)), hash: keyString, id: (value) => value };
}

const WIDTH: Record<NumberType, number> = { int: 0, long: 1, double: 2, decimal: 3 };
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SMALL_LIMIT = 2 ** 52;

/**
 * mongod's AccumulatorSum: the widest type met, an exact integer total while only ints and longs
 * come, a compensated sum of every non-decimal value (DoubleDoubleSummation), an exact decimal
 * total of the Decimal128 values.
 */
class NumberTotal {
  width = 0;
  count = 0;
  /** The exact integer total: `small` while it is a safe integer, the rest moved to `big`. */
  small = 0;
  big = 0n;
  hi = 0;
  lo = 0;
  naive = 0;
  decimal: Decimal128 | null = null;

  add(v: unknown): void {
    const type = typeof v === 'number' ? (Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX && !Object.is(v, -0) ? 'int' : 'double') : numberType(v);
    if (!type) return;
    this.count += 1;
    const width = WIDTH[type];
    if (width > this.width) this.width = width;
    if (type === 'decimal') {
      this.decimal = addDecimal(this.decimal ?? Decimal128.fromString('0'), v) ?? this.decimal;
      return;
    }
    if (type === 'long') {
      const n = (v as Long).toNumber();
      if (Math.abs(n) <= SMALL_LIMIT) {
        this.addInteger(n);
      } else {
        const big = (v as Long).toBigInt();
        this.big += big;
        this.addDouble(Number(big));
        this.addDouble(Number(big - BigInt(Number(big))));
      }
      return;
    }
    const x = typeof v === 'number' ? v : (v as Double).valueOf();
    if (type === 'int') this.addInteger(x);
    else this.addDouble(x);
  }

  /** An integer of at most 2^52 in magnitude, exactly. */
  private addInteger(n: number): void {
    this.small += n;
    if (Math.abs(this.small) > SMALL_LIMIT) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
    this.addDouble(n);
  }

  /** Neumaier's compensated addition (as exact as mongod's double-double for these sums). */
  private addDouble(x: number): void {
    this.naive += x;
    const t = this.hi + x;
    this.lo += Math.abs(this.hi) >= Math.abs(x) ? this.hi - t + x : x - t + this.hi;
    this.hi = t;
  }

  double(): number {
    if (!Number.isFinite(this.naive) || !Number.isFinite(this.hi)) return this.naive;
    return this.hi + this.lo;
  }

  /** The `$sum` value, in the held number representation. */
  sum(): unknown {
    if (this.width === WIDTH.decimal) {
      const rest = this.width > 0 ? this.nonDecimalAsDecimal() : null;
      return rest ? (addDecimal(this.decimal!, rest) ?? this.decimal) : this.decimal;
    }
    if (this.width === WIDTH.double) return heldDouble(this.double());
    const n = this.big + BigInt(this.small);
    if (this.width === WIDTH.int && n >= BigInt(INT32_MIN) && n <= BigInt(INT32_MAX)) return Number(n);
    if (n >= INT64_MIN && n <= INT64_MAX) return Long.fromBigInt(n);
    return heldDouble(this.double());
  }

  private nonDecimalAsDecimal(): Decimal128 | null {
    const x = this.double();
    if (x === 0 || !Number.isFinite(x)) return null;
    return Decimal128.fromString(String(x));
  }
}

interface Accumulator {
  add(value: unknown): void;
  value(): unknown;
}

type AccumulatorFactory = () => Accumulator;

const ACCUMULATORS: Record<string, AccumulatorFactory> = {
  $sum: () => {
    const total = new NumberTotal();
    return { add: (v) => total.add(v), value: () => total.sum() };
  },
  $avg: () => {
    const total = new NumberTotal();
    return {
      add: (v) => {
        total.add(v);
        if (total.width === WIDTH.decimal) throw new GroupFallback('$avg of a Decimal128');
      },
      value: () => (total.count === 0 ? null : heldDouble(total.double() / total.count)),
    };
  },
  $min: () => extreme(-1),
  $max: () => extreme(1),
  $first: () => {
    let seen = false;
    let first: unknown = null;
    return {
      add: (v) => {
        if (seen) return;
        seen = true;
        first = v === undefined ? null : v;
      },
      value: () => first,
    };
  },
  $last: () => {
    let last: unknown = null;
    return { add: (v) => (last = v === undefined ? null : v), value: () => last };
  },
  $push: () => {
    const values: unknown[] = [];
    return { add: (v) => void (v !== undefined && values.push(v)), value: () => values };
  },
  $addToSet: () => {
    const values = new Map<string, unknown>();
    return {
      add: (v) => {
        if (v === undefined) return;
        const key = keyString(v);
        if (!values.has(key)) values.set(key, v);
      },
      value: () => [...values.values()],
    };
  },
};

function extreme(sign: 1 | -1): Accumulator {
  let best: unknown;
  return {
    add: (v) => {
      if (v === undefined || v === null) return;
      if (best === undefined || compareValues(v, best) * sign > 0) best = v;
    },
    value: () => (best === undefined ? null : best),
  };
}

interface Field {
  name: string;
  evaluate: Evaluate;
  make: AccumulatorFactory;
}

function compileField(name: string, spec: unknown, variables: Variables | null): Field | null {
  if (name.includes('.') || name.startsWith('$') || !isPlainObject(spec) || Object.keys(spec).length !== 1) return null;
  const [operator] = Object.keys(spec);
  const argument = spec[operator];
  if (operator === '$count') {
    if (!isPlainObject(argument) || Object.keys(argument).length) return null;
    return { name, evaluate: () => 1, make: ACCUMULATORS.$sum };
  }
  const make = ACCUMULATORS[operator];
  if (!make || Array.isArray(argument)) return null;
  const evaluate = compileExpression(argument, variables);
  return evaluate ? { name, evaluate, make } : null;
}

export type NativeGroup = (docs: Document[]) => Document[];

/** The `$group` stage as a function of its input, or null when mingo must run it. */
export function compileGroup(spec: unknown, variables: Variables | null): NativeGroup | null {
  if (!isPlainObject(spec) || !('_id' in spec)) return null;
  const key = compileKey(spec._id, variables);
  if (!key) return null;
  const fields: Field[] = [];
  for (const [name, accumulator] of Object.entries(spec)) {
    if (name === '_id') continue;
    const field = compileField(name, accumulator, variables);
    if (!field) return null;
    fields.push(field);
  }
  return (docs) => {
    const groups = new Map<string, { id: unknown; accumulators: Accumulator[] }>();
    for (const doc of docs) {
      const value = key.evaluate(doc);
      const hash = key.hash(value);
      let group = groups.get(hash);
      if (!group) {
        group = { id: key.id(value), accumulators: fields.map((f) => f.make()) };
        groups.set(hash, group);
      }
      for (let i = 0; i < fields.length; i++) group.accumulators[i].add(fields[i].evaluate(doc));
    }
    const out: Document[] = [];
    for (const { id, accumulators } of groups.values()) {
      const result: Document = { _id: id };
      fields.forEach((f, i) => (result[f.name] = accumulators[i].value()));
      out.push(result);
    }
    return out;
  };
}
