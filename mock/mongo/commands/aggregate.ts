/**
 * aggregate. mingo runs the stages, with what it lacks done here: a leading `$match` uses the
 * indexes, `$geoNear` (first stage only) uses geo.ts, `$sort` uses MongoDB's type ordering,
 * `$out` replaces a collection, and `$lookup`-like stages read this database's collections.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { geoNearStage } from '../geo';
import { compileFilter, runMingoPipeline, sortDocuments } from '../query';
import { cloneDocument } from '../update';
import { namespace, readCollection, type CommandContext, type CommandHandler } from './context';
import { geoNearKey, hasNear, matchingDocuments } from './matching';
import { nearNotAllowed } from './read';

function stageName(stage: Document): string {
  return Object.keys(stage)[0];
}

function validatePipeline(pipeline: Document[]): void {
  pipeline.forEach((stage, i) => {
    const name = stageName(stage);
    if (name === '$geoNear' && i !== 0) throw new MongoCommandError(40603, '$geoNear was not the first stage in the pipeline.');
    if (name === '$match' && hasNear(stage.$match as Document)) throw nearNotAllowed();
    if ((name === '$out' || name === '$merge') && i !== pipeline.length - 1) {
      throw new MongoCommandError(40601, `${name} can only be the final stage in the pipeline`);
    }
  });
}

/** The input of the pipeline after its first stage when that stage can use our indexes. */
function initialDocuments(ctx: CommandContext, name: string, pipeline: Document[]): { docs: Document[]; rest: Document[] } {
  const collection = readCollection(ctx, name);
  const [first, ...rest] = pipeline;
  if (first && stageName(first) === '$match') return { docs: matchingDocuments(collection, first.$match as Document), rest };
  if (first && stageName(first) === '$geoNear') {
    const spec = first.$geoNear as Document;
    const key = geoNearKey(collection, spec.key as string | undefined);
    const docs = geoNearStage([...(collection?.docs.values() ?? [])], spec, key, (query, doc) => compileFilter(query)(doc));
    return { docs, rest };
  }
  return { docs: [...(collection?.docs.values() ?? [])], rest: pipeline };
}

/** Runs stages, taking `$sort` out of mingo's hands so BSON types order as in MongoDB. */
function runStages(ctx: CommandContext, docs: Document[], stages: Document[]): Document[] {
  const collectionResolver = (coll: string) => [...(readCollection(ctx, coll)?.docs.values() ?? [])].map(cloneDocument);
  let current = docs;
  let segment: Document[] = [];
  const flush = () => {
    if (segment.length) current = runMingoPipeline(current, segment, { collectionResolver });
    segment = [];
  };
  for (const stage of stages) {
    if (stageName(stage) === '$sort') {
      flush();
      current = sortDocuments(current, stage.$sort as Document);
    } else {
      segment.push(stage);
    }
  }
  flush();
  return current;
}

function writeOut(ctx: CommandContext, target: unknown, docs: Document[]): void {
  const name = typeof target === 'string' ? target : String((target as Document)?.coll);
  ctx.engine.catalog.drop(ctx.db, name, ctx.changes);
  const collection = ctx.engine.catalog.obtain(ctx.db, name, ctx.changes);
  for (const doc of docs) collection.insert(doc, ctx.changes);
}

function aggregate(ctx: CommandContext): Document {
  const target = ctx.command.aggregate;
  const pipeline = ctx.command.pipeline as Document[];
  if (!Array.isArray(pipeline)) throw new MongoCommandError(14, "'pipeline' option must be specified as an array");
  validatePipeline(pipeline);
  const name = typeof target === 'string' ? target : '';
  const out = pipeline.length && stageName(pipeline[pipeline.length - 1]) === '$out' ? pipeline[pipeline.length - 1].$out : undefined;
  const stages = out === undefined ? pipeline : pipeline.slice(0, -1);
  const { docs, rest } = initialDocuments(ctx, name, stages);
  const results = runStages(ctx, docs.map(cloneDocument), rest);
  if (out !== undefined) {
    writeOut(ctx, out, results);
    return { cursor: ctx.engine.cursors.open(namespace(ctx, name), [], undefined), ok: 1 };
  }
  const batchSize = (ctx.command.cursor as Document | undefined)?.batchSize as number | undefined;
  return { cursor: ctx.engine.cursors.open(namespace(ctx, name), results, batchSize), ok: 1 };
}

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
