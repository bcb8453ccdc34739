/**
 * Applying an update (operators, replacement or pipeline) to one document, and building the
 * document an upsert inserts. Operator updates follow mongod's update tree: the update is parsed
 * and checked once (update-paths.ts), its paths expanded for the document, then each operator is
 * applied at its concrete paths in field-name order (update-operators.ts). Pipelines run on mingo.
 */
import type { Document } from 'bson';
import { setValue } from 'mingo/util';
import { keyString } from './compare';
import { withIdFirst } from './collection';
import { MongoCommandError } from './errors';
import { restoreNumberTypes, withPlainNumbers } from './numbers';
import { runMingoPipeline } from './query';
import { applyOperator, checkOperand, cloneDocument, isPlainObject, locate, NON_CREATING, typeName } from './update-operators';
import {
  checkArrayFiltersUsed,
  checkConcreteConflicts,
  comparePaths,
  expandPath,
  isDynamic,
  parseArrayFilters,
  parsePath,
  PathTree,
  valueAt,
  type ExpandContext,
  type Parts,
} from './update-paths';

export { cloneDocument } from './update-operators';

const UPDATE_OPERATORS = new Set([
  '$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pull', '$pullAll',
  '$addToSet', '$pop', '$currentDate', '$bit', '$setOnInsert',
]);

export type UpdateSpec = Document | Document[];

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

function validateReplacement(doc: Document): void {
  for (const key of Object.keys(doc)) {
    if (key.startsWith('$')) throw new MongoCommandError(52, `The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document.`);
  }
}

/** One operator at one path of the update, as written. */
interface Modification {
  op: string;
  parts: Parts;
  operand: unknown;
  /** For $rename: the destination. */
  to?: Parts;
}

function operatorFields(op: string, fields: unknown): Document {
  if (!UPDATE_OPERATORS.has(op)) {
    throw new MongoCommandError(9, `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  if (!isPlainObject(fields)) {
    throw new MongoCommandError(9, `Modifiers operate on fields but we found type ${typeName(fields)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${JSON.stringify(fields)}}`);
  }
  return fields;
}

function parseRename(from: string, parts: Parts, to: unknown): Parts {
  if (typeof to !== 'string') throw new MongoCommandError(2, `The 'to' field for $rename must be a string: ${from}: ${JSON.stringify(to)}`);
  const target = parsePath(to);
  const joined = parts.join('.');
  if (joined === to) throw new MongoCommandError(2, `The source and target field for $rename must differ: ${from}: "${to}"`);
  if (to.startsWith(`${joined}.`) || joined.startsWith(`${to}.`)) {
    throw new MongoCommandError(2, `The source and target field for $rename must not be on the same path: ${from}: "${to}"`);
  }
  if (parts.some(isDynamic)) throw new MongoCommandError(2, `The source field for $rename may not be dynamic: ${from}`);
  if (target.some(isDynamic)) throw new MongoCommandError(2, `The destination field for $rename may not be dynamic: ${to}`);
  return target;
}

/** Parses and checks an operator update the way mongod does before touching any document. */
function parseModifications(u: Document): Modification[] {
  const tree = new PathTree();
  const mods: Modification[] = [];
  for (const [op, fields] of Object.entries(u)) {
    for (const [path, operand] of Object.entries(operatorFields(op, fields))) {
      const parts = parsePath(path);
      checkOperand(op, path, operand);
      const to = op === '$rename' ? parseRename(path, parts, operand) : undefined;
      tree.add(parts);
      if (to) tree.add(to);
      mods.push({ op, parts, operand, to });
    }
  }
  return mods;
}

/** One operator at one concrete path of this document. */
interface Step {
  mod: Modification;
  path: Parts;
}

function concreteSteps(doc: Document, mods: Modification[], ctx: ExpandContext): Step[] {
  const steps = mods.flatMap((mod) => expandPath(doc, mod.parts, ctx).map((path) => ({ mod, path })));
  checkConcreteConflicts([...steps.map((s) => s.path), ...mods.flatMap((m) => (m.to ? [m.to] : []))]);
  return steps.sort((a, b) => comparePaths(a.mod.to ?? a.path, b.mod.to ?? b.path));
}

/** $rename: the source, if it exists outside any array, moves to the destination. */
function applyRename(doc: Document, from: Parts, to: Parts, id: unknown): void {
  const source = locate(doc, from, false, id);
  const value = source && valueAt(doc, from);
  if (!source || value === undefined) {
    if (!source) refuseNonViableSource(doc, from);
    return;
  }
  refuseArrayOnPath(doc, from, 'source', id);
  refuseArrayOnPath(doc, to, 'destination', id);
  applyOperator('$unset', source, undefined);
  applyOperator('$set', locate(doc, to, true, id)!, value);
}

/** mongod fails a rename whose source runs through a scalar or an array's named field (28). */
function refuseNonViableSource(doc: Document, from: Parts): void {
  for (let i = 0; i < from.length - 1; i++) {
    const value = valueAt(doc, from.slice(0, i + 1));
    if (value === undefined) return;
    const viable = Array.isArray(value) ? /^\d+$/.test(from[i + 1]) : isPlainObject(value);
    if (!viable) throw new MongoCommandError(28, `cannot use the part (${from[i + 1]} of ${from.join('.')}) to traverse the element ({${from[i]}: ${JSON.stringify(value)}})`);
  }
}

function refuseArrayOnPath(doc: Document, parts: Parts, which: 'source' | 'destination', id: unknown): void {
  for (let i = 1; i < parts.length; i++) {
    if (Array.isArray(valueAt(doc, parts.slice(0, i)))) {
      throw new MongoCommandError(2, `The ${which} field cannot be an array element, '${parts.join('.')}' in doc with _id: ${JSON.stringify(id)} has an array field called '${parts[i - 1]}'`);
    }
  }
}

/** An update of an existing document may not create a top-level `$`-prefixed field (an upsert's insert may). */
function refuseTopLevelDollar(steps: Step[]): void {
  for (const { mod, path } of steps) {
    const top = (mod.to ?? path).length === 1 ? (mod.to ?? path)[0] : '';
    if (top.startsWith('$') && mod.op !== '$unset' && mod.op !== '$setOnInsert') {
      throw new MongoCommandError(52, `The dollar ($) prefixed field '${top}' in '${top}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`);
    }
  }
}

interface OperatorContext {
  filter: Document;
  arrayFilters: Document[] | undefined;
  inserting: boolean;
  collation: Document | null;
}

function applyOperators(doc: Document, u: Document, { filter, arrayFilters, inserting, collation }: OperatorContext): Document {
  const mods = parseModifications(u);
  const filters = parseArrayFilters(arrayFilters, collation);
  checkArrayFiltersUsed(mods.map((m) => m.parts), filters, u);
  const next = cloneDocument(doc);
  const steps = concreteSteps(next, mods, { filter, arrayFilters: filters, inserting, collation });
  if (!inserting) refuseTopLevelDollar(steps);
  for (const { mod, path } of steps) {
    if (mod.op === '$setOnInsert' && !inserting) continue;
    if (mod.op === '$rename') {
      applyRename(next, path, mod.to!, doc._id);
      continue;
    }
    const at = locate(next, path, !NON_CREATING.has(mod.op), doc._id);
    if (at) applyOperator(mod.op, at, mod.operand, collation);
  }
  return next;
}

function applyPipeline(doc: Document, pipeline: Document[]): Document {
  const plain = withPlainNumbers(doc);
  const [result] = runMingoPipeline([cloneDocument(plain)], pipeline);
  return result ? restoreNumberTypes(result, doc, plain) : {};
}

/** The document after `u`; `_id` may not change. Strings compare under the statement's collation. */
export function applyUpdate(doc: Document, u: UpdateSpec, arrayFilters: Document[] | undefined, filter: Document, collation: Document | null = null): Document {
  let next: Document;
  if (Array.isArray(u)) next = applyPipeline(doc, u);
  else if (isOperatorUpdate(u)) next = applyOperators(doc, u, { filter, arrayFilters, inserting: false, collation });
  else {
    validateReplacement(u);
    next = { _id: doc._id, ...cloneDocument(u) };
  }
  if (!('_id' in next) && Array.isArray(u)) return withIdFirst({ _id: doc._id, ...next });
  if (keyString(next._id) !== keyString(doc._id)) {
    throw new MongoCommandError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return withIdFirst(next);
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
  return withIdFirst(applyOperators(seed, u, { filter, arrayFilters, inserting: true, collation: null }));
}
