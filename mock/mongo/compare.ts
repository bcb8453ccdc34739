/**
 * MongoDB's ordering and equality of BSON values (the "canonical type" order), which mingo does
 * not implement: numbers of every BSON type compare numerically (Decimal128 and Long included),
 * ObjectIds by their bytes, and values of different types by type rank.
 */
import type { Document } from 'bson';

/** Rank of each BSON type in MongoDB's cross-type comparison order. */
const RANK = {
  minKey: 1,
  null: 2,
  number: 3,
  string: 4,
  object: 5,
  array: 6,
  binary: 7,
  objectId: 8,
  boolean: 9,
  date: 10,
  timestamp: 11,
  regex: 12,
  maxKey: 13,
} as const;

type Rank = (typeof RANK)[keyof typeof RANK];

function bsonTypeName(v: unknown): string | undefined {
  return v !== null && typeof v === 'object' ? (v as { _bsontype?: string })._bsontype : undefined;
}

/** The canonical type rank of a value; `undefined` (a missing field) ranks as null. */
export function typeRank(v: unknown): Rank {
  if (v === null || v === undefined) return RANK.null;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return RANK.number;
    case 'string':
      return RANK.string;
    case 'boolean':
      return RANK.boolean;
  }
  if (Array.isArray(v)) return RANK.array;
  if (v instanceof Date) return RANK.date;
  if (v instanceof RegExp) return RANK.regex;
  if (ArrayBuffer.isView(v)) return RANK.binary;
  switch (bsonTypeName(v)) {
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return RANK.number;
    case 'ObjectId':
      return RANK.objectId;
    case 'Binary':
      return RANK.binary;
    case 'Timestamp':
      return RANK.timestamp;
    case 'BSONRegExp':
      return RANK.regex;
    case 'BSONSymbol':
      return RANK.string;
    case 'MinKey':
      return RANK.minKey;
    case 'MaxKey':
      return RANK.maxKey;
  }
  return RANK.object;
}

/** A numeric BSON value as a JS number, or a bigint when it is a Long too large for a double. */
export function numericValue(v: unknown): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  const t = bsonTypeName(v);
  if (t === 'Long') {
    const long = v as { toBigInt(): bigint; toNumber(): number };
    const big = long.toBigInt();
    return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? long.toNumber() : big;
  }
  if (t === 'Decimal128') return parseFloat(String(v));
  if (t === 'Int32' || t === 'Double') return (v as { valueOf(): number }).valueOf();
  return NaN;
}

function compareNumbers(a: unknown, b: unknown): number {
  const x = numericValue(a);
  const y = numericValue(b);
  if (typeof x === 'number' && typeof y === 'number' && !isDecimal(a) && !isDecimal(b)) return compareDoubles(x, y);
  return compareStrings(numberKey(a), numberKey(b));
}

/** Doubles as MongoDB orders them: NaN first and equal to itself, -0 equal to 0. */
function compareDoubles(x: number, y: number): number {
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
  if (Number.isNaN(y)) return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A UTF-16 code unit moved so that code-unit order is code-point order (UTF-8 byte order, as
 * mongod compares strings): surrogates go above U+E000..U+FFFF.
 */
function codePointOrder(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/** Code units where UTF-16 order and code-point order can disagree. */
const HIGH_UNITS = /[\ud800-\uffff]/;

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  if (!HIGH_UNITS.test(a) || !HIGH_UNITS.test(b)) return a < b ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointOrder(x) < codePointOrder(y) ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/** BinData orders by length, then subtype, then bytes (as mongod). */
function compareBinary(a: unknown, b: unknown): number {
  const x = binaryBytes(a);
  const y = binaryBytes(b);
  if (x.length !== y.length) return Math.sign(x.length - y.length);
  const bySubtype = binarySubtype(a) - binarySubtype(b);
  if (bySubtype) return Math.sign(bySubtype);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.sign(x[i] - y[i]);
  return 0;
}

function compareRegexes(a: unknown, b: unknown): number {
  const x = regexParts(a);
  const y = regexParts(b);
  return compareStrings(x.pattern, y.pattern) || compareStrings(x.flags, y.flags);
}

function compareObjects(a: Document, b: Document): number {
  const ka = definedKeys(a);
  const kb = definedKeys(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const byType = typeRank(a[ka[i]]) - typeRank(b[kb[i]]);
    if (byType) return Math.sign(byType);
    const byName = compareStrings(ka[i], kb[i]);
    if (byName) return byName;
    const byValue = compareValues(a[ka[i]], b[kb[i]]);
    if (byValue) return byValue;
  }
  return Math.sign(ka.length - kb.length);
}

function compareArrays(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i], b[i]);
    if (c) return c;
  }
  return Math.sign(a.length - b.length);
}

/** Total order of two BSON values as MongoDB sorts them (-1, 0, 1). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case RANK.null:
    case RANK.minKey:
    case RANK.maxKey:
      return 0;
    case RANK.number:
      return compareNumbers(a, b);
    case RANK.string:
      return compareStrings(String(a), String(b));
    case RANK.boolean:
      return a === b ? 0 : a ? 1 : -1;
    case RANK.date:
      return compareDoubles((a as Date).getTime(), (b as Date).getTime());
    case RANK.objectId:
      return compareStrings(objectIdHex(a), objectIdHex(b));
    case RANK.timestamp:
      return Math.sign(Number(timestampValue(a) - timestampValue(b)));
    case RANK.binary:
      return compareBinary(a, b);
    case RANK.regex:
      return compareRegexes(a, b);
    case RANK.array:
      return compareArrays(a as unknown[], b as unknown[]);
    default:
      return compareObjects(a as Document, b as Document);
  }
}

function isDecimal(v: unknown): boolean {
  return bsonTypeName(v) === 'Decimal128';
}

function definedKeys(doc: Document): string[] {
  return Object.keys(doc).filter((k) => doc[k] !== undefined);
}

function objectIdHex(v: unknown): string {
  return (v as { toHexString(): string }).toHexString();
}

function timestampValue(v: unknown): bigint {
  return BigInt(String(v));
}

function binaryBytes(v: unknown): Uint8Array {
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const binary = v as { buffer: Uint8Array; position?: number };
  return binary.position === undefined ? binary.buffer : binary.buffer.subarray(0, binary.position);
}

/** A raw byte array (a Buffer the driver did not wrap) is BinData of the generic subtype 0. */
function binarySubtype(v: unknown): number {
  return ArrayBuffer.isView(v) ? 0 : ((v as { sub_type?: number }).sub_type ?? 0);
}

function regexParts(v: unknown): { pattern: string; flags: string } {
  if (v instanceof RegExp) return { pattern: v.source, flags: v.flags };
  const regex = v as { pattern: string; options: string };
  return { pattern: regex.pattern, flags: regex.options };
}

/** Equality as MongoDB's `$eq` sees it: same type class and equal value (1 == 1.0 == Long(1)). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  return compareValues(a, b) === 0;
}

/*
 * Key strings. keyString(v) is an order-preserving, injective encoding of a value's equivalence
 * class (in the spirit of mongod's KeyString): keyString(a) === keyString(b) exactly when
 * compareValues(a, b) === 0, and keyString(a) < keyString(b) (plain string comparison) exactly
 * when compareValues(a, b) < 0. Every encoding is self-delimiting (no encoding is a prefix of
 * another), so the encodings of a tuple's parts can simply be concatenated.
 *
 * Layout: one type character (by canonical rank), then
 *  - numbers: the nearest double in 4 order-preserving 16-bit units, then the exact remainder
 *    (Decimal128 or a Long beyond 2^53 minus that double) as a signed decimal;
 *  - strings, regexes: code units escaped so that '\u0000' can terminate them;
 *  - arrays: the elements' encodings, then END; objects: per field the value's type character,
 *    the escaped name, the rest of the value's encoding; then END;
 *  - BinData: length, subtype, bytes (mongod's order); ObjectIds: their hex; dates: the double
 *    of their milliseconds.
 */

const END = '\u0001';
const TERMINATOR = '\u0000';

function typeChar(rank: number): string {
  return String.fromCharCode(0x20 + 2 * rank);
}

/**
 * The key of an empty array in an index: mongod indexes `[]` as `undefined`, which sorts after
 * MinKey and before null (so it is neither null nor a missing field).
 */
export const EMPTY_ARRAY_KEY = String.fromCharCode(0x20 + 2 * RANK.minKey + 1);

const TYPE_CHARS = Object.fromEntries(Object.entries(RANK).map(([name, rank]) => [name, typeChar(rank)])) as Record<
  keyof typeof RANK,
  string
>;

/** The first key string of type `rank` and the first of the next type: the bounds of a type bracket. */
export function typeBracket(v: unknown): { lower: string; upper: string } {
  const rank = typeRank(v);
  return { lower: typeChar(rank), upper: typeChar(rank + 1) };
}

/** Code units escapeText changes: the two it escapes and those it moves into code-point order. */
const NEEDS_ESCAPE = /[\u0000\u0001\ud800-\uffff]/;

function escapeText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = codePointOrder(text.charCodeAt(i));
    out += unit === 0 ? '\u0001\u0001' : unit === 1 ? '\u0001\u0002' : String.fromCharCode(unit);
  }
  return out;
}

/** Escaped text without its terminator: every string starting with `prefix` has a key starting with this. */
export function stringKeyPrefix(prefix: string): string {
  return TYPE_CHARS.string + escapeText(prefix);
}

function units16(hi: number, lo: number): string {
  return String.fromCharCode(hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff);
}

const scratch = new DataView(new ArrayBuffer(8));

/** A double as 4 units whose string order is numeric order (NaN first, -0 as 0). */
function orderedDouble(x: number): string {
  if (Number.isNaN(x)) return '\u0000\u0000\u0000\u0000';
  scratch.setFloat64(0, x === 0 ? 0 : x);
  let hi = scratch.getUint32(0);
  let lo = scratch.getUint32(4);
  if (hi & 0x80000000) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
  } else {
    hi = (hi | 0x80000000) >>> 0;
  }
  return units16(hi, lo);
}

const ZERO_REMAINDER = '\u8000';

/**
 * An exact decimal `digits × 10^-scale` in order-preserving form: sign, decimal exponent,
 * significant digits (negatives inverted so that larger magnitudes sort first).
 */
function orderedRemainder(digits: bigint, scale: number): string {
  if (digits === 0n) return ZERO_REMAINDER;
  const negative = digits < 0n;
  let text = (negative ? -digits : digits).toString();
  const trimmed = text.replace(/0+$/, '');
  scale -= text.length - trimmed.length;
  text = trimmed;
  const exponent = text.length - scale;
  if (!negative) return `\u8001${String.fromCharCode(0x8000 + exponent)}${text}${TERMINATOR}`;
  let inverted = '';
  for (let i = 0; i < text.length; i++) inverted += String.fromCharCode(0x69 - text.charCodeAt(i));
  return `\u7fff${String.fromCharCode(0x8000 - exponent)}${inverted}\uffff`;
}

/** A finite double as m × 2^e with integer m. */
function doubleParts(x: number): { m: bigint; e: number } {
  scratch.setFloat64(0, Math.abs(x));
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const biased = hi >>> 20;
  const mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const m = biased === 0 ? mantissa : mantissa | (1n << 52n);
  return { m: x < 0 ? -m : m, e: (biased === 0 ? 1 : biased) - 1075 };
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** A Decimal128's key: its nearest double, then the exact difference to it. */
function decimalKey(v: unknown): string {
  const text = String(v);
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return orderedDouble(parseFloat(text)) + ZERO_REMAINDER;
  const fraction = m[3] ?? '';
  const coefficient = BigInt(`${m[1]}${m[2]}${fraction}`);
  const exponent = Number(m[4] ?? 0) - fraction.length;
  let nearest = parseFloat(text);
  if (!Number.isFinite(nearest)) nearest = Math.sign(nearest) * Number.MAX_VALUE;
  const { m: mantissa, e } = doubleParts(nearest);
  const scale = Math.max(0, -exponent, -e);
  const exact = coefficient * 10n ** BigInt(exponent + scale);
  const rounded = e >= 0 ? mantissa * 2n ** BigInt(e) * 10n ** BigInt(scale) : mantissa * 5n ** BigInt(-e) * 10n ** BigInt(scale + e);
  return orderedDouble(nearest) + orderedRemainder(exact - rounded, scale);
}

/** The key of a number of any BSON type, without the type character. */
function numberKey(v: unknown): string {
  if (isDecimal(v)) return decimalKey(v);
  const n = numericValue(v);
  if (typeof n === 'number') return orderedDouble(n) + ZERO_REMAINDER;
  const nearest = Number(n);
  return orderedDouble(nearest) + orderedRemainder(n - BigInt(nearest), 0);
}

function binaryKey(v: unknown): string {
  const bytes = binaryBytes(v);
  let out = String.fromCharCode(bytes.length >>> 16, bytes.length & 0xffff, binarySubtype(v));
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}

function timestampKey(v: unknown): string {
  const value = timestampValue(v);
  return units16(Number(value >> 32n), Number(value & 0xffffffffn));
}

function arrayKey(values: unknown[]): string {
  let out = TYPE_CHARS.array;
  for (const value of values) out += keyString(value);
  return out + END;
}

function objectKey(doc: Document): string {
  let out = TYPE_CHARS.object;
  for (const name of definedKeys(doc)) {
    const value = keyString(doc[name]);
    out += value[0] + escapeText(name) + TERMINATOR + value.slice(1);
  }
  return out + END;
}

/**
 * The key string of a value (see above): equal exactly for the values MongoDB considers equal
 * (numbers of every BSON type by value, objects by field names, order and values), ordered as
 * compareValues orders them. Used by the hash maps and the ordered index alike.
 */
export function keyString(v: unknown): string {
  const rank = typeRank(v);
  switch (rank) {
    case RANK.number:
      return TYPE_CHARS.number + numberKey(v);
    case RANK.string:
      return TYPE_CHARS.string + escapeText(String(v)) + TERMINATOR;
    case RANK.boolean:
      return TYPE_CHARS.boolean + (v ? '1' : '0');
    case RANK.date:
      return TYPE_CHARS.date + orderedDouble((v as Date).getTime());
    case RANK.objectId:
      return TYPE_CHARS.objectId + objectIdHex(v);
    case RANK.timestamp:
      return TYPE_CHARS.timestamp + timestampKey(v);
    case RANK.binary:
      return TYPE_CHARS.binary + binaryKey(v);
    case RANK.regex: {
      const { pattern, flags } = regexParts(v);
      return TYPE_CHARS.regex + escapeText(pattern) + TERMINATOR + escapeText(flags) + TERMINATOR;
    }
    case RANK.array:
      return arrayKey(v as unknown[]);
    case RANK.object:
      return objectKey(v as Document);
    default:
      return typeChar(rank);
  }
}
