/**
 * The writing stages that end a pipeline. `$out` builds the new collection aside (with the
 * indexes of the one it replaces) and swaps it in only when every document went in, so a failed
 * `$out` leaves the old collection as it was, as in mongod. `$merge` writes document by document
 * like mongod's batched updates: what was written before a failing document stays written.
 */
import { ObjectId, type Document } from 'bson';
import { resolve } from 'mingo/util';
import { validateCollectionName } from '../catalog';
import { Collection, withIdFirst } from '../collection';
import { MongoCommandError } from '../errors';
import { runMingoPipeline } from '../query';
import { applyUpdate } from '../update';
import type { Change } from '../storage/types';
import type { CommandContext } from './context';
import { matchingDocuments } from './matching';
import { bindUpdate, isPlainObject, validateVariableName, type Variables } from './variables';

interface Target {
  db: string;
  coll: string;
}

/** A stage's target: a collection name in this database, or `{db, coll}`. */
function targetOf(ctx: CommandContext, stage: string, spec: unknown): Target {
  const target = typeof spec === 'string' ? { db: ctx.db, coll: spec } : isPlainObject(spec) ? { db: (spec.db as string | undefined) ?? ctx.db, coll: spec.coll } : null;
  if (!target || typeof target.coll !== 'string' || typeof target.db !== 'string') {
    throw new MongoCommandError(14, `${stage} requires a string or object argument`);
  }
  try {
    validateCollectionName(target.coll);
  } catch {
    throw new MongoCommandError(73, `Invalid ${stage} target namespace: '${target.db}.${target.coll}'`);
  }
  return target as Target;
}

/** `$out`: replaces the target collection by `docs` in one step, keeping its options and indexes. */
export function writeOut(ctx: CommandContext, spec: unknown, docs: Document[]): void {
  const { db, coll } = targetOf(ctx, '$out', spec);
  const existing = ctx.engine.catalog.get(db, coll);
  const staged = new Collection(db, coll, existing?.options ?? {});
  const indexChanges: Change[] = [];
  for (const index of existing?.indexes.values() ?? []) {
    const created = staged.createIndex(index.spec);
    if (created) indexChanges.push({ op: 'createIndex', ns: staged.ns, spec: created.spec });
  }
  const puts: Change[] = [];
  for (const doc of docs) staged.insert(doc, puts);
  ctx.engine.catalog.drop(db, coll, ctx.changes);
  ctx.engine.catalog.attach(staged);
  ctx.changes.push({ op: 'createCollection', ns: staged.ns, options: staged.options }, ...indexChanges, ...puts);
}

type WhenMatched = 'merge' | 'replace' | 'keepExisting' | 'fail' | Document[];
type WhenNotMatched = 'insert' | 'discard' | 'fail';

interface MergeSpec {
  target: Target;
  on: string[];
  whenMatched: WhenMatched;
  whenNotMatched: WhenNotMatched;
  let: Document | undefined;
}

/** The whenMatched/whenNotMatched pairs mongod implements. */
const SUPPORTED_MODES: Record<string, WhenNotMatched[]> = {
  merge: ['insert', 'fail', 'discard'],
  replace: ['insert', 'fail', 'discard'],
  pipeline: ['insert', 'fail', 'discard'],
  keepExisting: ['insert'],
  fail: ['insert'],
};

function parseMerge(ctx: CommandContext, spec: unknown): MergeSpec {
  if (typeof spec === 'string') return parseMerge(ctx, { into: spec });
  if (!isPlainObject(spec)) throw new MongoCommandError(51182, '$merge only supports a string or object argument');
  const on = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on : [spec.on];
  if (on.length === 0 || !on.every((field) => typeof field === 'string')) {
    throw new MongoCommandError(51134, "$merge 'on' array cannot be empty and must contain only strings");
  }
  const whenMatched = (spec.whenMatched ?? 'merge') as WhenMatched;
  const whenNotMatched = (spec.whenNotMatched ?? 'insert') as WhenNotMatched;
  const mode = Array.isArray(whenMatched) ? 'pipeline' : whenMatched;
  if (!SUPPORTED_MODES[mode]?.includes(whenNotMatched)) {
    throw new MongoCommandError(51181, `Combination of $merge modes 'whenMatched: ${mode}' and 'whenNotMatched: ${whenNotMatched}' is not supported`);
  }
  if (spec.let !== undefined && mode !== 'pipeline') {
    throw new MongoCommandError(51199, `Cannot use 'let' variables with 'whenMatched: ${mode}' mode`);
  }
  if (isPlainObject(spec.let)) Object.keys(spec.let).forEach(validateVariableName);
  return { target: targetOf(ctx, '$merge', spec.into), on: on as string[], whenMatched, whenNotMatched, let: spec.let as Document | undefined };
}

function sameFields(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((field) => b.includes(field));
}

/** `on` other than `_id` needs a unique index on exactly those fields, so a match is at most one document. */
function requireUniqueOn(collection: Collection | undefined, on: string[]): void {
  if (sameFields(on, ['_id'])) return;
  const found = [...(collection?.indexes.values() ?? [])].some(
    (index) => index.spec.unique && !index.spec.partialFilterExpression && sameFields(Object.keys(index.spec.key), on),
  );
  if (!found) throw new MongoCommandError(51183, 'Cannot find index to verify that join fields will be unique');
}

/** The `on` fields' values of a result document (which may not be missing, null or arrays). */
function onValues(doc: Document, on: string[]): Document {
  const values: Document = {};
  for (const field of on) {
    const value = resolve(doc, field);
    if (Array.isArray(value)) throw new MongoCommandError(51185, `$merge write error: 'on' field '${field}' is an array`);
    if (value === null || value === undefined) {
      throw new MongoCommandError(51132, `$merge write error: 'on' field '${field}' cannot be missing, null, undefined or an array`);
    }
    values[field] = value;
  }
  return values;
}

function matchFor(collection: Collection, on: string[], values: Document): Document | undefined {
  if (sameFields(on, ['_id'])) return collection.getById(values._id);
  return matchingDocuments(collection, values, { limit: 1 })[0];
}

/** The variables a whenMatched pipeline sees: the command's, then `$merge`'s own `let` evaluated on the result document. */
function mergeVariables(spec: MergeSpec, doc: Document, variables: Variables | null): Variables {
  const own = spec.let ?? { new: '$$ROOT' };
  const [evaluated] = runMingoPipeline([doc], [{ $replaceWith: own }], { variables: variables ?? {} });
  return { ...(variables ?? {}), ...evaluated };
}

/** The matched document after the whenMatched action, or null when it stays as it is. */
function mergedDocument(spec: MergeSpec, target: Document, doc: Document, variables: Variables | null): Document | null {
  if (spec.whenMatched === 'keepExisting') return null;
  if (spec.whenMatched === 'merge') return applyUpdate(target, { $set: doc }, undefined, {});
  if (spec.whenMatched === 'replace') return applyUpdate(target, doc, undefined, {});
  return applyUpdate(target, bindUpdate(spec.whenMatched as Document[], mergeVariables(spec, doc, variables)), undefined, {});
}

function mergeOne(ctx: CommandContext, spec: MergeSpec, collection: Collection, given: Document, variables: Variables | null): void {
  const doc = spec.on.includes('_id') && !('_id' in given) ? withIdFirst({ _id: new ObjectId(), ...given }) : given;
  if (spec.whenMatched === 'fail') {
    collection.insert(doc, ctx.changes);
    return;
  }
  const target = matchFor(collection, spec.on, onValues(doc, spec.on));
  if (!target) {
    if (spec.whenNotMatched === 'insert') collection.insert(doc, ctx.changes);
    if (spec.whenNotMatched === 'fail') {
      throw new MongoCommandError(13113, '$merge could not find a matching document in the target collection for at least one document in the source collection');
    }
    return;
  }
  const next = mergedDocument(spec, target, doc, variables);
  if (next) collection.replace(next, ctx.changes);
}

/** `$merge`: writes each result document into the target collection as its modes say. */
export function writeMerge(ctx: CommandContext, stage: unknown, docs: Document[], variables: Variables | null): void {
  const spec = parseMerge(ctx, stage);
  const { db, coll } = spec.target;
  requireUniqueOn(ctx.engine.catalog.get(db, coll), spec.on);
  const collection = ctx.engine.catalog.obtain(db, coll, ctx.changes);
  for (const doc of docs) mergeOne(ctx, spec, collection, doc, variables);
}
