/**
 * insert, update, delete and findAndModify. Per-statement failures of insert/update/delete go
 * into `writeErrors` (ordered writes stop at the first); findAndModify fails as a whole. Inside
 * a transaction a WriteConflict is a top-level error so the driver can retry the transaction.
 */
import type { Document } from 'bson';
import { validateCollectionName } from '../catalog';
import type { Collection } from '../collection';
import { keyString } from '../compare';
import { asCommandError, MongoCommandError } from '../errors';
import { projectDocuments } from '../query';
import { applyUpdate, buildUpsert, type UpdateSpec } from '../update';
import { readCollection, targetName, writeCollection, type CommandContext, type CommandHandler } from './context';
import { matchingDocuments } from './matching';

interface Outcome {
  writeErrors: Document[];
}

/**
 * Runs each statement, collecting failures as write errors by index; an ordered write stops at
 * the first. In a transaction any failure ends the transaction (a WriteConflict is top-level).
 */
function runStatements<T>(ctx: CommandContext, statements: T[], run: (statement: T, index: number) => void): Outcome {
  const ordered = ctx.command.ordered !== false;
  const writeErrors: Document[] = [];
  for (let i = 0; i < statements.length; i++) {
    try {
      run(statements[i], i);
    } catch (err) {
      const error = asCommandError(err);
      if (ctx.txn && error.code === 112) throw error;
      writeErrors.push(error.toWriteError(i));
      if (ctx.txn) ctx.txn.abort();
      if (ordered || ctx.txn) break;
    }
  }
  return { writeErrors };
}

function withWriteErrors(reply: Document, outcome: Outcome): Document {
  if (outcome.writeErrors.length) reply.writeErrors = outcome.writeErrors;
  return reply;
}

function documentsOf(ctx: CommandContext, field: string): Document[] {
  const docs = ctx.command[field];
  if (!Array.isArray(docs)) throw new MongoCommandError(9, `BSON field '${field}' is missing but a required field`);
  return docs as Document[];
}

function insert(ctx: CommandContext): Document {
  const name = targetName(ctx);
  validateCollectionName(name);
  const docs = documentsOf(ctx, 'documents');
  const collection = writeCollection(ctx, name);
  let n = 0;
  const outcome = runStatements(ctx, docs, (doc) => {
    collection.insert(doc, ctx.changes);
    n++;
  });
  return withWriteErrors({ n, ok: 1 }, outcome);
}

interface UpdateStatement {
  q: Document;
  u: UpdateSpec;
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: Document[];
}

/** Applies `u` to a matched document; returns the stored result (the same object when nothing changed). */
function updateOne(collection: Collection, doc: Document, statement: Pick<UpdateStatement, 'q' | 'u' | 'arrayFilters'>, ctx: CommandContext): Document {
  const next = applyUpdate(doc, statement.u, statement.arrayFilters, statement.q);
  if (keyString(next) === keyString(doc)) return doc;
  return collection.replace(next, ctx.changes);
}

function update(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const statements = documentsOf(ctx, 'updates') as UpdateStatement[];
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const outcome = runStatements(ctx, statements, (statement, index) => {
    if (!statement.u || typeof statement.u !== 'object') throw new MongoCommandError(9, 'update requires u');
    const matched = matchingDocuments(readCollection(ctx, name), statement.q ?? {}, { limit: statement.multi ? undefined : 1 });
    if (matched.length === 0) {
      if (!statement.upsert) return;
      const doc = writeCollection(ctx, name).insert(buildUpsert(statement.q ?? {}, statement.u, statement.arrayFilters), ctx.changes);
      upserted.push({ index, _id: doc._id });
      n++;
      return;
    }
    const collection = writeCollection(ctx, name);
    for (const doc of matched) {
      n++;
      if (updateOne(collection, doc, statement, ctx) !== doc) nModified++;
    }
  });
  const reply: Document = { n, nModified, ok: 1 };
  if (upserted.length) reply.upserted = upserted;
  return withWriteErrors(reply, outcome);
}

function remove(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const statements = documentsOf(ctx, 'deletes') as Array<{ q: Document; limit?: number }>;
  let n = 0;
  const outcome = runStatements(ctx, statements, (statement) => {
    const matched = matchingDocuments(readCollection(ctx, name), statement.q ?? {}, { limit: statement.limit === 1 ? 1 : undefined });
    if (matched.length === 0) return;
    const collection = writeCollection(ctx, name);
    for (const doc of matched) {
      collection.remove(doc, ctx.changes);
      n++;
    }
  });
  return withWriteErrors({ n, ok: 1 }, outcome);
}

function projected(doc: Document | null, fields: Document | undefined): Document | null {
  return doc ? projectDocuments([doc], fields)[0] : null;
}

function findAndModify(ctx: CommandContext): Document {
  const name = (ctx.command.findAndModify ?? ctx.command.findandmodify) as string;
  validateCollectionName(name);
  const { query = {}, sort, remove: isRemove, update: u, new: returnNew, fields, upsert, arrayFilters } = ctx.command as Document;
  if (!isRemove && !u) throw new MongoCommandError(9, 'Either an update or remove=true must be specified');
  if (isRemove && upsert) throw new MongoCommandError(9, 'Cannot specify both an upsert and a remove=true');
  const [target] = matchingDocuments(readCollection(ctx, name), query, { sort, limit: 1 });
  if (isRemove) {
    if (target) writeCollection(ctx, name).remove(target, ctx.changes);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: projected(target ?? null, fields), ok: 1 };
  }
  if (target) {
    const after = updateOne(writeCollection(ctx, name), target, { q: query, u, arrayFilters }, ctx);
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: projected(returnNew ? after : target, fields), ok: 1 };
  }
  if (!upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const inserted = writeCollection(ctx, name).insert(buildUpsert(query, u, arrayFilters), ctx.changes);
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id },
    value: projected(returnNew ? inserted : null, fields),
    ok: 1,
  };
}

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
  findandmodify: findAndModify,
};
