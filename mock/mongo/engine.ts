/**
 * The server's state: catalog, cursors, transactions and (with a data directory) the durable
 * store. Writes are applied to memory synchronously and their Changes appended to the store in
 * the same order; a write is acknowledged only after its append resolved, and no reply leaves
 * before every change it could have seen is durable (see durable()).
 */
import type { Document } from 'bson';
import { resolve } from 'mingo/util';
import { Catalog, splitNs } from './catalog';
import { Collection } from './collection';
import { CursorRegistry } from './cursor';
import { RetryableWrites, SESSIONS_NS } from './retryable';
import { TransactionManager } from './transactions';
import type { Change, CollectionState, DurableStore } from './storage/types';
import { TRUSTED } from './validation';

export class Engine {
  readonly catalog = new Catalog();
  readonly cursors = new CursorRegistry();
  readonly transactions = new TransactionManager(this.catalog);
  readonly retryable: RetryableWrites;
  store: DurableStore | null = null;
  port = 0;
  private nextConnectionId = 1;
  /**
   * The newest append. The journal settles appends in call order, so once this one has
   * settled every change memory holds has been written (or its own append has failed).
   */
  private lastAppend: Promise<void> = Promise.resolve();

  /** `now` is the clock session expiry is measured by (tests pass their own). */
  constructor(options: { now?: () => number } = {}) {
    this.retryable = new RetryableWrites(options.now);
  }

  newConnectionId(): number {
    return this.nextConnectionId++;
  }

  /** Resolves once `changes` are durable (immediately without a data directory). */
  async persist(changes: Change[]): Promise<void> {
    if (!this.store || changes.length === 0) return;
    this.lastAppend = this.store.append(changes);
    await this.lastAppend;
  }

  /**
   * Resolves once every change applied to memory so far is durable, so a reply never shows a
   * client a write that a crash could still take back. A change whose own append failed is
   * that write's error; a failed journal fails every reply, as nothing may be served any more.
   */
  async durable(): Promise<void> {
    await this.lastAppend.catch(() => undefined);
    const failure = this.store?.failure;
    if (failure) throw failure;
  }

  /** Rebuilds collections, indexes and documents (and retryable-write records) from what the store recovered. */
  load(states: CollectionState[]): void {
    for (const state of states) {
      if (state.ns === SESSIONS_NS) {
        this.retryable.load(state.docs);
        continue;
      }
      const { db, name } = splitNs(state.ns);
      const collection = new Collection(db, name, state.options ?? {});
      const sink: Change[] = [];
      for (const doc of state.docs) collection.insert(doc, sink, TRUSTED);
      for (const spec of state.indexes) collection.createIndex(spec, true);
      this.catalog.attach(collection);
    }
  }

  /** Everything a snapshot must hold: the collections and the retryable-write records. */
  states(): CollectionState[] {
    return [...this.catalog.states(), this.retryable.state()];
  }

  /** Deletes documents whose TTL index date has passed (mongod's TTL monitor). */
  async sweepExpired(now = Date.now()): Promise<number> {
    const changes: Change[] = [];
    for (const collection of this.catalog.all()) {
      for (const index of collection.indexes.values()) {
        // A TTL index may hold its seconds as any BSON number (a Long when a driver sent one).
        const seconds = Number(index.spec.expireAfterSeconds ?? NaN);
        if (index.fields.length !== 1 || !Number.isFinite(seconds)) continue;
        for (const doc of [...collection.docs.values()]) {
          if (isExpired(doc, index.fields[0], seconds, now)) collection.remove(doc, changes);
        }
      }
    }
    await this.persist(changes);
    return changes.length;
  }
}

function isExpired(doc: Document, field: string, seconds: number, now: number): boolean {
  const value = resolve(doc, field, { unwrapArray: true });
  const dates = (Array.isArray(value) ? value : [value]).filter((v): v is Date => v instanceof Date);
  if (dates.length === 0) return false;
  const earliest = Math.min(...dates.map((d) => d.getTime()));
  return earliest + seconds * 1000 <= now;
}
