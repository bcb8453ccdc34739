/**
 * Multi-document transactions. A transaction works on private copies of the collections it
 * writes (taken at its first write to each: snapshot-on-first-write); reads of collections it has
 * not written see the live data. Each written document is claimed: a second transaction writing
 * it, or a document changed by someone else since the copy was taken, is a WriteConflict (112,
 * TransientTransactionError) so the driver's `withTransaction` retries. Commit applies the
 * copies' changed documents to the live collections and returns them as one list of Changes.
 */
import type { Document } from 'bson';
import type { Catalog } from './catalog';
import { Collection, currentWriteClock } from './collection';
import { MongoCommandError } from './errors';
import type { Change } from './storage/types';

/** mongod aborts transactions older than this (transactionLifetimeLimitSeconds). */
const TRANSACTION_LIFETIME_MS = 60_000;

const TRANSIENT = ['TransientTransactionError'];

export function writeConflict(): MongoCommandError {
  return new MongoCommandError(
    112,
    'Write conflict during plan execution and yielding is disabled. :: Please retry your write operation or multi-document transaction.',
    {},
    TRANSIENT,
  );
}

export function noSuchTransaction(txnNumber: number, message = 'Transaction with { txnNumber: ' + txnNumber + ' } has been aborted.'): MongoCommandError {
  return new MongoCommandError(251, message, {}, TRANSIENT);
}

interface TxnCopy {
  copy: Collection;
  created: boolean;
  /** For each claimed `_id` key: the document as the snapshot had it (undefined = absent). */
  baseline: Map<string, Document | undefined>;
}

export class Transaction {
  state: 'active' | 'committed' | 'aborted' = 'active';
  readonly startedAt = Date.now();
  /** Writes with a later clock value happened after this transaction began. */
  readonly startClock = currentWriteClock();
  private readonly copies = new Map<string, TxnCopy>();

  constructor(
    private readonly manager: TransactionManager,
    readonly txnNumber: number,
  ) {}

  read(db: string, name: string): Collection | undefined {
    return this.copies.get(`${db}.${name}`)?.copy ?? this.manager.catalog.get(db, name);
  }

  write(db: string, name: string): Collection {
    const ns = `${db}.${name}`;
    const existing = this.copies.get(ns);
    if (existing) return existing.copy;
    const live = this.manager.catalog.get(db, name);
    const entry: TxnCopy = { copy: live ? live.clone() : new Collection(db, name), created: !live, baseline: new Map() };
    entry.copy.guard = (id) => this.claim(ns, entry, id);
    this.copies.set(ns, entry);
    return entry.copy;
  }

  private claim(ns: string, entry: TxnCopy, id: string): void {
    if (entry.baseline.has(id)) return;
    this.manager.claim(`${ns}\0${id}`, this);
    const snapshotDoc = entry.copy.docs.get(id);
    if (this.manager.liveDoc(ns, id) !== snapshotDoc || this.manager.lastWrite(ns, id) > this.startClock) throw writeConflict();
    entry.baseline.set(id, snapshotDoc);
  }

  /** Applies the transaction to the live catalog; returns the Changes to make durable. */
  commit(): Change[] {
    const changes: Change[] = [];
    for (const [ns, entry] of this.copies) {
      for (const [id, before] of entry.baseline) if (this.manager.liveDoc(ns, id) !== before) throw writeConflict();
    }
    for (const entry of this.copies.values()) {
      const { copy } = entry;
      const live = this.manager.catalog.get(copy.db, copy.name) ?? this.manager.catalog.create(copy.db, copy.name, {}, changes);
      for (const [id, before] of entry.baseline) {
        const after = copy.docs.get(id);
        if (after) live.put(after, changes);
        else if (before) live.remove(before, changes);
      }
    }
    this.finish('committed');
    return changes;
  }

  abort(): void {
    this.finish('aborted');
  }

  private finish(state: 'committed' | 'aborted'): void {
    this.state = state;
    this.copies.clear();
    this.manager.release(this);
  }
}

export class TransactionManager {
  private readonly owners = new Map<string, Transaction>();
  private readonly sessions = new Map<string, Transaction>();

  constructor(readonly catalog: Catalog) {}

  liveDoc(ns: string, id: string): Document | undefined {
    const dot = ns.indexOf('.');
    return this.catalog.get(ns.slice(0, dot), ns.slice(dot + 1))?.docs.get(id);
  }

  lastWrite(ns: string, id: string): number {
    const dot = ns.indexOf('.');
    return this.catalog.get(ns.slice(0, dot), ns.slice(dot + 1))?.lastWrite.get(id) ?? 0;
  }

  claim(key: string, txn: Transaction): void {
    const owner = this.owners.get(key);
    if (owner && owner !== txn) {
      if (Date.now() - owner.startedAt < TRANSACTION_LIFETIME_MS) throw writeConflict();
      owner.abort();
    }
    this.owners.set(key, txn);
  }

  release(txn: Transaction): void {
    for (const [key, owner] of this.owners) if (owner === txn) this.owners.delete(key);
  }

  /** The transaction a command belongs to; starts one when the command says so. */
  forCommand(session: string, txnNumber: number, start: boolean): Transaction {
    const current = this.sessions.get(session);
    if (start) {
      if (current?.state === 'active') current.abort();
      const txn = new Transaction(this, txnNumber);
      this.sessions.set(session, txn);
      return txn;
    }
    if (!current || current.txnNumber !== txnNumber || current.state !== 'active') {
      if (current?.txnNumber === txnNumber && current.state === 'committed') {
        throw new MongoCommandError(256, `Transaction ${txnNumber} has been committed.`);
      }
      throw noSuchTransaction(txnNumber);
    }
    return current;
  }

  /** Commits; a retried commit of an already committed transaction succeeds again. */
  commit(session: string, txnNumber: number): Change[] {
    const txn = this.sessions.get(session);
    if (txn?.txnNumber === txnNumber && txn.state === 'committed') return [];
    if (!txn || txn.txnNumber !== txnNumber || txn.state !== 'active') throw noSuchTransaction(txnNumber);
    try {
      return txn.commit();
    } catch (err) {
      txn.abort();
      throw err;
    }
  }

  abort(session: string, txnNumber: number): void {
    const txn = this.sessions.get(session);
    if (!txn || txn.txnNumber !== txnNumber || txn.state !== 'active') throw noSuchTransaction(txnNumber);
    txn.abort();
  }

  endSession(session: string): void {
    const txn = this.sessions.get(session);
    if (txn?.state === 'active') txn.abort();
    this.sessions.delete(session);
  }
}
