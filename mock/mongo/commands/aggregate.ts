/**
 * aggregate. mingo runs the stages, with what it lacks done here: a leading `$match` uses the
 * indexes (and a countDocuments pipeline only counts), `$geoNear` (first stage only) uses
 * geo.ts, `$documents` supplies the input of `aggregate: 1`, `$sort` uses MongoDB's type
 * ordering, `$lookup` joins our collections (lookup.ts), `$facet` runs its sub-pipelines through
 * the same runner (facet.ts), `$out`/`$merge` write (output.ts), and
 * the command's `let` variables are visible everywhere.
 *
 * Stages see the stored documents themselves: nothing is copied up front. Most stages build
 * new documents, but some of mingo's change their input in place (a dotted `$set`, `$unwind`
 * with includeArrayIndex ...), so the documents are copied just before the first such stage.
 */
import type { Document } from 'bson';
import * as pipelineOperators from 'mingo/operators/pipeline';
import type { Collection } from '../collection';
import { collationFrom, compareUnder, refuseUncollatedStages } from '../collation';
import { MongoCommandError } from '../errors';
import { geoNearStage } from '../geo';
import { hintOrder } from '../hint';
import { withPlainNumbers } from '../numbers';
import { compileFilter, runMingoPipeline, sortDocuments } from '../query';
import { cloneDocument } from '../update';
import { namespace, readCollection, type CommandContext, type CommandHandler } from './context';
import { facetStage } from './facet';
import { compileGroup, GroupFallback, type NativeGroup } from './group';
import { lookupStage } from './lookup';
import { countMatching, geoNearKey, hasNear, matchingDocuments } from './matching';
import { writeMerge, writeOut } from './output';
import { nearNotAllowed } from './read';
import { bindFilter, isPlainObject, letVariables, type Variables } from './variables';

function stageName(stage: Document): string {
  return Object.keys(stage)[0];
}

const WRITING_STAGES = new Set(['$out', '$merge']);

/**
 * Stage names MongoDB 7.0 knows that mingo does not run (mingo then fails naming the stage);
 * any other name mingo lacks is unknown to mongod too.
 */
const MONGODB_STAGES_MINGO_LACKS = new Set([
  '$geoNear', '$changeStream', '$changeStreamSplitLargeEvent', '$collStats', '$currentOp', '$indexStats', '$listLocalSessions',
  '$listSessions', '$listSampledQueries', '$listSearchIndexes', '$planCacheStats', '$search', '$searchMeta', '$shardedDataDistribution',
]);

/** mongod's parse errors for a stage that is not one field naming a known stage. */
function validateStageName(stage: Document): void {
  if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
    throw new MongoCommandError(40323, 'A pipeline stage specification object must contain exactly one field.');
  }
  const name = stageName(stage);
  if (!(name in pipelineOperators) && !MONGODB_STAGES_MINGO_LACKS.has(name)) {
    throw new MongoCommandError(40324, `Unrecognized pipeline stage name: '${name}'`);
  }
}

/** The stages of each `$facet` sub-pipeline (their own rules are checked by facet.ts as the stage runs). */
function facetSubStages(stage: Document): Document[] {
  const spec = stage.$facet;
  if (!isPlainObject(spec)) return [];
  return Object.values(spec).flatMap((sub) => (Array.isArray(sub) ? sub.filter(isPlainObject) : []));
}

function validatePipeline(ctx: CommandContext, pipeline: Document[]): void {
  pipeline.forEach((stage, i) => {
    validateStageName(stage);
    const name = stageName(stage);
    if (name === '$facet') facetSubStages(stage).forEach(validateStageName);
    if (name === '$geoNear' && i !== 0) throw new MongoCommandError(40603, '$geoNear was not the first stage in the pipeline after optimization. Is optimization disabled or inhibited?');
    if (name === '$match' && hasNear(stage.$match as Document)) throw nearNotAllowed();
    if (WRITING_STAGES.has(name) && i !== pipeline.length - 1) {
      throw new MongoCommandError(40601, `${name} can only be the final stage in the pipeline`);
    }
    if (WRITING_STAGES.has(name) && ctx.txn) throw new MongoCommandError(263, `${name} cannot be used in a transaction`);
  });
}

/** `$documents`: an array of documents (it may be an expression, evaluated once). */
function literalDocuments(spec: unknown, variables: Variables | null): Document[] {
  const [result] = runMingoPipeline([{}], [{ $replaceWith: { docs: spec } }], { variables: variables ?? {} });
  const docs = result?.docs;
  if (!Array.isArray(docs) || !docs.every((d) => d !== null && typeof d === 'object' && !Array.isArray(d))) {
    throw new MongoCommandError(5858203, 'an array is expected');
  }
  return docs as Document[];
}

/** The input of the pipeline after its first stage when that stage can use our indexes. */
function initialDocuments(
  ctx: CommandContext,
  name: string,
  pipeline: Document[],
  variables: Variables | null,
  order: Document | undefined,
  collation: Document | null = null,
): { docs: Document[]; rest: Document[] } {
  const collection = readCollection(ctx, name);
  const [first, ...rest] = pipeline;
  const firstName = first ? stageName(first) : '';
  if (firstName === '$documents') return { docs: literalDocuments(first.$documents, variables), rest };
  if (typeof ctx.command.aggregate !== 'string') {
    throw new MongoCommandError(73, `{aggregate: 1} is not valid for '${firstName || 'an empty pipeline'}'; a collection is required.`);
  }
  if (firstName === '$match') return { docs: matchingDocuments(collection, bindFilter(first.$match as Document, variables), { sort: order, collation }), rest };
  if (firstName === '$geoNear') {
    const spec = first.$geoNear as Document;
    const key = geoNearKey(collection, spec.key as string | undefined);
    const docs = geoNearStage([...(collection?.docs.values() ?? [])], spec, key, (query, doc) => compileFilter(query)(doc));
    return { docs, rest };
  }
  const all = [...(collection?.docs.values() ?? [])];
  return { docs: order ? sortDocuments(all, order) : all, rest: pipeline };
}

/** Stages that only read their input documents (new documents may share parts of them). */
const READ_ONLY_STAGES = new Set(['$match', '$skip', '$limit', '$count', '$group', '$sortByCount', '$sample', '$replaceRoot', '$replaceWith', '$documents']);

/** A `$project`/`$set` spec of top-level fields only: mingo then writes into a fresh copy, never into nested input. */
function topLevelOnly(spec: Document): boolean {
  return Object.entries(spec).every(([key, value]) => !key.includes('.') && !(isPlainObject(value) && !Object.keys(value).some((k) => k.startsWith('$'))));
}

/** True when mingo may change the documents this stage receives. */
function mayChangeInput(stage: Document): boolean {
  const name = stageName(stage);
  const spec = stage[name];
  if (READ_ONLY_STAGES.has(name)) return false;
  switch (name) {
    case '$set':
    case '$addFields':
    case '$project':
      return !isPlainObject(spec) || !topLevelOnly(spec);
    case '$unset':
      return ([] as unknown[]).concat(spec).some((field) => typeof field !== 'string' || field.includes('.'));
    case '$unwind':
      return typeof spec !== 'string' && (Boolean((spec as Document).includeArrayIndex) || Boolean((spec as Document).preserveNullAndEmptyArrays));
    default:
      return true;
  }
}

/** Stages that pass stored values through untouched, so Long and Double objects keep their type. */
const PASS_THROUGH_STAGES = new Set(['$match', '$skip', '$limit', '$count', '$sample', '$unset', '$unwind']);

/** True when a run of stages may compute with numbers (mingo's arithmetic needs plain JS numbers). */
function computesValues(segment: Document[]): boolean {
  return segment.some((stage) => !PASS_THROUGH_STAGES.has(stageName(stage)) || (isPlainObject(stage.$match) && '$expr' in stage.$match));
}

/**
 * Runs stages: `$sort`, `$lookup`, `$count`, `$facet` and the common shapes of `$group` (group.ts) here, runs of other stages in mingo. `owned` says whether
 * the current documents are our copies (then mingo may change them).
 */
function runStages(ctx: CommandContext, docs: Document[], stages: Document[], variables: Variables | null, collation: Document | null = null): Document[] {
  // $graphLookup reads other collections through mingo, which may change what it reads.
  const collectionResolver = (coll: string) => [...(readCollection(ctx, coll)?.docs.values() ?? [])].map(cloneDocument);
  const options = { collectionResolver, variables: variables ?? {} };
  let current = docs;
  let owned = false;
  let segment: Document[] = [];
  const flush = () => {
    if (segment.length) current = runMingoPipeline(computesValues(segment) ? current.map(withPlainNumbers) : current, segment, options);
    segment = [];
  };
  stages.forEach((stage, i) => {
    const name = stageName(stage);
    let native: NativeGroup | null = null;
    if (name === '$sort') {
      flush();
      current = sortDocuments(current, stage.$sort as Document, limitAfter(stages[i + 1]), compareUnder(collation));
    } else if (name === '$match' && collation) {
      flush();
      current = current.filter(compileFilter(bindFilter(stage.$match as Document, variables), { collation }));
    } else if (name === '$lookup') {
      flush();
      current = lookupStage(ctx, current, stage.$lookup, variables, (input, pipeline, vars) => runStages(ctx, input, pipeline, vars));
      owned = false;
    } else if (name === '$count') {
      flush();
      current = countStage(current, stage.$count);
      owned = false;
    } else if (name === '$facet') {
      flush();
      current = [facetStage(current, stage.$facet, (input, pipeline) => runStages(ctx, input, pipeline, variables, collation))];
      owned = false;
    } else if (name === '$group' && NATIVE_GROUP && !collation && (native = compileGroup(stage.$group, variables))) {
      flush();
      current = groupStage(native, current, stage, options);
      owned = false;
    } else if (name === '$unionWith') {
      flush();
      current = current.concat(unionWith(ctx, stage.$unionWith, variables));
      owned = false;
    } else {
      if (!owned && mayChangeInput(stage)) {
        flush();
        current = current.map(cloneDocument);
        owned = true;
      }
      segment.push(stage);
    }
  });
  flush();
  return current;
}

/** `MOCK_MONGO_GROUP=mingo` sends every `$group` to mingo (for benchmarks of the native path against it). */
const NATIVE_GROUP = process.env.MOCK_MONGO_GROUP !== 'mingo';

/** `$group` run natively (group.ts); mingo runs it when the input holds what only its path handles. */
function groupStage(native: NativeGroup, docs: Document[], stage: Document, options: Parameters<typeof runMingoPipeline>[2]): Document[] {
  try {
    return native(docs);
  } catch (e) {
    if (!(e instanceof GroupFallback)) throw e;
    return runMingoPipeline(docs.map(withPlainNumbers), [stage], options);
  }
}

/**
 * `$count` is `$group: {_id: null, <field>: {$sum: 1}}` then `$project: {_id: 0}`, so no input
 * gives no document at all (mingo's gives a count of 0). Field rules: document_source_count.cpp.
 */
function countStage(docs: Document[], field: unknown): Document[] {
  if (typeof field !== 'string') throw new MongoCommandError(40156, 'the count field must be a non-empty string');
  if (field === '') throw new MongoCommandError(40157, 'the count field must be a non-empty string');
  if (field.startsWith('$')) throw new MongoCommandError(40158, 'the count field cannot be a $-prefixed path');
  if (field.includes('\0')) throw new MongoCommandError(40159, 'the count field cannot contain a null byte');
  if (field.includes('.')) throw new MongoCommandError(40160, "the count field cannot contain '.'");
  return docs.length === 0 ? [] : [{ [field]: docs.length }];
}

/** A `$limit` right after a `$sort` lets the sort keep only the first rows. */
function limitAfter(next: Document | undefined): number | undefined {
  const limit = next?.$limit;
  return typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? limit : undefined;
}

/** `$unionWith`: the documents of another collection (or of a `$documents` pipeline) after its pipeline. */
function unionWith(ctx: CommandContext, spec: unknown, variables: Variables | null): Document[] {
  const { coll, pipeline = [] } = (typeof spec === 'string' ? { coll: spec } : (spec ?? {})) as { coll?: unknown; pipeline?: unknown };
  if (!Array.isArray(pipeline)) throw new MongoCommandError(14, "'pipeline' option must be specified as an array");
  if (typeof coll !== 'string' && !(pipeline[0] && '$documents' in pipeline[0])) {
    throw new MongoCommandError(9, "$unionWith requires a 'coll' collection name unless its pipeline starts with $documents");
  }
  const docs = typeof coll === 'string' ? [...(readCollection(ctx, coll)?.docs.values() ?? [])] : [];
  return runStages(ctx, docs, pipeline as Document[], variables);
}

interface CountPipeline {
  filter: Document;
  skip: number;
  limit: number;
  group: Document;
  field: string;
}

function nonNegativeInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** countDocuments' pipeline: [$match, $skip?, $limit?, $group: {_id: <constant>, n: {$sum: 1}}], or null. */
function countPipeline(pipeline: Document[]): CountPipeline | null {
  const [first, ...rest] = pipeline;
  if (!first || stageName(first) !== '$match' || !isPlainObject(first.$match)) return null;
  let skip = 0;
  let limit = Infinity;
  let i = 0;
  if (rest[i] && stageName(rest[i]) === '$skip' && nonNegativeInteger(rest[i].$skip)) skip = rest[i++].$skip as number;
  if (rest[i] && stageName(rest[i]) === '$limit' && nonNegativeInteger(rest[i].$limit) && rest[i].$limit > 0) limit = rest[i++].$limit as number;
  const group = rest[i]?.$group as Document | undefined;
  if (i !== rest.length - 1 || !isPlainObject(group)) return null;
  const fields = Object.keys(group).filter((k) => k !== '_id');
  const idIsConstant = group._id === null || typeof group._id === 'number' || typeof group._id === 'boolean';
  if (!idIsConstant || fields.length !== 1) return null;
  const sum = group[fields[0]] as Document;
  if (!isPlainObject(sum) || Object.keys(sum).length !== 1 || sum.$sum !== 1) return null;
  return { filter: first.$match as Document, skip, limit, group, field: fields[0] };
}

/** How many documents match, counting no further than `max` and keeping none of them. */
function countMatches(collection: Collection | undefined, filter: Document, max: number, collation: Document | null): number {
  if (collation) return Math.min(matchingDocuments(collection, filter, { collation }).length, max);
  return countMatching(collection, filter, max);
}

function countDocuments(ctx: CommandContext, name: string, count: CountPipeline, variables: Variables | null): Document[] {
  const filter = bindFilter(count.filter, variables)!;
  const matched = countMatches(readCollection(ctx, name), filter, count.skip + count.limit, collationFrom(ctx.command));
  const n = Math.max(0, matched - count.skip);
  return n === 0 ? [] : [{ _id: count.group._id, [count.field]: n }];
}

/** Documents per slice of a long aggregation; other connections are served between slices. */
export const SLICE_DOCUMENTS = 5_000;

/** Stages that treat each document on its own, so running them slice by slice gives the same documents. */
const PER_DOCUMENT_STAGES = new Set(['$match', '$project', '$addFields', '$set', '$unset', '$replaceRoot', '$replaceWith', '$unwind', '$lookup']);

/** Accumulators whose value over the whole input is the same accumulator over the values of its parts. */
const DECOMPOSABLE_ACCUMULATORS = new Set(['$sum', '$min', '$max']);

/**
 * A `$group` after per-document stages, every accumulator of which decomposes: `{ prefix, group,
 * merge, after }`, where `merge` groups the per-slice groups again (a `$sum` of the sums, the
 * `$min` of the minima …). Null for any other pipeline.
 */
function sliceableGroup(stages: Document[]): { prefix: Document[]; group: Document; merge: Document; after: Document[] } | null {
  const at = stages.findIndex((stage) => stageName(stage) === '$group');
  if (at < 0 || !stages.slice(0, at).every((stage) => PER_DOCUMENT_STAGES.has(stageName(stage)))) return null;
  const spec = stages[at].$group as Document;
  if (!isPlainObject(spec) || !('_id' in spec)) return null;
  const merge: Document = { _id: '$_id' };
  for (const [field, accumulator] of Object.entries(spec)) {
    if (field === '_id') continue;
    if (field.includes('.') || !isPlainObject(accumulator) || Object.keys(accumulator).length !== 1) return null;
    const operator = Object.keys(accumulator)[0];
    if (!DECOMPOSABLE_ACCUMULATORS.has(operator)) return null;
    merge[field] = { [operator]: `$${field}` };
  }
  return { prefix: stages.slice(0, at), group: stages[at], merge: { $group: merge }, after: stages.slice(at + 1) };
}

function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A large input to a decomposable `$group` outside a transaction is grouped slice by slice,
 * yielding between slices, so one long aggregation does not stall every other connection (mongod
 * yields too). The documents were chosen before the first slice and stored documents are never
 * changed in place, so every slice reads the versions that matched.
 */
async function slicedResults(ctx: CommandContext, docs: Document[], plan: NonNullable<ReturnType<typeof sliceableGroup>>, variables: Variables | null, collation: Document | null): Promise<Document[]> {
  const partial: Document[] = [];
  for (let i = 0; i < docs.length; i += SLICE_DOCUMENTS) {
    if (i > 0) await yieldToOthers();
    for (const doc of runStages(ctx, docs.slice(i, i + SLICE_DOCUMENTS), [...plan.prefix, plan.group], variables, collation)) partial.push(doc);
  }
  await yieldToOthers();
  return runStages(ctx, runStages(ctx, partial, [plan.merge], variables, collation), plan.after, variables, collation);
}

function results(ctx: CommandContext, name: string, stages: Document[], variables: Variables | null, sliced = false): Document[] | Promise<Document[]> {
  const order = hintOrder(readCollection(ctx, name), ctx.command.hint);
  const count = typeof ctx.command.aggregate === 'string' ? countPipeline(stages) : null;
  if (count) return countDocuments(ctx, name, count, variables);
  const collation = collationFrom(ctx.command);
  if (collation) refuseUncollatedStages(stages);
  const { docs, rest } = initialDocuments(ctx, name, stages, variables, order, collation);
  const plan = sliced && docs.length > SLICE_DOCUMENTS ? sliceableGroup(rest) : null;
  if (plan) return slicedResults(ctx, docs, plan, variables, collation);
  return runStages(ctx, docs, rest, variables, collation);
}

function aggregate(ctx: CommandContext): Document | Promise<Document> {
  const target = ctx.command.aggregate;
  const pipeline = ctx.command.pipeline as Document[];
  if (!Array.isArray(pipeline)) throw new MongoCommandError(14, "'pipeline' option must be specified as an array");
  if (ctx.command.explain) throw new MongoCommandError(115, 'explain is not supported by the embedded MongoDB');
  if (ctx.command.cursor === undefined) {
    throw new MongoCommandError(9, "The 'cursor' option is required, except for aggregate with the explain argument");
  }
  validatePipeline(ctx, pipeline);
  const variables = letVariables(ctx.command);
  const name = typeof target === 'string' ? target : '';
  const last = pipeline[pipeline.length - 1];
  const writer = last && WRITING_STAGES.has(stageName(last)) ? last : undefined;
  const ns = typeof target === 'string' ? namespace(ctx, name) : `${ctx.db}.$cmd.aggregate`;
  const batchSize = (ctx.command.cursor as Document | undefined)?.batchSize as number | undefined;
  // Reads outside a transaction may yield between slices; writes and transactions run in one step.
  const found = results(ctx, name, writer ? pipeline.slice(0, -1) : pipeline, variables, !writer && !ctx.txn);
  if (found instanceof Promise) return found.then((docs) => ({ cursor: ctx.engine.cursors.open(ns, docs, batchSize), ok: 1 }));
  const docs = found;
  if (writer) {
    if (stageName(writer) === '$out') writeOut(ctx, writer.$out, docs);
    else writeMerge(ctx, writer.$merge, docs, variables);
    return { cursor: ctx.engine.cursors.open(ns, [], undefined), ok: 1 };
  }
  return { cursor: ctx.engine.cursors.open(ns, docs, batchSize), ok: 1 };
}

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
