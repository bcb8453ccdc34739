/**
 * The server's state: catalog, cursors, transactions and (with a data directory) the durable
 * store. Writes are applied to memory synchronously and their Changes appended to the store in
 * the same order; a write is acknowledged only after its append resolved.
 */
import type { Document } from 'bson';
import { resolve } from 'mingo/util';
import { Catalog, splitNs } from './catalog';
import { Collection } from './collection';
import { CursorRegistry } from './cursor';
import { TransactionManager } from './transactions';
import type { Change, CollectionState, DurableStore } from './storage/types';

export class Engine {
  readonly catalog = new Catalog();
  readonly cursors = new CursorRegistry();
  readonly transactions = new TransactionManager(this.catalog);
  store: DurableStore | null = null;
  port = 0;
  private nextConnectionId = 1;

  newConnectionId(): number {
    return this.nextConnectionId++;
  }

  /** Resolves once `changes` are durable (immediately without a data directory). */
  async persist(changes: Change[]): Promise<void> {
    if (this.store && changes.length) await this.store.append(changes);
  }

  /** Rebuilds collections, indexes and documents from what the store recovered. */
  load(states: CollectionState[]): void {
    for (const state of states) {
      const { db, name } = splitNs(state.ns);
      const collection = new Collection(db, name, state.options ?? {});
      const sink: Change[] = [];
      for (const doc of state.docs) collection.insert(doc, sink);
      for (const spec of state.indexes) collection.createIndex(spec);
      this.catalog.attach(collection);
    }
  }

  /** Deletes documents whose TTL index date has passed (mongod's TTL monitor). */
  async sweepExpired(now = Date.now()): Promise<number> {
    const changes: Change[] = [];
    for (const collection of this.catalog.all()) {
      for (const index of collection.indexes.values()) {
        const seconds = index.spec.expireAfterSeconds;
        if (typeof seconds !== 'number' || index.fields.length !== 1) continue;
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
