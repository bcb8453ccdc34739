/**
 * All databases and collections in memory, by database name and collection name.
 */
import type { Document } from 'bson';
import { Collection } from './collection';
import { MongoCommandError } from './errors';
import type { Change, CollectionState } from './storage/types';

export class Catalog {
  readonly dbs = new Map<string, Map<string, Collection>>();

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Creates the collection when it is missing (implicit creation by a write). */
  obtain(db: string, name: string, changes: Change[]): Collection {
    return this.get(db, name) ?? this.create(db, name, {}, changes);
  }

  create(db: string, name: string, options: Document, changes: Change[]): Collection {
    validateCollectionName(name);
    if (this.get(db, name)) throw new MongoCommandError(48, `Collection ${db}.${name} already exists.`);
    const collection = new Collection(db, name, options);
    this.attach(collection);
    changes.push({ op: 'createCollection', ns: collection.ns, options });
    return collection;
  }

  /**
   * Replaces a collection's options (collMod). The options object is updated in place, so a
   * transaction's copy of the collection sees the new validator too; the journal records the
   * new options as a createCollection of the existing namespace, which keeps its documents.
   */
  setOptions(collection: Collection, options: Document, changes: Change[]): void {
    const held = collection.options;
    for (const key of Object.keys(held)) delete held[key];
    Object.assign(held, options);
    changes.push({ op: 'createCollection', ns: collection.ns, options: { ...held } });
  }

  /** Puts a collection object (a new one or a transaction's copy) in the catalog. */
  attach(collection: Collection): void {
    let db = this.dbs.get(collection.db);
    if (!db) this.dbs.set(collection.db, (db = new Map()));
    db.set(collection.name, collection);
  }

  drop(db: string, name: string, changes: Change[]): boolean {
    const removed = this.dbs.get(db)?.delete(name) ?? false;
    if (removed) changes.push({ op: 'dropCollection', ns: `${db}.${name}` });
    return removed;
  }

  dropDatabase(db: string, changes: Change[]): void {
    if (this.dbs.delete(db)) changes.push({ op: 'dropDatabase', db });
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  all(): Collection[] {
    return [...this.dbs.values()].flatMap((db) => [...db.values()]);
  }

  states(): CollectionState[] {
    return this.all().map((c) => c.state());
  }
}

export function validateCollectionName(name: string): void {
  if (typeof name !== 'string' || name === '' || name.includes('$') || name.startsWith('.') || name.includes('\0')) {
    throw new MongoCommandError(73, `Invalid collection name: ${String(name)}`);
  }
}

export function splitNs(ns: string): { db: string; name: string } {
  const dot = ns.indexOf('.');
  return { db: ns.slice(0, dot), name: ns.slice(dot + 1) };
}
