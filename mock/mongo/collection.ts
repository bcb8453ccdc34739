/**
 * One collection in memory: documents by `_id` key (insertion order = natural order) plus its
 * indexes. Every mutation checks all unique indexes before touching anything, so a failed write
 * leaves the collection unchanged, and reports the durable Change it made.
 */
import { ObjectId, type Document } from 'bson';
import { keyString } from './compare';
import { MongoCommandError } from './errors';
import { Index, defaultIndexName, formatKeyValue, type IndexSpec } from './indexes';
import type { Change, CollectionState } from './storage/types';

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/** Stored documents always have `_id` as their first field, like mongod. */
export function withIdFirst(doc: Document): Document {
  if (!('_id' in doc)) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

export function validateId(id: unknown): void {
  if (Array.isArray(id)) throw new MongoCommandError(2, "The '_id' value cannot be of type array");
  if (id instanceof RegExp) throw new MongoCommandError(2, "can't use a regex for _id");
  if (id === undefined) throw new MongoCommandError(2, '_id must not be undefined');
}

/** Logical clock of document writes, so a transaction can tell what changed after it began. */
let writeClock = 0;

export function currentWriteClock(): number {
  return writeClock;
}

export class Collection {
  readonly indexes = new Map<string, Index>();
  /** Called with the `_id` key before any document changes (a transaction claims it there). */
  guard: ((id: string) => void) | null = null;
  /** Write-clock value of the last change to each `_id` key (deletions included). */
  readonly lastWrite = new Map<string, number>();

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Document = {},
    readonly docs = new Map<string, Document>(),
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Index specs as listIndexes shows them, `_id_` first. */
  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((i) => i.spec)];
  }

  insert(doc: Document, changes: Change[]): Document {
    const stored = withIdFirst(doc);
    validateId(stored._id);
    const id = keyString(stored._id);
    this.guard?.(id);
    if (this.docs.has(id)) throw this.duplicateIdError(stored._id);
    for (const index of this.indexes.values()) index.checkUnique(stored, id, this.ns);
    return this.store(id, stored, changes);
  }

  /** Replaces the document with the same `_id` (which must exist). */
  replace(next: Document, changes: Change[]): Document {
    const stored = withIdFirst(next);
    const id = keyString(stored._id);
    const previous = this.docs.get(id);
    if (!previous) throw new MongoCommandError(1, 'replace of a missing document');
    this.guard?.(id);
    for (const index of this.indexes.values()) index.checkUnique(stored, id, this.ns);
    for (const index of this.indexes.values()) index.remove(previous, id);
    return this.store(id, stored, changes);
  }

  /** Inserts or replaces by `_id` (used when a transaction's result is applied). */
  put(doc: Document, changes: Change[]): Document {
    return this.docs.has(keyString(doc._id)) ? this.replace(doc, changes) : this.insert(doc, changes);
  }

  remove(doc: Document, changes: Change[]): void {
    const id = keyString(doc._id);
    const stored = this.docs.get(id);
    if (!stored) return;
    this.guard?.(id);
    this.docs.delete(id);
    for (const index of this.indexes.values()) index.remove(stored, id);
    this.lastWrite.set(id, ++writeClock);
    changes.push({ op: 'del', ns: this.ns, id: stored._id });
  }

  private store(id: string, doc: Document, changes: Change[]): Document {
    this.docs.set(id, doc);
    for (const index of this.indexes.values()) index.add(doc, id);
    this.lastWrite.set(id, ++writeClock);
    changes.push({ op: 'put', ns: this.ns, doc });
    return doc;
  }

  getById(id: unknown): Document | undefined {
    return this.docs.get(keyString(id));
  }

  /**
   * Returns a new index, or null when an identical one exists. The same name with another key or
   * options is IndexKeySpecsConflict (86); the same key under another name IndexOptionsConflict (85).
   */
  createIndex(spec: Document): Index | null {
    const key = spec.key as Document;
    const name = (spec.name as string | undefined) ?? defaultIndexName(key);
    if (name === '_id_' || (Object.keys(key).length === 1 && key._id !== undefined)) return null;
    const { v: _version, key: _key, name: _name, ...indexOptions } = spec;
    const full: IndexSpec = { v: 2, key, name, ...indexOptions };
    const sameName = this.indexes.get(name);
    if (sameName) {
      if (keyString(sameName.spec.key) === keyString(key) && sameOptions(sameName.spec, full)) return null;
      throw new MongoCommandError(
        86,
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${formatKeyValue(full)}, existing index: ${formatKeyValue(sameName.spec)}`,
      );
    }
    const sameKey = [...this.indexes.values()].find((i) => keyString(i.spec.key) === keyString(key));
    if (sameKey) throw new MongoCommandError(85, `Index already exists with a different name: ${sameKey.spec.name}`);
    const index = new Index(full);
    for (const [id, doc] of this.docs) {
      index.checkUnique(doc, id, this.ns);
      index.add(doc, id);
    }
    this.indexes.set(name, index);
    return index;
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw new MongoCommandError(72, 'cannot drop _id index');
    if (!this.indexes.delete(name)) throw new MongoCommandError(27, `index not found with name [${name}]`);
  }

  /** Independent copy for a transaction snapshot (documents are shared: they are never mutated). */
  clone(): Collection {
    const copy = new Collection(this.db, this.name, this.options, new Map(this.docs));
    for (const [name, index] of this.indexes) copy.indexes.set(name, index.clone());
    return copy;
  }

  state(): CollectionState {
    return { ns: this.ns, options: this.options, indexes: this.indexSpecs(), docs: [...this.docs.values()] };
  }

  private duplicateIdError(id: unknown): MongoCommandError {
    return new Index(ID_INDEX).duplicateKeyError(this.ns, [id]);
  }
}

function sameOptions(a: Document, b: Document): boolean {
  return (
    Boolean(a.unique) === Boolean(b.unique) &&
    Boolean(a.sparse) === Boolean(b.sparse) &&
    keyString(a.partialFilterExpression ?? null) === keyString(b.partialFilterExpression ?? null) &&
    keyString(a.expireAfterSeconds ?? null) === keyString(b.expireAfterSeconds ?? null)
  );
}
