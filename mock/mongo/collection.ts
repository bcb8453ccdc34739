/**
 * One collection in memory: documents by `_id` key (insertion order = natural order) plus its
 * indexes. Every mutation checks all unique indexes before touching anything, so a failed write
 * leaves the collection unchanged, and reports the durable Change it made.
 */
import { ObjectId, type Document } from 'bson';
import { trimCapped } from './capped';
import { keyString } from './compare';
import { MongoCommandError } from './errors';
import { Index, defaultIndexName, formatKeyValue, type IndexSpec } from './indexes';
import type { Change, CollectionState } from './storage/types';
import { checkInsert, checkReplace, type WriteChecks } from './validation';

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/** Stored documents always have `_id` as their first field, like mongod. */
export function withIdFirst(doc: Document): Document {
  if (!('_id' in doc)) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/** `_id` may be anything but an array, a regex or undefined (null is fine); its subfields may not start with `$`. */
export function validateId(id: unknown): void {
  if (Array.isArray(id)) throw new MongoCommandError(2, "The '_id' value cannot be of type array");
  if (id instanceof RegExp) throw new MongoCommandError(2, "can't use a regex for _id");
  if (id === undefined) throw new MongoCommandError(2, '_id must not be undefined');
  const dollarField = dollarPrefixedField(id);
  if (dollarField) {
    throw new MongoCommandError(52, `_id fields may not contain '$'-prefixed fields: ${dollarField} is not valid for storage.`);
  }
}

/** The first `$`-prefixed field name inside an embedded document (at any depth), if any. */
function dollarPrefixedField(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  for (const [key, inner] of Object.entries(value as Document)) {
    if (key.startsWith('$')) return key;
    const nested = dollarPrefixedField(inner);
    if (nested) return nested;
  }
  return undefined;
}

/** Logical clock of document writes, so a transaction can tell what changed after it began. */
let writeClock = 0;

/** One document a transaction wrote: its `_id` key and its final version (undefined = deleted). */
export interface CommittedWrite {
  id: string;
  after: Document | undefined;
}

/** A document as it was before the write made at `clock` (undefined: it did not exist). */
interface PriorVersion {
  clock: number;
  doc: Document | undefined;
}

export function currentWriteClock(): number {
  return writeClock;
}

export class Collection {
  /** Secondary indexes by name (the `_id_` index is `idIndex`). */
  readonly indexes = new Map<string, Index>();
  /** The `_id_` index in key order, so `_id` ranges and sorts walk it as mongod's planner would. */
  idIndex = new Index(ID_INDEX);
  /** Called with the `_id` key before any document changes (a transaction claims it there). */
  guard: ((id: string) => void) | null = null;
  /** Write-clock value of the last change to each `_id` key (deletions included). */
  readonly lastWrite = new Map<string, number>();
  /** Write-clock value when the collection was made: a transaction begun before does not see it. */
  readonly createdAt = ++writeClock;
  /** Write-clock value of the last change to any document. */
  private lastChange = 0;
  /**
   * While transactions are open, the versions each write replaced, oldest first, so that
   * asOf() can show a transaction the collection as it began (null when none is open).
   */
  priorVersions: Map<string, PriorVersion[]> | null = null;

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

  insert(doc: Document, changes: Change[], checks: WriteChecks = {}): Document {
    const stored = withIdFirst(doc);
    validateId(stored._id);
    checkInsert(this.options, stored, checks);
    const id = keyString(stored._id);
    this.guard?.(id);
    if (this.docs.has(id)) throw this.duplicateIdError(stored._id);
    for (const index of this.indexes.values()) index.checkUnique(stored, id, this.ns);
    this.store(id, stored, changes);
    trimCapped(this, changes);
    return stored;
  }

  /** Replaces the document with the same `_id` (which must exist). */
  replace(next: Document, changes: Change[], checks: WriteChecks = {}): Document {
    const stored = withIdFirst(next);
    const id = keyString(stored._id);
    const previous = this.docs.get(id);
    if (!previous) throw new MongoCommandError(1, 'replace of a missing document');
    checkReplace(this.options, stored, previous, checks);
    this.guard?.(id);
    for (const index of this.indexes.values()) index.checkUnique(stored, id, this.ns);
    for (const index of this.everyIndex()) index.remove(previous, id);
    return this.store(id, stored, changes);
  }

  remove(doc: Document, changes: Change[]): void {
    const id = keyString(doc._id);
    const stored = this.docs.get(id);
    if (!stored) return;
    this.guard?.(id);
    this.docs.delete(id);
    for (const index of this.everyIndex()) index.remove(stored, id);
    this.noteWrite(id, stored);
    changes.push({ op: 'del', ns: this.ns, id: stored._id });
  }

  private store(id: string, doc: Document, changes: Change[]): Document {
    const previous = this.docs.get(id);
    this.docs.set(id, doc);
    for (const index of this.everyIndex()) index.add(doc, id);
    this.noteWrite(id, previous);
    changes.push({ op: 'put', ns: this.ns, doc });
    return doc;
  }

  /** Stamps a write with the next clock value and keeps the version it replaced while transactions need it. */
  private noteWrite(id: string, previous: Document | undefined): void {
    const clock = ++writeClock;
    this.lastWrite.set(id, clock);
    this.lastChange = clock;
    if (!this.priorVersions) return;
    const versions = this.priorVersions.get(id);
    if (versions) versions.push({ clock, doc: previous });
    else this.priorVersions.set(id, [{ clock, doc: previous }]);
  }

  /** Drops the versions no open transaction can ask for: those replaced at or before `clock`. */
  forgetVersionsUpTo(clock: number): void {
    if (!this.priorVersions) return;
    for (const [id, versions] of this.priorVersions) {
      const needed = versions.filter((version) => version.clock > clock);
      if (needed.length === 0) this.priorVersions.delete(id);
      else if (needed.length < versions.length) this.priorVersions.set(id, needed);
    }
  }

  /**
   * The collection as it was at write-clock value `clock`: itself when nothing changed since,
   * else a copy with each later-changed document put back as it was. Only valid for a clock
   * from which priorVersions has been kept (a transaction's start).
   */
  asOf(clock: number): Collection {
    if (this.lastChange <= clock || !this.priorVersions) return this;
    const restored: CommittedWrite[] = [];
    for (const [id, versions] of this.priorVersions) {
      const firstLater = versions.find((version) => version.clock > clock);
      if (firstLater) restored.push({ id, after: firstLater.doc });
    }
    const view = this.clone();
    view.swapVersions(restored);
    return view;
  }

  /**
   * Throws E11000 when the end state of a transaction's writes would hold a unique key twice:
   * among the written documents themselves, or against a document the writes leave in place.
   * The documents being replaced or deleted do not count: their keys go away with them.
   */
  checkCommittable(writes: CommittedWrite[]): void {
    const touched = new Set(writes.map((write) => write.id));
    for (const index of this.indexes.values()) {
      if (!index.unique) continue;
      const keyOwners = new Map<string, string>();
      for (const { id, after } of writes) {
        if (!after) continue;
        for (const entry of index.entriesFor(after)) {
          const staying = [...index.lookupPrefix(entry.values).keys()].some((other) => other !== id && !touched.has(other));
          const owner = keyOwners.get(entry.key);
          if (staying || (owner !== undefined && owner !== id)) throw index.duplicateKeyError(this.ns, entry.values);
          keyOwners.set(entry.key, id);
        }
      }
    }
  }

  /**
   * Applies a transaction's writes, checked by checkCommittable, as one step (see
   * swapVersions) and reports them as Changes.
   */
  applyCommitted(writes: CommittedWrite[], changes: Change[]): void {
    const previous = this.swapVersions(writes);
    writes.forEach(({ id, after }, i) => {
      const old = previous[i];
      if (after) changes.push({ op: 'put', ns: this.ns, doc: after });
      else if (old) changes.push({ op: 'del', ns: this.ns, id: old._id });
      if (after || old) this.noteWrite(id, old);
    });
  }

  /**
   * Puts each given version in place (undefined: absent) without checks: every old version
   * leaves the indexes before any new one enters, so keys that move between the documents
   * never meet. Returns the versions replaced.
   */
  private swapVersions(writes: CommittedWrite[]): Array<Document | undefined> {
    const previous = writes.map(({ id }) => this.docs.get(id));
    writes.forEach(({ id }, i) => {
      const old = previous[i];
      if (old) for (const index of this.everyIndex()) index.remove(old, id);
    });
    for (const { id, after } of writes) {
      if (!after) {
        this.docs.delete(id);
        continue;
      }
      this.docs.set(id, after);
      for (const index of this.everyIndex()) index.add(after, id);
    }
    return previous;
  }

  getById(id: unknown): Document | undefined {
    return this.docs.get(keyString(id));
  }

  /**
   * Returns a new index, or null when an identical one exists. The same name with another key or
   * options is IndexKeySpecsConflict (86); the same key under another name IndexOptionsConflict (85).
   * Recovery passes `recovered`: its documents were checked when they were written, and data kept
   * by an older server that a stricter check would now refuse must not stop the database starting.
   */
  createIndex(spec: Document, recovered = false): Index | null {
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
      if (!recovered) index.checkUnique(doc, id, this.ns);
      index.add(doc, id);
    }
    this.indexes.set(name, index);
    return index;
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw new MongoCommandError(72, 'cannot drop _id index');
    if (!this.indexes.delete(name)) throw new MongoCommandError(27, `index not found with name [${name}]`);
  }

  /** The `_id_` index and every secondary one: what each document change must keep up to date. */
  everyIndex(): Index[] {
    return [this.idIndex, ...this.indexes.values()];
  }

  /** Independent copy for a transaction snapshot (documents are shared: they are never mutated). */
  clone(): Collection {
    const copy = new Collection(this.db, this.name, this.options, new Map(this.docs));
    copy.idIndex = this.idIndex.clone();
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
