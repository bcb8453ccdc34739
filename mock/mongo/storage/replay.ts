import type { Document } from 'bson';
import { keyString } from '../compare';
import type { Change, CollectionState } from './types';

interface CollectionImage {
  options: Document;
  /** Index specs by name; a Map keeps creation order and lets a same-name spec replace in place. */
  indexes: Map<string, Document>;
  /** Documents by _id key; a Map keeps the order of first insertion, as a scan of MongoDB would. */
  docs: Map<string, Document>;
}

/**
 * Rebuilds collections from a snapshot and journal changes. Every change sets state rather
 * than adjusting it, so replaying a record the snapshot already holds leaves the result
 * unchanged; recovery relies on the generation boundary, this is the safety net.
 */
export class StateBuilder {
  private readonly collections = new Map<string, CollectionImage>();

  load(collection: CollectionState): void {
    const image = this.ensure(collection.ns, collection.options);
    for (const spec of collection.indexes) image.indexes.set(String(spec.name), spec);
    for (const doc of collection.docs) image.docs.set(keyString(doc._id), doc);
  }

  apply(change: Change): void {
    switch (change.op) {
      case 'put':
        this.ensure(change.ns).docs.set(keyString(change.doc._id), change.doc);
        return;
      case 'del':
        this.collections.get(change.ns)?.docs.delete(keyString(change.id));
        return;
      case 'createCollection':
        this.ensure(change.ns).options = change.options;
        return;
      case 'dropCollection':
        this.collections.delete(change.ns);
        return;
      case 'createIndex':
        this.ensure(change.ns).indexes.set(String(change.spec.name), change.spec);
        return;
      case 'dropIndex':
        this.collections.get(change.ns)?.indexes.delete(change.name);
        return;
      case 'dropDatabase':
        this.dropDatabase(change.db);
        return;
    }
  }

  toCollectionStates(): CollectionState[] {
    return [...this.collections].map(([ns, image]) => ({
      ns,
      options: image.options,
      indexes: [...image.indexes.values()],
      docs: [...image.docs.values()],
    }));
  }

  /** A write to a missing collection creates it, as MongoDB does on insert. */
  private ensure(ns: string, options: Document = {}): CollectionImage {
    let image = this.collections.get(ns);
    if (!image) {
      image = { options, indexes: new Map(), docs: new Map() };
      this.collections.set(ns, image);
    }
    return image;
  }

  private dropDatabase(db: string): void {
    const prefix = `${db}.`;
    for (const ns of [...this.collections.keys()]) if (ns.startsWith(prefix)) this.collections.delete(ns);
  }
}

