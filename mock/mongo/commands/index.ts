/**
 * Command dispatch: finds the handler, attaches the command to its transaction, runs it, makes
 * its Changes durable before the reply, and turns every failure into an error reply (an
 * unknown command is 59; nothing thrown here may close the connection).
 */
import type { Document } from 'bson';
import type { Engine } from '../engine';
import { asCommandError, MongoCommandError } from '../errors';
import { transactionTooOld, type RetryAttempt } from '../retryable';
import type { Transaction } from '../transactions';
import { adminCommands, sessionKey } from './admin';
import { aggregateCommands } from './aggregate';
import type { CommandContext, CommandHandler } from './context';
import { ddlCommands } from './ddl';
import { readCommands } from './read';
import { writeCommands } from './write';

function txnNumberOf(command: Document): number {
  return Number(command.txnNumber);
}

async function commitTransaction(ctx: CommandContext): Promise<Document> {
  const changes = ctx.engine.transactions.commit(sessionKey(ctx.command.lsid as Document), txnNumberOf(ctx.command));
  await ctx.engine.persist(changes);
  return { ok: 1 };
}

function abortTransaction(ctx: CommandContext): Document {
  ctx.engine.transactions.abort(sessionKey(ctx.command.lsid as Document), txnNumberOf(ctx.command));
  return { ok: 1 };
}

const TRANSACTION_CONTROL: Record<string, CommandHandler> = { commitTransaction, abortTransaction };

const HANDLERS: Record<string, CommandHandler> = {
  ...adminCommands,
  ...ddlCommands,
  ...writeCommands,
  ...readCommands,
  ...aggregateCommands,
  ...TRANSACTION_CONTROL,
};

/** The transaction a command runs in, or null for an ordinary command. */
function transactionFor(engine: Engine, name: string, command: Document): Transaction | null {
  if (name in TRANSACTION_CONTROL || command.autocommit !== false || command.txnNumber === undefined || !command.lsid) return null;
  const session = sessionKey(command.lsid as Document);
  const txnNumber = txnNumberOf(command);
  const newerWrite = engine.retryable.txnNumber(session);
  if (command.startTransaction === true && newerWrite !== undefined && newerWrite > txnNumber) {
    throw transactionTooOld(txnNumber, session, newerWrite, 'retryable write', 'transaction');
  }
  return engine.transactions.forCommand(session, txnNumber, command.startTransaction === true);
}

const RETRYABLE = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);

/** A statement's id: from `stmtIds`, else counted from `stmtId` (default 0) by its index. */
function stmtIdsOf(command: Document): (index: number) => number {
  const ids = command.stmtIds;
  if (Array.isArray(ids)) return (index) => Number(ids[index] ?? index);
  const first = command.stmtId === undefined ? 0 : Number(command.stmtId);
  return (index) => first + index;
}

/**
 * A write with `lsid` and `txnNumber` and no `autocommit` is a retryable write (mongod's rule:
 * a request without autocommit is not part of a multi-document transaction).
 */
function retryAttemptFor(engine: Engine, name: string, command: Document): RetryAttempt | null {
  if (!RETRYABLE.has(name) || command.autocommit !== undefined || command.txnNumber === undefined || !command.lsid) return null;
  const session = sessionKey(command.lsid as Document);
  const attempt = engine.retryable.begin(session, txnNumberOf(command), stmtIdsOf(command), engine.transactions.txnNumber(session));
  engine.transactions.supersede(session, txnNumberOf(command));
  return attempt;
}

/** Error reply for a failed command; a failed command also ends its transaction, as in mongod. */
function failure(err: unknown, txn: Transaction | null): Document {
  if (txn?.state === 'active') txn.abort();
  return asCommandError(err).toReply();
}

/**
 * Runs one command. The handler's in-memory writes and the store append happen in the same
 * synchronous step, so the journal holds writes in exactly the order memory saw them. Every
 * reply, a read's too, waits until what the command could see is durable: a write another
 * connection made is visible in memory before its fsync ends.
 */
export async function runCommand(engine: Engine, db: string, command: Document, connectionId: number): Promise<Document> {
  const name = Object.keys(command)[0] ?? '';
  const handler = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (!handler) return new MongoCommandError(59, `no such command: '${name}'`).toReply();
  let txn: Transaction | null = null;
  const ctx: CommandContext = { engine, db, command, connectionId, txn, retry: null, changes: [] };
  let reply: Document | Promise<Document>;
  try {
    if (command.lsid) engine.retryable.touch(sessionKey(command.lsid as Document));
    ctx.txn = txn = transactionFor(engine, name, command);
    ctx.retry = txn ? null : retryAttemptFor(engine, name, command);
    reply = handler(ctx);
    // The session's record goes into the same journal record as the write (mongod's config.transactions).
    if (ctx.retry?.changed && engine.store) ctx.changes.push(engine.retryable.change(sessionKey(command.lsid as Document))!);
  } catch (err) {
    reply = failure(err, txn);
  }
  const durable = txn ? null : engine.persist(ctx.changes);
  if (reply instanceof Promise) reply = await reply.catch((err: unknown) => failure(err, txn));
  if (durable) await durable;
  await engine.durable();
  return reply;
}
