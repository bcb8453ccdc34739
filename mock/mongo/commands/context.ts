/**
 * What a command handler gets: the engine, the target database, the command document, and the
 * collections as this command may see them (a transaction's copies, or the live catalog).
 */
import type { Document } from 'bson';
import type { Collection } from '../collection';
import type { Engine } from '../engine';
import { MongoCommandError } from '../errors';
import type { Change } from '../storage/types';
import type { RetryAttempt } from '../retryable';
import type { Transaction } from '../transactions';

export interface CommandContext {
  engine: Engine;
  db: string;
  command: Document;
  connectionId: number;
  /** Set when the command runs inside a multi-document transaction. */
  txn: Transaction | null;
  /** Set for a retryable write (lsid and txnNumber outside a transaction): its session's record. */
  retry: RetryAttempt | null;
  /** Changes made outside a transaction, appended to the store before the reply. */
  changes: Change[];
}

export type CommandHandler = (ctx: CommandContext) => Document | Promise<Document>;

/** The collection as this command sees it, or undefined when it does not exist. */
export function readCollection(ctx: CommandContext, name: string): Collection | undefined {
  return ctx.txn ? ctx.txn.read(ctx.db, name) : ctx.engine.catalog.get(ctx.db, name);
}

/** The collection a write goes to, created when missing. */
export function writeCollection(ctx: CommandContext, name: string): Collection {
  if (!ctx.txn) return ctx.engine.catalog.obtain(ctx.db, name, ctx.changes);
  const collection = ctx.txn.write(ctx.db, name);
  if (collection.options.capped === true) {
    throw new MongoCommandError(
      263,
      `Collection '${collection.ns}' is a capped collection. Writes in transactions are not allowed on capped collections.`,
    );
  }
  return collection;
}

/** The collection name a command targets (its first field's value). */
export function targetName(ctx: CommandContext): string {
  const name = Object.values(ctx.command)[0];
  if (typeof name !== 'string') throw new MongoCommandError(73, `collection name has invalid type ${typeof name}`);
  return name;
}

export function namespace(ctx: CommandContext, name: string): string {
  return `${ctx.db}.${name}`;
}
