/**
 * `$lookup`, run here rather than by mingo so that the join reads our collections without
 * copying them, matches with MongoDB's equality (numbers across BSON types, a missing field
 * equal to null, arrays by element), and uses an index on `foreignField` when there is one.
 * Forms: localField/foreignField; let/pipeline (correlated through `$expr`); and both together
 * (5.0+: the pipeline runs on the equality matches).
 */
import type { Document } from 'bson';
import { resolve, setValue } from 'mingo/util';
import type { Collection } from '../collection';
import { keyString } from '../compare';
import { MongoCommandError } from '../errors';
import { runMingoPipeline } from '../query';
import { cloneDocument } from '../update';
import type { CommandContext } from './context';
import { readCollection } from './context';
import { matchingDocuments } from './matching';
import { validateVariableName, type Variables } from './variables';

/** Runs a sub-pipeline over documents (the caller's stage runner, so nested stages behave alike). */
export type PipelineRunner = (docs: Document[], pipeline: Document[], variables: Variables | null) => Document[];

interface LookupSpec {
  from?: string;
  as: string;
  localField?: string;
  foreignField?: string;
  let?: Document;
  pipeline?: Document[];
}

function parseLookup(spec: unknown): LookupSpec {
  const lookup = spec as LookupSpec;
  if (!lookup || typeof lookup !== 'object') throw new MongoCommandError(9, 'the $lookup specification must be an Object');
  if (typeof lookup.as !== 'string') throw new MongoCommandError(9, "must specify 'as' field for a $lookup");
  const fromDocuments = Array.isArray(lookup.pipeline) && lookup.pipeline[0] !== undefined && '$documents' in lookup.pipeline[0];
  if (lookup.from === undefined ? !fromDocuments : typeof lookup.from !== 'string') {
    throw new MongoCommandError(9, "$lookup requires a 'from' collection name unless its pipeline starts with $documents");
  }
  if ((lookup.localField === undefined) !== (lookup.foreignField === undefined)) {
    throw new MongoCommandError(9, "$lookup requires both or neither of 'localField' and 'foreignField' to be specified");
  }
  if (lookup.localField === undefined && lookup.pipeline === undefined) {
    throw new MongoCommandError(9, "$lookup requires either 'pipeline' or both 'localField' and 'foreignField' to be specified");
  }
  if (lookup.pipeline !== undefined && !Array.isArray(lookup.pipeline)) throw new MongoCommandError(14, "'pipeline' option must be specified as an array");
  return lookup;
}

/** The values a local document joins on: each element of an array, null for a missing field. */
function localValues(doc: Document, field: string): unknown[] {
  const value = resolve(doc, field, { unwrapArray: true });
  if (value === undefined) return [null];
  return Array.isArray(value) ? value : [value];
}

/** The keys a foreign document is found under, as an index on foreignField would hold them. */
function foreignKeys(doc: Document, field: string): string[] {
  const value = resolve(doc, field, { unwrapArray: true });
  if (value === undefined || value === null) return [keyString(null)];
  if (!Array.isArray(value)) return [keyString(value)];
  return [keyString(value), ...value.map((v) => keyString(v === undefined ? null : v))];
}

function hasIndexOn(collection: Collection, field: string): boolean {
  if (field === '_id') return true;
  return [...collection.indexes.values()].some((index) => Object.keys(index.spec.key)[0] === field && !index.spec.partialFilterExpression && !index.spec.sparse);
}

/** A function giving the foreign documents equal on the join fields, in natural order. */
function equalityJoin(foreign: Collection | undefined, foreignField: string): (values: unknown[]) => Document[] {
  if (!foreign) return () => [];
  if (hasIndexOn(foreign, foreignField)) {
    return (values) => matchingDocuments(foreign, { [foreignField]: { $in: values } });
  }
  const byKey = new Map<string, number[]>();
  const docs = [...foreign.docs.values()];
  docs.forEach((doc, position) => {
    for (const key of new Set(foreignKeys(doc, foreignField))) {
      const list = byKey.get(key);
      if (list) list.push(position);
      else byKey.set(key, [position]);
    }
  });
  return (values) => {
    const positions = new Set<number>();
    for (const value of values) for (const position of byKey.get(keyString(value)) ?? []) positions.add(position);
    return [...positions].sort((a, b) => a - b).map((position) => docs[position]);
  };
}

/** Each input document's `let` values, evaluated in one pass (the command's variables are visible). */
function letValues(docs: Document[], spec: Document | undefined, variables: Variables | null): Variables[] {
  if (!spec || Object.keys(spec).length === 0) return docs.map(() => ({}));
  const names = Object.keys(spec);
  names.forEach(validateVariableName);
  return runMingoPipeline(docs, [{ $replaceWith: spec }], { variables: variables ?? {} }).map(
    (values) => Object.fromEntries(names.map((name) => [name, values[name] ?? null])),
  );
}

/** Adds the joined documents under `as` without touching the input document (which may be stored). */
function withJoined(doc: Document, as: string, joined: Document[]): Document {
  const out = as.includes('.') ? cloneDocument(doc) : { ...doc };
  setValue(out, as, joined);
  return out;
}

export function lookupStage(ctx: CommandContext, docs: Document[], stage: unknown, variables: Variables | null, run: PipelineRunner): Document[] {
  const spec = parseLookup(stage);
  const foreign = spec.from === undefined ? undefined : readCollection(ctx, spec.from);
  const join = spec.localField !== undefined ? equalityJoin(foreign, spec.foreignField!) : null;
  const everything = join ? [] : [...(foreign?.docs.values() ?? [])];
  const perDocument = spec.pipeline ? letValues(docs, spec.let, variables) : [];
  return docs.map((doc, i) => {
    const candidates = join ? join(localValues(doc, spec.localField!)) : everything;
    const joined = spec.pipeline ? run(candidates, spec.pipeline, { ...(variables ?? {}), ...perDocument[i] }) : candidates;
    return withJoined(doc, spec.as, joined);
  });
}
