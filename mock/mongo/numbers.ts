/**
 * BSON number types as the server holds them, so a value comes back with the type it was
 * stored with (mongod never changes a number's type on its own):
 *  - Int32: a JS integer in the int32 range;
 *  - Double: a JS number that is not such an integer (a fraction, -0, NaN, ±Infinity, or an
 *    integer beyond int32), and a `Double` object for an integral value in the int32 range,
 *    which `bson` would otherwise write back as an Int32;
 *  - Int64: a `Long` object, whatever its size;
 *  - Decimal128: a `Decimal128` object.
 * `bson` serialises this representation back to the same BSON types.
 */
import { deserialize, Double, Long, serialize, type DeserializeOptions, type Document } from 'bson';
import { $expr } from 'mingo/operators/query';
import type { QueryOperator } from 'mingo/types';
import { valuesEqual } from './compare';
import { MongoCommandError } from './errors';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export type NumberType = 'int' | 'long' | 'double' | 'decimal';

function bsonTypeName(v: unknown): string | undefined {
  return v !== null && typeof v === 'object' ? (v as { _bsontype?: string })._bsontype : undefined;
}

function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX && !Object.is(n, -0);
}

/** The BSON number type of a held value, or undefined for anything that is not a number. */
export function numberType(v: unknown): NumberType | undefined {
  if (typeof v === 'number') return isInt32(v) ? 'int' : 'double';
  switch (bsonTypeName(v)) {
    case 'Int32':
      return 'int';
    case 'Long':
      return 'long';
    case 'Double':
      return 'double';
    case 'Decimal128':
      return 'decimal';
  }
  return undefined;
}

/** A double in the held representation: integral values in the int32 range stay `Double`s. */
export function heldDouble(n: number): number | Double {
  return isInt32(n) ? new Double(n) : n;
}

/**
 * A decoded BSON value turned into the held representation, in place for documents and
 * arrays. Expects `bson` output with `promoteValues: false` (every Int32 and Double wrapped).
 */
export function holdNumbers<T>(value: T): T {
  return convert(value) as T;
}

function convert(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = convert(value[i]);
    return value;
  }
  switch (bsonTypeName(value)) {
    case 'Int32':
      return (value as { value: number }).value;
    case 'Double':
      return heldDouble((value as { value: number }).value);
    case 'BSONSymbol':
      return (value as { value: string }).value;
    case undefined:
      break;
    default:
      return value;
  }
  if (value instanceof Date || value instanceof RegExp || ArrayBuffer.isView(value)) return value;
  const doc = value as Document;
  for (const key of Object.keys(doc)) doc[key] = convert(doc[key]);
  return doc;
}

/**
 * How the server decodes the BSON it receives and recovers: every number wrapped by `bson`,
 * then turned into the held representation by decodeDocument.
 */
export const SERVER_BSON_READ_OPTIONS: DeserializeOptions = { promoteValues: false, promoteBuffers: false, bsonRegExp: false };

/** Decodes one BSON document; with the server's read options its numbers come back held. */
export function decodeDocument(bytes: Uint8Array, options: DeserializeOptions = SERVER_BSON_READ_OPTIONS): Document {
  const doc = deserialize(bytes, options);
  return options === SERVER_BSON_READ_OPTIONS ? holdNumbers(doc) : doc;
}

/** MongoDB's `$type` alias of a value's BSON type (what `$jsonSchema`'s bsonType names). */
export function bsonTypeAlias(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  const number = numberType(v);
  if (number) return number;
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  if (ArrayBuffer.isView(v)) return 'binData';
  const byName: Record<string, string> = {
    ObjectId: 'objectId',
    Binary: 'binData',
    UUID: 'binData',
    Timestamp: 'timestamp',
    Code: 'javascript',
    MinKey: 'minKey',
    MaxKey: 'maxKey',
    BSONRegExp: 'regex',
  };
  const name = bsonTypeName(v);
  return name && name in byName ? byName[name] : 'object';
}

/** How MongoDB prints a number in messages: (NumberLong)5, (NumberDouble)1.5 … */
function described(v: unknown, type: NumberType): string {
  const label = { int: 'NumberInt', long: 'NumberLong', double: 'NumberDouble', decimal: 'NumberDecimal' }[type];
  return `(${label})${String(v)}`;
}

type Arithmetic = '$inc' | '$mul';

/**
 * `current <op> operand` with mongod's result types (SafeNum): int op int is an int, or a long
 * when it overflows; a long involved makes a long, an int64 overflow is an error; a double
 * involved makes a double. Null when either side is not an int, long or double (Decimal128
 * is done exactly elsewhere; a non-number is the caller's error). A missing field counts as
 * an int 0 for `$inc` (the result takes the operand's type) and as 0 of the operand's type
 * for `$mul`.
 */
export function typedArithmetic(op: Arithmetic, current: unknown, operand: unknown): unknown {
  const right = numberType(operand);
  const left = current === undefined ? right : numberType(current);
  if (!left || !right || left === 'decimal' || right === 'decimal') return null;
  if (current === undefined) return op === '$inc' ? operand : zeroOf(right);
  if (left === 'double' || right === 'double') {
    const a = Number(current);
    const b = Number(operand);
    return heldDouble(op === '$inc' ? a + b : a * b);
  }
  const a = integerValue(current, left);
  const b = integerValue(operand, right);
  const result = op === '$inc' ? a + b : a * b;
  if (left === 'int' && right === 'int' && result >= BigInt(INT32_MIN) && result <= BigInt(INT32_MAX)) return Number(result);
  if (result < INT64_MIN || result > INT64_MAX) {
    throw new MongoCommandError(2, `Failed to apply ${op} operations to current value (${described(current, left)}): the result overflows a 64-bit integer`);
  }
  return Long.fromBigInt(result);
}

function integerValue(v: unknown, type: NumberType): bigint {
  return type === 'long' ? (v as Long).toBigInt() : BigInt(Number(v));
}

function zeroOf(type: NumberType): unknown {
  if (type === 'long') return Long.fromNumber(0);
  if (type === 'double') return heldDouble(0);
  return 0;
}

/** Each document as mingo's arithmetic needs it; the same object when it holds no wrapped number. */
const plainCache = new WeakMap<Document, Document>();

/**
 * The document with every `Long` (within 2^53) and `Double` object as a plain JS number, for
 * mingo's expression operators ($add, $sum …), which ignore or refuse number objects. Stored
 * documents are never mutated, so the answer is cached per document.
 */
export function withPlainNumbers(doc: Document): Document {
  let plain = plainCache.get(doc);
  if (!plain) {
    plain = holdsWrappedNumber(doc) ? (toPlain(doc) as Document) : doc;
    plainCache.set(doc, plain);
  }
  return plain;
}

function isContainer(value: unknown): value is Document | unknown[] {
  return Array.isArray(value) || (value !== null && typeof value === 'object' && bsonTypeName(value) === undefined && !(value instanceof Date) && !(value instanceof RegExp) && !ArrayBuffer.isView(value));
}

function plainNumber(value: unknown): number | undefined {
  const type = bsonTypeName(value);
  if (type === 'Double' || type === 'Int32') return (value as { value: number }).value;
  if (type === 'Long') {
    const n = (value as Long).toNumber();
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

function holdsWrappedNumber(value: unknown): boolean {
  if (plainNumber(value) !== undefined) return true;
  if (!isContainer(value)) return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(holdsWrappedNumber);
}

function toPlain(value: unknown): unknown {
  const n = plainNumber(value);
  if (n !== undefined) return n;
  if (!isContainer(value)) return value;
  if (Array.isArray(value)) return value.map(toPlain);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
}

/** mingo's `$expr` query operator, evaluated on the document with plain numbers (see withPlainNumbers). */
export const exprWithPlainNumbers = ((selector: string, expr: unknown, options: Parameters<typeof $expr>[2]) => {
  const test = $expr(selector, expr, options);
  return (doc: Document) => test(withPlainNumbers(doc));
}) as unknown as QueryOperator;

/**
 * Are two documents the same BSON, byte for byte? What mongod compares to tell a no-op update:
 * a number changing type (Int32 5 to Long 5) or fields changing order is a modification,
 * though the values compare equal.
 */
export function sameBson(a: Document, b: Document): boolean {
  const [x, y] = [serialize(a), serialize(b)];
  return x.byteLength === y.byteLength && Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
}

/**
 * After mingo computed `result` from `plain` (withPlainNumbers of `original`), puts back the
 * original value of every top-level field the computation left unchanged, so an update
 * pipeline keeps the Long and Double objects it did not touch.
 */
export function restoreNumberTypes(result: Document, original: Document, plain: Document): Document {
  if (plain === original) return result;
  for (const key of Object.keys(result)) {
    if (key in original && valuesEqual(result[key], plain[key])) result[key] = original[key];
  }
  return result;
}
