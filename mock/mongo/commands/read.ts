/** find, getMore, killCursors, count and distinct. */
import { Long, type Document } from 'bson';
import { resolve } from 'mingo/util';
import { compareValues, keyString } from '../compare';
import { collationFrom, distinctUnder } from '../collation';
import { MongoCommandError } from '../errors';
import { hintOrder } from '../hint';
import { projectDocuments } from '../query';
import { namespace, readCollection, targetName, type CommandContext, type CommandHandler } from './context';
import { hasNear, matchingDocuments } from './matching';
import { bindFilter, letVariables } from './variables';

function nonNegative(value: unknown, field: string): number {
  const n = value === undefined || value === null ? 0 : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new MongoCommandError(2, `${field} must be a non-negative number`);
  return n;
}

/** A find's projection, applied batch by batch as the cursor hands documents out. */
function projectionOf(projection: Document | undefined, filter: Document | undefined): ((batch: Document[]) => Document[]) | undefined {
  if (!projection || Object.keys(projection).length === 0) return undefined;
  return (batch) => projectDocuments(batch, projection, filter);
}

function find(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const { sort, projection, skip, limit, batchSize, singleBatch } = ctx.command as Document;
  const filter = bindFilter(ctx.command.filter as Document | undefined, letVariables(ctx.command));
  const skipCount = nonNegative(skip, 'skip');
  const limitCount = Math.abs(Number(limit ?? 0));
  const collection = readCollection(ctx, name);
  const hinted = hintOrder(collection, ctx.command.hint);
  const order = sort && Object.keys(sort).length ? sort : hinted;
  const end = limitCount ? skipCount + limitCount : undefined;
  const matched = matchingDocuments(collection, filter, { sort: order, limit: end, collation: collationFrom(ctx.command) });
  const single = Boolean(singleBatch) || Number(limit) < 0;
  const view = { start: skipCount, end, shape: projectionOf(projection as Document | undefined, filter) };
  const cursor = ctx.engine.cursors.open(namespace(ctx, name), matched, batchSize === undefined ? undefined : Number(batchSize), single, view);
  return { cursor, ok: 1 };
}

function getMore(ctx: CommandContext): Document {
  const id = ctx.command.getMore as Long | number;
  const batchSize = ctx.command.batchSize === undefined ? undefined : Number(ctx.command.batchSize);
  return { cursor: ctx.engine.cursors.getMore(id, batchSize), ok: 1 };
}

function killCursors(ctx: CommandContext): Document {
  const { killed, notFound } = ctx.engine.cursors.kill((ctx.command.cursors ?? []) as Array<Long | number>);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
}

/** mongod's Location5626500 message, verbatim (typo included). */
const NEAR_NOT_ALLOWED =
  '$geoNear, $near, and $nearSphere are not allowed in this context, as these operators require sorting geospatial data. ' +
  'If you do not need sort, consider using $geoWithin instead. Check out https://dochub.mongodb.org/core/near-sort-operation ' +
  'and https://dochub.mongodb.org/core/nearSphere-sort-operationfor more details.';

export function nearNotAllowed(): MongoCommandError {
  return new MongoCommandError(5626500, NEAR_NOT_ALLOWED);
}

function count(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const query = ctx.command.query as Document | undefined;
  if (hasNear(query)) throw nearNotAllowed();
  const skip = nonNegative(ctx.command.skip, 'skip');
  const limit = Math.abs(Number(ctx.command.limit ?? 0));
  const collection = readCollection(ctx, name);
  hintOrder(collection, ctx.command.hint); // a hint naming no index is an error even where order does not matter
  const collation = collationFrom(ctx.command);
  const total = query && Object.keys(query).length ? matchingDocuments(collection, query, { collation }).length : (collection?.docs.size ?? 0);
  const afterSkip = Math.max(0, total - skip);
  return { n: limit ? Math.min(limit, afterSkip) : afterSkip, ok: 1 };
}

function distinct(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const key = ctx.command.key;
  if (typeof key !== 'string') throw new MongoCommandError(14, "BSON field 'distinct.key' is the wrong type, expected type 'string'");
  const values = new Map<string, unknown>();
  const collation = collationFrom(ctx.command);
  for (const doc of matchingDocuments(readCollection(ctx, name), ctx.command.query as Document | undefined, { collation })) {
    const value = resolve(doc, key, { unwrapArray: true });
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && !values.has(keyString(v))) values.set(keyString(v), v);
    }
  }
  return { values: collation ? distinctUnder(collation, [...values.values()]) : [...values.values()].sort(compareValues), ok: 1 };
}

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
};
