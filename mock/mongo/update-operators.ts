/**
 * The update operators applied at one concrete path, with mongod's checks: each operator's
 * operand when the update is parsed, the type of the value it finds when it is applied, and
 * whether it may create the path (`$set`) or does nothing where the path is missing (`$unset`,
 * `$pull`, `$pop`).
 */
import { Long, Timestamp, type Document } from 'bson';
import { bsonTypeAlias, numberType, typedArithmetic } from './numbers';
import { compareUnder, type Compare } from './collation';
import { addDecimal, multiplyDecimal } from './decimal';
import { MongoCommandError } from './errors';
import { compileFilter, sortDocuments } from './query';
import type { Parts } from './update-paths';

export function isPlainObject(v: unknown): v is Document {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/** Deep copy of the plain parts of a value; BSON values (ObjectId, Date …) are shared, never mutated. */
export function cloneDocument<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneDocument) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (!isPlainObject(value)) return value;
  const out: Document = {};
  for (const [k, v] of Object.entries(value)) out[k] = cloneDocument(v);
  return out as T;
}

/** The BSON type name mongod's messages use ('missing' for an absent field). */
export function typeName(v: unknown): string {
  return v === undefined ? 'missing' : bsonTypeAlias(v);
}

function render(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (isPlainObject(v) || Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}

function isNumeric(v: unknown): boolean {
  return numberType(v) !== undefined;
}

function isIntegral(v: unknown): boolean {
  return numberType(v) === 'int' || numberType(v) === 'long';
}

function asBigInt(v: unknown): bigint {
  return typeof v === 'number' ? BigInt(v) : BigInt(String(v));
}

/** current (op) operand for $inc/$mul: exact for Decimal128, mongod's result types for the rest. */
function arithmetic(op: '$inc' | '$mul', current: unknown, operand: unknown): unknown {
  const decimal = op === '$inc' ? addDecimal(current, operand) : multiplyDecimal(current, operand);
  return decimal ?? typedArithmetic(op, current, operand);
}

/** What an operator does at a path whose value is `current` (undefined: missing). */
export interface Located {
  parent: Document | unknown[];
  key: string;
  /** The full concrete path, for messages. */
  path: string;
  /** The document's `_id`, for messages. */
  id: unknown;
}

function current(at: Located): unknown {
  return Array.isArray(at.parent) ? at.parent[Number(at.key)] : (at.parent as Document)[at.key];
}

function write(at: Located, value: unknown): void {
  if (!Array.isArray(at.parent)) {
    (at.parent as Document)[at.key] = value;
    return;
  }
  const index = Number(at.key);
  while (at.parent.length < index) at.parent.push(null);
  at.parent[index] = value;
}

function remove(at: Located): void {
  if (!Array.isArray(at.parent)) delete (at.parent as Document)[at.key];
  else if (Number(at.key) < at.parent.length) at.parent[Number(at.key)] = null;
}

function idText(at: Located): string {
  return `{ _id: ${render(at.id)} }`;
}

function existingArray(at: Located, refuse: (value: unknown) => MongoCommandError): unknown[] | undefined {
  const value = current(at);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw refuse(value);
  return value;
}

// Operand checks, run once when the update is parsed.

function checkArithmeticOperand(op: string, path: string, operand: unknown): void {
  if (isNumeric(operand)) return;
  const verb = op === '$inc' ? 'increment' : 'multiply';
  throw new MongoCommandError(14, `Cannot ${verb} with non-numeric argument: {${path}: ${render(operand)}}`);
}

function checkEach(op: string, operand: unknown): void {
  if (!isPlainObject(operand) || !('$each' in operand)) return;
  if (!Array.isArray(operand.$each)) {
    throw new MongoCommandError(2, `The argument to $each in ${op} must be an array but it was of type: ${typeName(operand.$each)}`);
  }
  const allowed = op === '$push' ? ['$each', '$slice', '$sort', '$position'] : ['$each'];
  const unknown = Object.keys(operand).find((k) => !allowed.includes(k));
  if (unknown && op === '$push') throw new MongoCommandError(2, `Unrecognized clause in $push: ${unknown}`);
  if (unknown) throw new MongoCommandError(2, `Found unexpected fields after $each in $addToSet: ${render(operand)}`);
  if ('$slice' in operand && !isIntegral(operand.$slice)) throw new MongoCommandError(2, 'The value for $slice must be an integer value');
  if ('$position' in operand && !isIntegral(operand.$position)) throw new MongoCommandError(2, 'The value for $position must be an integer value');
  if ('$sort' in operand) checkPushSort(operand.$sort);
}

function checkPushSort(sort: unknown): void {
  const direction = (d: unknown) => d === 1 || d === -1;
  if (direction(sort)) return;
  if (isPlainObject(sort) && Object.keys(sort).length && Object.values(sort).every(direction)) return;
  throw new MongoCommandError(2, 'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
}

function checkCurrentDate(path: string, operand: unknown): void {
  if (typeof operand === 'boolean') return;
  if (isPlainObject(operand) && (operand.$type === 'date' || operand.$type === 'timestamp') && Object.keys(operand).length === 1) return;
  throw new MongoCommandError(2, `${path} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`);
}

function checkBit(operand: unknown): void {
  if (!isPlainObject(operand)) {
    throw new MongoCommandError(2, `The $bit modifier is not compatible with a ${typeName(operand)}. You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}`);
  }
  for (const [name, value] of Object.entries(operand)) {
    if (!['and', 'or', 'xor'].includes(name)) throw new MongoCommandError(2, `The $bit modifier only supports 'and', 'or', and 'xor', not '${name}' which is an unknown operator: {${name}: ${render(value)}}`);
    if (!isIntegral(value)) throw new MongoCommandError(2, `The $bit modifier field must be an Integer(32/64 bit); a '${typeName(value)}' is not supported here: {${name}: ${render(value)}}`);
  }
}

/** Refuses an operand mongod refuses while parsing the update. */
export function checkOperand(op: string, path: string, operand: unknown): void {
  if (op === '$inc' || op === '$mul') checkArithmeticOperand(op, path, operand);
  else if (op === '$push' || op === '$addToSet') checkEach(op, operand);
  else if (op === '$pop' && !(isNumeric(operand) && (Number(operand) === 1 || Number(operand) === -1))) {
    throw new MongoCommandError(9, `$pop expects 1 or -1, found: ${render(operand)}`);
  } else if (op === '$pullAll' && !Array.isArray(operand)) {
    throw new MongoCommandError(2, `$pullAll requires an array argument but was given a ${typeName(operand)}`);
  } else if (op === '$currentDate') checkCurrentDate(path, operand);
  else if (op === '$bit') checkBit(operand);
}

// Application at a located path.

function applyArithmetic(op: '$inc' | '$mul', at: Located, operand: unknown): void {
  const value = current(at);
  if (value === undefined) {
    write(at, arithmetic(op, undefined, operand));
    return;
  }
  if (!isNumeric(value)) {
    throw new MongoCommandError(14, `Cannot apply ${op} to a value of non-numeric type. ${idText(at)} has the field '${at.key}' of non-numeric type ${typeName(value)}`);
  }
  write(at, arithmetic(op, value, operand));
}

function applyMinMax(op: '$min' | '$max', at: Located, operand: unknown, compare: Compare): void {
  const value = current(at);
  const c = value === undefined ? 0 : compare(operand, value);
  if (value === undefined || (op === '$min' ? c < 0 : c > 0)) write(at, cloneDocument(operand));
}

function applyCurrentDate(at: Located, operand: unknown): void {
  const timestamp = isPlainObject(operand) && operand.$type === 'timestamp';
  const now = Date.now();
  write(at, timestamp ? new Timestamp({ t: Math.floor(now / 1000), i: 1 }) : new Date(now));
}

function applyBit(at: Located, operand: Document): void {
  const value = current(at);
  if (value !== undefined && !isIntegral(value)) {
    throw new MongoCommandError(2, `Cannot apply $bit to a value of non-integral type.${idText(at)} has the field ${at.key} of non-integer type ${typeName(value)}`);
  }
  let result = value === undefined ? 0n : asBigInt(value);
  let long = numberType(value) === 'long';
  for (const [name, bits] of Object.entries(operand)) {
    const b = asBigInt(bits);
    long ||= numberType(bits) === 'long';
    result = name === 'and' ? result & b : name === 'or' ? result | b : result ^ b;
  }
  write(at, long ? Long.fromBigInt(result) : Number(BigInt.asIntN(32, result)));
}

function sortPushed(values: unknown[], sort: unknown, compare: Compare): unknown[] {
  if (sort === 1 || sort === -1) return [...values].sort((a, b) => compare(a, b) * (sort as number));
  const docs = values.map((v) => (isPlainObject(v) ? v : { __value: v }));
  const sorted = sortDocuments(docs, sort as Document, Infinity, compare);
  return sorted.map((d) => ('__value' in d && Object.keys(d).length === 1 ? d.__value : d));
}

function applyPush(at: Located, operand: unknown, compare: Compare): void {
  const existing = existingArray(at, (v) => new MongoCommandError(2, `The field '${at.key}' must be an array but is of type ${typeName(v)} in document ${idText(at)}`));
  const spec = isPlainObject(operand) && '$each' in operand ? operand : { $each: [operand] };
  const array = [...(existing ?? [])];
  const each = (spec.$each as unknown[]).map(cloneDocument);
  const position = spec.$position === undefined ? array.length : Number(spec.$position);
  const at0 = position < 0 ? Math.max(0, array.length + position) : Math.min(position, array.length);
  array.splice(at0, 0, ...each);
  let result = spec.$sort === undefined ? array : sortPushed(array, spec.$sort, compare);
  if (spec.$slice !== undefined) {
    const slice = Number(spec.$slice);
    result = slice >= 0 ? result.slice(0, slice) : result.slice(Math.max(0, result.length + slice));
  }
  write(at, result);
}

function applyAddToSet(at: Located, operand: unknown, compare: Compare): void {
  const existing = existingArray(at, (v) => new MongoCommandError(2, `Cannot apply $addToSet to non-array field. Field named '${at.key}' has non-array type ${typeName(v)}`));
  const each = isPlainObject(operand) && '$each' in operand ? (operand.$each as unknown[]) : [operand];
  const array = [...(existing ?? [])];
  for (const value of each) if (!array.some((v) => compare(v, value) === 0)) array.push(cloneDocument(value));
  write(at, array);
}

function applyPop(at: Located, operand: unknown): void {
  const array = existingArray(at, (v) => new MongoCommandError(14, `Path '${at.path}' contains an element of non-array type '${typeName(v)}'`));
  if (!array || array.length === 0) return;
  write(at, Number(operand) === 1 ? array.slice(0, -1) : array.slice(1));
}

/** A query operator that tests a value itself (`{$gte: 3}`), as opposed to `$or`/`$and` or a field. */
function testsValue(condition: Document): boolean {
  const first = Object.keys(condition)[0];
  return first !== undefined && first.startsWith('$') && !['$and', '$or', '$nor', '$expr', '$where', '$comment', '$text'].includes(first);
}

/** mongod's $pull matchers: a query on document elements, an operator on the value, or equality. */
function pullMatcher(condition: unknown, collation: Document | null): (element: unknown) => boolean {
  if (isPlainObject(condition) && !testsValue(condition)) {
    const query = compileFilter(condition, { collation });
    return (element) => isPlainObject(element) && query(element);
  }
  if (isPlainObject(condition) || condition instanceof RegExp) {
    const wrapped = compileFilter({ value: condition }, { collation });
    return (element) => wrapped({ value: element });
  }
  const compare = compareUnder(collation);
  return (element) => compare(element, condition) === 0;
}

function applyPull(op: '$pull' | '$pullAll', at: Located, operand: unknown, collation: Document | null): void {
  const array = existingArray(at, () => new MongoCommandError(2, `Cannot apply ${op} to a non-array value`));
  if (!array) return;
  const compare = compareUnder(collation);
  const matches = op === '$pull' ? pullMatcher(operand, collation) : (e: unknown) => (operand as unknown[]).some((v) => compare(e, v) === 0);
  const kept = array.filter((element) => !matches(element));
  if (kept.length !== array.length) write(at, kept);
}

/** Operators that do nothing where their path is missing or cannot exist. */
export const NON_CREATING = new Set(['$unset', '$pull', '$pullAll', '$pop']);

/** Applies one operator at a located path; strings compare under `collation` ($pull, $min …). */
export function applyOperator(op: string, at: Located, operand: unknown, collation: Document | null = null): void {
  const compare = compareUnder(collation);
  switch (op) {
    case '$set':
    case '$setOnInsert':
      return write(at, cloneDocument(operand));
    case '$unset':
      return remove(at);
    case '$inc':
    case '$mul':
      return applyArithmetic(op, at, operand);
    case '$min':
    case '$max':
      return applyMinMax(op, at, operand, compare);
    case '$currentDate':
      return applyCurrentDate(at, operand);
    case '$bit':
      return applyBit(at, operand as Document);
    case '$push':
      return applyPush(at, operand, compare);
    case '$addToSet':
      return applyAddToSet(at, operand, compare);
    case '$pop':
      return applyPop(at, operand);
    case '$pull':
    case '$pullAll':
      return applyPull(op, at, operand, collation);
  }
}

function isContainer(v: unknown): v is Document | unknown[] {
  return Array.isArray(v) || isPlainObject(v);
}

function notViable(parts: Parts, i: number, container: unknown): MongoCommandError {
  if (Array.isArray(container)) {
    return new MongoCommandError(28, `Cannot use the part (${parts[i]} of ${parts.join('.')}) to traverse the element ({${parts[i - 1] ?? ''}: ${render(container)}})`);
  }
  return new MongoCommandError(28, `Cannot create field '${parts[i]}' in element {${parts[i - 1]}: ${render(container)}}`);
}

/**
 * The parent and key of a concrete path. With `create`, missing parents are made (array slots
 * past the end filled with null) and a path through a scalar or an array's named field is
 * PathNotViable (28); without it such a path is null, meaning nothing to do.
 */
export function locate(doc: Document, parts: Parts, create: boolean, id: unknown): Located | null {
  let container: Document | unknown[] = doc;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (Array.isArray(container) && !/^\d+$/.test(part)) {
      if (create) throw notViable(parts, i, container);
      return null;
    }
    const at: Located = { parent: container, key: part, path: parts.join('.'), id };
    if (i === parts.length - 1) return at;
    const child = current(at);
    if (child === undefined) {
      if (!create) return null;
      write(at, {});
      container = current(at) as Document;
    } else if (isContainer(child)) {
      container = child;
    } else {
      if (create) throw notViable(parts, i + 1, child);
      return null;
    }
  }
  return null;
}
