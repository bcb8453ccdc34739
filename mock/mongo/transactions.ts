/**
 * Multi-document transactions with snapshot isolation, as mongod's. A transaction sees every
 * collection as it was at its first operation: while transactions are open the live
 * collections keep the versions their writes replace, and a collection changed since is read
 * through a copy with those versions put back (an unchanged one is read directly). Its first
 * write to a collection makes that copy its private one. Each written document is claimed: a
 * second transaction writing it, or a document changed by someone else since the transaction
 * began, is a WriteConflict (112, TransientTransactionError) so the driver's `withTransaction`
 * retries. Commit first checks every claimed document and the unique keys of the end state
 * against the live collections, then applies the changed documents and returns them as one
 * list of Changes.
 */
import type { Document } from 'bson';
import { splitNs, validateCollectionName, type Catalog } from './catalog';
import { Collection, currentWriteClock, type CommittedWrite } from './collection';
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
  /** For each claimed `_id` key: the document as the snapshot had it (undefined = absent). */
  baseline: Map<string, Document | undefined>;
}

/** What committing one collection's copy does, worked out before anything is applied. */
interface CommitPlan {
  ns: string;
  entry: TxnCopy;
  /** The live collection, or undefined when the commit creates it. */
  live: Collection | undefined;
  /** Documents whose version differs from the snapshot's, in the order they were first written. */
  writes: CommittedWrite[];
}

export class Transaction {
  state: 'active' | 'committed' | 'aborted' = 'active';
  readonly startedAt = Date.now();
  /** Writes with a later clock value happened after this transaction began. */
  readonly startClock = currentWriteClock();
  private readonly copies = new Map<string, TxnCopy>();
  /** Read-only copies of collections changed since this transaction began, as they were then. */
  private readonly views = new Map<string, Collection>();

  constructor(
    private readonly manager: TransactionManager,
    readonly txnNumber: number,
  ) {}

  read(db: string, name: string): Collection | undefined {
    return this.copies.get(`${db}.${name}`)?.copy ?? this.asOfStart(db, name);
  }

  /** The collection as it was when this transaction began; undefined when it did not exist yet. */
  private asOfStart(db: string, name: string): Collection | undefined {
    const ns = `${db}.${name}`;
    const view = this.views.get(ns);
    if (view) return view;
    const live = this.manager.catalog.get(db, name);
    if (!live || live.createdAt > this.startClock) return undefined;
    const snapshot = live.asOf(this.startClock);
    if (snapshot !== live) this.views.set(ns, snapshot);
    return snapshot;
  }

  write(db: string, name: string): Collection {
    const ns = `${db}.${name}`;
    const existing = this.copies.get(ns);
    if (existing) return existing.copy;
    const base = this.asOfStart(db, name);
    // A view is already this transaction's own copy; the live collection itself must be copied.
    const copy = !base ? new Collection(db, name) : this.views.get(ns) === base ? base : base.clone();
    this.views.delete(ns);
    const entry: TxnCopy = { copy, baseline: new Map() };
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

  /**
   * Applies the transaction to the live catalog; returns the Changes to make durable (one
   * append, so a crash keeps all of them or none). Everything that can fail is checked before
   * the first document changes, so a failed commit leaves the live data as it was.
   */
  commit(): Change[] {
    const plans = [...this.copies.entries()].map(([ns, entry]) => this.commitPlan(ns, entry));
    for (const plan of plans) this.checkCommittable(plan);
    const changes: Change[] = [];
    for (const { ns, live, writes } of plans) {
      const { db, name } = splitNs(ns);
      const target = live ?? this.manager.catalog.create(db, name, {}, changes);
      target.applyCommitted(writes, changes);
    }
    this.finish('committed');
    return changes;
  }

  private commitPlan(ns: string, entry: TxnCopy): CommitPlan {
    const { db, name } = splitNs(ns);
    const writes: CommittedWrite[] = [];
    for (const [id, before] of entry.baseline) {
      const after = entry.copy.docs.get(id);
      if (after !== before) writes.push({ id, after });
    }
    return { ns, entry, live: this.manager.catalog.get(db, name), writes };
  }

  /**
   * A document changed by someone else since this transaction claimed it is a WriteConflict.
   * So is a unique key another writer took after this transaction's statement checked it: in
   * mongod that writer would have waited for this transaction; here this one retries and meets
   * the key at the statement, with the E11000 mongod would give.
   */
  private checkCommittable({ ns, entry, live, writes }: CommitPlan): void {
    for (const [id, before] of entry.baseline) if (this.manager.liveDoc(ns, id) !== before) throw writeConflict();
    if (!live) {
      validateCollectionName(splitNs(ns).name);
      return;
    }
    try {
      live.checkCommittable(writes);
    } catch (err) {
      if (err instanceof MongoCommandError && err.code === 11000) throw writeConflict();
      throw err;
    }
  }

  abort(): void {
    this.finish('aborted');
  }

  private finish(state: 'committed' | 'aborted'): void {
    this.state = state;
    this.copies.clear();
    this.views.clear();
    this.manager.release(this);
  }
}

export class TransactionManager {
  private readonly owners = new Map<string, Transaction>();
  private readonly sessions = new Map<string, Transaction>();
  /** Transactions neither committed nor aborted: the live collections keep versions for them. */
  private readonly open = new Set<Transaction>();

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
    this.open.delete(txn);
    this.forgetUnneededVersions();
  }

  /** Starts a transaction: from now on every live write keeps the version it replaces. */
  private begin(txnNumber: number): Transaction {
    this.abortExpired();
    for (const collection of this.catalog.all()) collection.priorVersions ??= new Map();
    const txn = new Transaction(this, txnNumber);
    this.open.add(txn);
    return txn;
  }

  /** As mongod's transactionLifetimeLimitSeconds: a forgotten transaction must not keep versions forever. */
  private abortExpired(): void {
    const now = Date.now();
    for (const txn of [...this.open]) if (now - txn.startedAt >= TRANSACTION_LIFETIME_MS) txn.abort();
  }

  private forgetUnneededVersions(): void {
    const collections = this.catalog.all();
    if (this.open.size === 0) {
      for (const collection of collections) collection.priorVersions = null;
      return;
    }
    const oldestStart = Math.min(...[...this.open].map((txn) => txn.startClock));
    for (const collection of collections) collection.forgetVersionsUpTo(oldestStart);
  }

  /** The txnNumber of the session's latest transaction, if it had one. */
  txnNumber(session: string): number | undefined {
    return this.sessions.get(session)?.txnNumber;
  }

  /** A newer txnNumber on the session (a retryable write) aborts its open transaction, as in mongod. */
  supersede(session: string, txnNumber: number): void {
    const current = this.sessions.get(session);
    if (current?.state === 'active' && current.txnNumber < txnNumber) current.abort();
  }

  /** The transaction a command belongs to; starts one when the command says so. */
  forCommand(session: string, txnNumber: number, start: boolean): Transaction {
    const current = this.sessions.get(session);
    if (start) {
      if (current?.state === 'active') current.abort();
      const txn = this.begin(txnNumber);
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
