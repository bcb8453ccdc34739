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

function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && Number.isNaN(a)) return typeof b === 'number' && Number.isNaN(b) ? 0 : -1;
  if (typeof b === 'number' && Number.isNaN(b)) return 1;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function compareObjects(a: Document, b: Document): number {
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
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
      return compareNumbers(numericValue(a), numericValue(b));
    case RANK.string:
      return compareStrings(String(a), String(b));
    case RANK.boolean:
      return a === b ? 0 : a ? 1 : -1;
    case RANK.date:
      return compareNumbers((a as Date).getTime(), (b as Date).getTime());
    case RANK.objectId:
      return compareStrings((a as { toHexString(): string }).toHexString(), (b as { toHexString(): string }).toHexString());
    case RANK.timestamp:
      return compareNumbers(BigInt(String(a)), BigInt(String(b)));
    case RANK.binary:
      return compareBytes(binaryBytes(a), binaryBytes(b));
    case RANK.regex:
      return compareStrings(String(a), String(b));
    case RANK.array:
      return compareArrays(a as unknown[], b as unknown[]);
    default:
      return compareObjects(a as Document, b as Document);
  }
}

function binaryBytes(v: unknown): Uint8Array {
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return (v as { buffer: Uint8Array }).buffer;
}

/** Equality as MongoDB's `$eq` sees it: same type class and equal value (1 == 1.0 == Long(1)). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  return compareValues(a, b) === 0;
}

/**
 * A string that is equal for exactly the values MongoDB considers equal, for hash-map indexes:
 * numbers of any BSON type collapse to one key, objects keep their field order.
 */
export function keyString(v: unknown): string {
  const rank = typeRank(v);
  switch (rank) {
    case RANK.null:
      return 'z';
    case RANK.number: {
      const n = numericValue(v);
      return typeof n === 'bigint' ? `n${n}` : Object.is(n, -0) ? 'n0' : `n${n}`;
    }
    case RANK.string:
      return `s${String(v)}`;
    case RANK.boolean:
      return v ? 'bt' : 'bf';
    case RANK.date:
      return `d${(v as Date).getTime()}`;
    case RANK.objectId:
      return `o${(v as { toHexString(): string }).toHexString()}`;
    case RANK.array:
      return `a[${(v as unknown[]).map(keyString).join(',')}]`;
    case RANK.object:
      return `{${Object.entries(v as Document)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => `${JSON.stringify(k)}:${keyString(x)}`)
        .join(',')}}`;
    case RANK.binary:
      return `x${Buffer.from(binaryBytes(v)).toString('hex')}`;
    default:
      return `${rank}:${String(v)}`;
  }
}
