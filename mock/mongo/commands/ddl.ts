/** Collection and index management: create, collMod, drop, list, createIndexes, dropIndexes, renameCollection. */
import type { Document } from 'bson';
import { withoutIndexCollation } from '../collation';
import { splitNs, validateCollectionName } from '../catalog';
import { collModOptions, createOptions } from '../collection-options';
import { MongoCommandError } from '../errors';
import { defaultIndexName } from '../indexes';
import { compileFilter } from '../query';
import { TRUSTED } from '../validation';
import { namespace, readCollection, targetName, type CommandContext, type CommandHandler } from './context';

function create(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const options = createOptions(ctx.command);
  if (ctx.txn) {
    validateCollectionName(name);
    if (Object.keys(options).length) {
      throw new MongoCommandError(115, 'the embedded MongoDB does not implement collection options on a create inside a transaction');
    }
    if (ctx.txn.read(ctx.db, name)) throw new MongoCommandError(48, `Collection ${ctx.db}.${name} already exists.`);
    ctx.txn.write(ctx.db, name);
    return { ok: 1 };
  }
  ctx.engine.catalog.create(ctx.db, name, options, ctx.changes);
  return { ok: 1 };
}

/** Changes a collection's validator, validationLevel or validationAction. */
function collMod(ctx: CommandContext): Document {
  const name = targetName(ctx);
  if (ctx.txn) throw new MongoCommandError(263, "Cannot run 'collMod' in a multi-document transaction.");
  const collection = ctx.engine.catalog.get(ctx.db, name);
  if (!collection) throw new MongoCommandError(26, `ns does not exist: ${namespace(ctx, name)}`);
  ctx.engine.catalog.setOptions(collection, collModOptions(collection.options, ctx.command), ctx.changes);
  return { ok: 1 };
}

function drop(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const collection = ctx.engine.catalog.get(ctx.db, name);
  const nIndexesWas = collection ? collection.indexes.size + 1 : 0;
  if (!ctx.engine.catalog.drop(ctx.db, name, ctx.changes)) {
    return { ok: 1 };
  }
  return { ns: namespace(ctx, name), nIndexesWas, ok: 1 };
}

function dropDatabase(ctx: CommandContext): Document {
  ctx.engine.catalog.dropDatabase(ctx.db, ctx.changes);
  return { dropped: ctx.db, ok: 1 };
}

function listCollections(ctx: CommandContext): Document {
  const matches = compileFilter(ctx.command.filter as Document | undefined);
  const entries = ctx.engine.catalog
    .collections(ctx.db)
    .map((c) => ({ name: c.name, type: 'collection', options: c.options, info: { readOnly: false }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } }))
    .filter(matches)
    .map((e) => (ctx.command.nameOnly ? { name: e.name, type: e.type } : e));
  const cursor = ctx.engine.cursors.open(`${ctx.db}.$cmd.listCollections`, entries, (ctx.command.cursor as Document | undefined)?.batchSize);
  return { cursor, ok: 1 };
}

function createIndexes(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const specs = (ctx.command.indexes ?? []) as Document[];
  if (!Array.isArray(specs) || specs.length === 0) throw new MongoCommandError(2, 'Must specify at least one index to create');
  const existed = Boolean(ctx.engine.catalog.get(ctx.db, name));
  const collection = ctx.engine.catalog.obtain(ctx.db, name, ctx.changes);
  const before = collection.indexes.size + 1;
  for (const spec of specs) {
    if (!spec.key || typeof spec.key !== 'object' || Object.keys(spec.key).length === 0) {
      throw new MongoCommandError(67, 'Index keys cannot be empty.');
    }
    const named = { ...withoutIndexCollation(spec), name: spec.name ?? defaultIndexName(spec.key as Document) };
    const index = collection.createIndex(named);
    if (index) ctx.changes.push({ op: 'createIndex', ns: collection.ns, spec: index.spec });
  }
  const after = collection.indexes.size + 1;
  const reply: Document = { numIndexesBefore: before, numIndexesAfter: after, createdCollectionAutomatically: !existed, ok: 1 };
  if (before === after) reply.note = 'all indexes already exist';
  return reply;
}

function listIndexes(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const collection = readCollection(ctx, name);
  if (!collection) throw new MongoCommandError(26, `ns does not exist: ${namespace(ctx, name)}`);
  const cursor = ctx.engine.cursors.open(namespace(ctx, name), collection.indexSpecs(), (ctx.command.cursor as Document | undefined)?.batchSize);
  return { cursor, ok: 1 };
}

function dropIndexes(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const collection = ctx.engine.catalog.get(ctx.db, name);
  if (!collection) throw new MongoCommandError(26, `ns not found ${namespace(ctx, name)}`);
  const nIndexesWas = collection.indexes.size + 1;
  const target = ctx.command.index;
  const names = indexNamesToDrop(collection.indexSpecs(), target);
  for (const indexName of names) {
    collection.dropIndex(indexName);
    ctx.changes.push({ op: 'dropIndex', ns: collection.ns, name: indexName });
  }
  return { nIndexesWas, ok: 1 };
}

function indexNamesToDrop(specs: Document[], target: unknown): string[] {
  if (target === '*') return specs.map((s) => s.name as string).filter((n) => n !== '_id_');
  if (Array.isArray(target)) return target.map(String);
  if (typeof target === 'string') return [target];
  if (target && typeof target === 'object') {
    const wanted = JSON.stringify(target);
    const found = specs.find((s) => JSON.stringify(s.key) === wanted);
    if (!found) throw new MongoCommandError(27, `can't find index with key: ${wanted}`);
    return [found.name as string];
  }
  throw new MongoCommandError(2, 'dropIndexes needs an index name, key pattern or "*"');
}

/** Moves a collection (documents and indexes) to a new name, as one durable change list. */
function renameCollection(ctx: CommandContext): Document {
  const from = splitNs(String(ctx.command.renameCollection));
  const to = splitNs(String(ctx.command.to));
  const { catalog } = ctx.engine;
  const source = catalog.get(from.db, from.name);
  if (!source) throw new MongoCommandError(26, 'source namespace does not exist');
  if (catalog.get(to.db, to.name)) {
    if (!ctx.command.dropTarget) throw new MongoCommandError(48, 'target namespace exists');
    catalog.drop(to.db, to.name, ctx.changes);
  }
  const target = catalog.create(to.db, to.name, source.options, ctx.changes);
  for (const spec of source.indexSpecs()) {
    const index = target.createIndex(spec);
    if (index) ctx.changes.push({ op: 'createIndex', ns: target.ns, spec: index.spec });
  }
  for (const doc of source.docs.values()) target.insert(doc, ctx.changes, TRUSTED);
  catalog.drop(from.db, from.name, ctx.changes);
  return { ok: 1 };
}

export const ddlCommands: Record<string, CommandHandler> = {
  create,
  collMod,
  drop,
  dropDatabase,
  listCollections,
  createIndexes,
  listIndexes,
  dropIndexes,
  renameCollection,
};
