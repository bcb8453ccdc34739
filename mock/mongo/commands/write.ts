/**
 * insert, update, delete and findAndModify. Per-statement failures of insert/update/delete go
 * into `writeErrors` (ordered writes stop at the first); findAndModify fails as a whole. Inside
 * a transaction a WriteConflict is a top-level error so the driver can retry the transaction.
 * A retryable write (ctx.retry) answers the statements an earlier attempt executed from the
 * session's record (see retryable.ts) and refuses multi-document statements per statement.
 */
import type { Document } from 'bson';
import { validateCollectionName } from '../catalog';
import type { Collection } from '../collection';
import { collationFrom } from '../collation';
import { asCommandError, MongoCommandError } from '../errors';
import { hintOrder } from '../hint';
import { sameBson } from '../numbers';
import { projectDocuments } from '../query';
import { applyUpdate, buildUpsert, isOperatorUpdate, type UpdateSpec } from '../update';
import type { WriteChecks } from '../validation';
import { readCollection, targetName, writeCollection, type CommandContext, type CommandHandler } from './context';
import { matchingDocuments } from './matching';
import { bindFilter, bindUpdate, letVariables } from './variables';

interface Outcome {
  writeErrors: Document[];
}

/**
 * What one statement did, as its part of the reply: `n`, and for updates `nModified` and
 * `upserted` (its _id). `wrote` says whether a retry must be answered from it.
 */
interface StatementResult {
  n: number;
  nModified?: number;
  upserted?: unknown;
  wrote: boolean;
}

/** Every inserted statement's result (shared: a large insertMany records it per statement). */
const INSERTED: StatementResult = Object.freeze({ n: 1, wrote: true });

/**
 * Runs each statement, collecting failures as write errors by index; an ordered write stops at
 * the first. In a transaction any failure ends the transaction (a WriteConflict is top-level).
 * In a retryable write a statement an earlier attempt executed is answered from the session's
 * record instead of running again; one that wrote is recorded.
 */
function runStatements<T>(
  ctx: CommandContext,
  statements: T[],
  run: (statement: T, index: number) => StatementResult,
  add: (result: StatementResult, index: number) => void,
): Outcome {
  const ordered = ctx.command.ordered !== false;
  const writeErrors: Document[] = [];
  for (let i = 0; i < statements.length; i++) {
    const earlier = ctx.retry?.executed(i);
    if (earlier) {
      add(earlier as StatementResult, i);
      continue;
    }
    try {
      const result = run(statements[i], i);
      if (result.wrote) ctx.retry?.remember(i, result);
      add(result, i);
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

function withWriteErrors(reply: Document, outcome: Outcome, ctx: CommandContext): Document {
  if (outcome.writeErrors.length) reply.writeErrors = outcome.writeErrors;
  if (ctx.retry?.retried.length) reply.retriedStmtIds = ctx.retry.retried;
  return reply;
}

/** mongod refuses a statement that may change many documents in a retryable write, statement by statement. */
function refuseMulti(ctx: CommandContext, multi: boolean, what: 'multi=true' | 'limit=0'): void {
  if (ctx.retry && multi) throw new MongoCommandError(72, `Cannot use (or request) retryable writes with ${what}`);
}

/** The checks a write asks for: `bypassDocumentValidation` skips the collection's validator. */
function writeChecks(ctx: CommandContext, upsert = false): WriteChecks {
  return { bypassDocumentValidation: ctx.command.bypassDocumentValidation === true, upsert };
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
  const outcome = runStatements(
    ctx,
    docs,
    (doc) => {
      collection.insert(doc, ctx.changes, writeChecks(ctx));
      return INSERTED;
    },
    (result) => {
      n += result.n;
    },
  );
  return withWriteErrors({ n, ok: 1 }, outcome, ctx);
}

interface UpdateStatement {
  q: Document;
  u: UpdateSpec;
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: Document[];
  sort?: Document;
  collation?: Document;
}

/**
 * `sort` on an update statement arrived in MongoDB 8.0; a 7.0 server (which we advertise) fails
 * the whole command while parsing it, before any statement runs.
 */
function rejectUpdateSort(statements: UpdateStatement[]): void {
  if (statements.some((statement) => statement && statement.sort !== undefined)) {
    throw new MongoCommandError(40415, "BSON field 'update.updates.sort' is an unknown field.");
  }
}

/** The statement with the command's `let` variables bound into its filter and pipeline. */
function withVariables(statement: UpdateStatement, variables: ReturnType<typeof letVariables>): UpdateStatement {
  if (!variables) return statement;
  return { ...statement, q: bindFilter(statement.q ?? {}, variables)!, u: bindUpdate(statement.u, variables) };
}

/** Applies `u` to a matched document; returns the stored result (the same object when nothing changed). */
function updateOne(collection: Collection, doc: Document, statement: Pick<UpdateStatement, 'q' | 'u' | 'arrayFilters' | 'collation'>, ctx: CommandContext): Document {
  const next = applyUpdate(doc, statement.u, statement.arrayFilters, statement.q, collationFrom(statement as Document));
  if (sameBson(next, doc)) return doc;
  return collection.replace(next, ctx.changes, writeChecks(ctx));
}

function update(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const statements = documentsOf(ctx, 'updates') as UpdateStatement[];
  rejectUpdateSort(statements);
  const variables = letVariables(ctx.command);
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const outcome = runStatements(
    ctx,
    statements,
    (given) => {
      if (!given.u || typeof given.u !== 'object') throw new MongoCommandError(9, 'update requires u');
      const statement = withVariables(given, variables);
      if (statement.multi && !Array.isArray(statement.u) && !isOperatorUpdate(statement.u)) {
        throw new MongoCommandError(9, 'multi update is not supported for replacement-style update');
      }
      refuseMulti(ctx, statement.multi === true, 'multi=true');
      const source = readCollection(ctx, name);
      const order = hintOrder(source, (given as Document).hint);
      const collation = collationFrom(statement as Document);
      const matched = matchingDocuments(source, statement.q ?? {}, { sort: order, limit: statement.multi ? undefined : 1, collation });
      if (matched.length === 0) {
        if (!statement.upsert) return { n: 0, nModified: 0, wrote: false };
        const doc = writeCollection(ctx, name).insert(buildUpsert(statement.q ?? {}, statement.u, statement.arrayFilters), ctx.changes, writeChecks(ctx, true));
        return { n: 1, nModified: 0, upserted: doc._id, wrote: true };
      }
      const collection = writeCollection(ctx, name);
      let modified = 0;
      for (const doc of matched) if (updateOne(collection, doc, statement, ctx) !== doc) modified++;
      return { n: matched.length, nModified: modified, wrote: modified > 0 };
    },
    (result, index) => {
      n += result.n;
      nModified += result.nModified ?? 0;
      if (result.upserted !== undefined) upserted.push({ index, _id: result.upserted });
    },
  );
  const reply: Document = { n, nModified, ok: 1 };
  if (upserted.length) reply.upserted = upserted;
  return withWriteErrors(reply, outcome, ctx);
}

/** A delete statement's limit is 0 (all) or 1; anything else fails the command while parsing. */
function rejectDeleteLimits(statements: Array<{ limit?: number }>): void {
  const bad = statements.find((statement) => statement && statement.limit !== undefined && Number(statement.limit) !== 0 && Number(statement.limit) !== 1);
  if (bad) throw new MongoCommandError(9, `The limit field in delete objects must be 0 or 1. Got ${String(bad.limit)}`);
}

function remove(ctx: CommandContext): Document {
  const name = targetName(ctx);
  const statements = documentsOf(ctx, 'deletes') as Array<{ q: Document; limit?: number }>;
  rejectDeleteLimits(statements);
  const variables = letVariables(ctx.command);
  let n = 0;
  const outcome = runStatements(
    ctx,
    statements,
    (statement) => {
      refuseMulti(ctx, Number(statement.limit) !== 1, 'limit=0');
      const filter = bindFilter(statement.q ?? {}, variables);
      const source = readCollection(ctx, name);
      const order = hintOrder(source, (statement as Document).hint);
      const collation = collationFrom(statement as Document);
      const one = Number(statement.limit) === 1;
      const matched = matchingDocuments(source, filter, { sort: order, limit: one ? 1 : undefined, collation });
      if (matched.length === 0) return { n: 0, wrote: false };
      const collection = writeCollection(ctx, name);
      for (const doc of matched) collection.remove(doc, ctx.changes);
      return { n: matched.length, wrote: true };
    },
    (result) => {
      n += result.n;
    },
  );
  return withWriteErrors({ n, ok: 1 }, outcome, ctx);
}

function projected(doc: Document | null, fields: Document | undefined): Document | null {
  return doc ? projectDocuments([doc], fields)[0] : null;
}

/**
 * findAndModify is statement 0 of its retryable write: a retry gets the first attempt's reply
 * (with `retriedStmtId`) before the request is even looked at, as in mongod.
 */
function findAndModify(ctx: CommandContext): Document {
  const earlier = ctx.retry?.executed(0);
  if (earlier) return { ...earlier, retriedStmtId: ctx.retry!.stmtId(0) };
  const { reply, wrote } = findAndModifyOnce(ctx);
  if (wrote) ctx.retry?.remember(0, reply);
  return reply;
}

function findAndModifyOnce(ctx: CommandContext): { reply: Document; wrote: boolean } {
  const name = (ctx.command.findAndModify ?? ctx.command.findandmodify) as string;
  validateCollectionName(name);
  const { sort, remove: isRemove, new: returnNew, fields, upsert, arrayFilters } = ctx.command as Document;
  const variables = letVariables(ctx.command);
  const query = bindFilter((ctx.command.query as Document | undefined) ?? {}, variables)!;
  const u = bindUpdate(ctx.command.update as UpdateSpec, variables);
  if (!isRemove && !u) throw new MongoCommandError(9, 'Either an update or remove=true must be specified');
  if (isRemove && upsert) throw new MongoCommandError(9, 'Cannot specify both an upsert and a remove=true');
  if (isRemove && u) throw new MongoCommandError(9, 'Cannot specify both an update and remove=true');
  if (isRemove && returnNew) {
    throw new MongoCommandError(9, "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document");
  }
  const source = readCollection(ctx, name);
  const hinted = hintOrder(source, ctx.command.hint);
  const collation = collationFrom(ctx.command);
  const [target] = matchingDocuments(source, query, { sort: sort && Object.keys(sort).length ? sort : hinted, limit: 1, collation });
  if (isRemove) {
    if (target) writeCollection(ctx, name).remove(target, ctx.changes);
    return { reply: { lastErrorObject: { n: target ? 1 : 0 }, value: projected(target ?? null, fields), ok: 1 }, wrote: !!target };
  }
  if (target) {
    const after = updateOne(writeCollection(ctx, name), target, { q: query, u, arrayFilters, collation: collation ?? undefined }, ctx);
    return { reply: { lastErrorObject: { n: 1, updatedExisting: true }, value: projected(returnNew ? after : target, fields), ok: 1 }, wrote: after !== target };
  }
  if (!upsert) return { reply: { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 }, wrote: false };
  const inserted = writeCollection(ctx, name).insert(buildUpsert(query, u, arrayFilters), ctx.changes, writeChecks(ctx, true));
  return {
    reply: { lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id }, value: projected(returnNew ? inserted : null, fields), ok: 1 },
    wrote: true,
  };
}

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
  findandmodify: findAndModify,
};
