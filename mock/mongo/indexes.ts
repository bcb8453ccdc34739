/**
 * Secondary indexes as hash maps from key string to document ids, so unique checks and equality
 * lookups cost O(1) instead of a collection scan. Array values are multikey (one entry per
 * element); a missing field indexes as null unless the index is sparse; partial indexes hold only
 * the documents matching their filter. Geo and text indexes are recorded but not hashed.
 */
import type { Document } from 'bson';
import { resolve } from 'mingo/util';
import { keyString } from './compare';
import { MongoCommandError } from './errors';
import { compileFilter } from './query';

export type IndexSpec = Document & { key: Document; name: string };

interface IndexEntry {
  key: string;
  values: unknown[];
}

/** The default name MongoDB gives an index: `a_1_b_-1`. */
export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${dir}`)
    .join('_');
}

/** True when a key pattern asks for a geo or text index rather than an ordered one. */
export function isSpecialIndex(key: Document): boolean {
  return Object.values(key).some((dir) => typeof dir === 'string');
}

function fieldValues(doc: Document, path: string): unknown[] {
  const value = resolve(doc, path, { unwrapArray: true });
  if (value === undefined) return [undefined];
  if (Array.isArray(value)) return value.length === 0 ? [undefined] : Array.from(new Set(value));
  return [value];
}

function cartesian(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

export class Index {
  readonly fields: string[];
  readonly hashed: boolean;
  private entries = new Map<string, Set<string>>();
  /**
   * Keys whose id set this index may change in place. After clone() both indexes share every
   * set and own none, so each copies a set before its first change (copy-on-write): a
   * transaction's copy of a large collection costs one Map copy, not one Set per key.
   */
  private owned: Set<string> | null = null;
  private readonly inFilter: (doc: Document) => boolean;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.hashed = !isSpecialIndex(spec.key);
    this.inFilter = compileFilter(spec.partialFilterExpression as Document | undefined);
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** True when a document with these field values would be in a partial index. */
  covers(doc: Document): boolean {
    return this.inFilter(doc);
  }

  /** The index entries a document produces; none when sparse/partial rules leave it out. */
  entriesFor(doc: Document): IndexEntry[] {
    if (!this.hashed || !this.inFilter(doc)) return [];
    const perField = this.fields.map((f) => fieldValues(doc, f));
    if (this.spec.sparse && perField.every((vals) => vals.length === 1 && vals[0] === undefined)) return [];
    return cartesian(perField).map((values) => ({ key: values.map(keyString).join('|'), values }));
  }

  /** Throws E11000 if inserting `doc` (with id `id`) would duplicate a unique key. */
  checkUnique(doc: Document, id: string, ns: string): void {
    if (!this.unique) return;
    for (const entry of this.entriesFor(doc)) {
      const holders = this.entries.get(entry.key);
      if (holders && [...holders].some((other) => other !== id)) throw this.duplicateKeyError(ns, entry.values);
    }
  }

  /** The id set of `key`, safe to change in place (see `owned`). */
  private writableHolders(key: string): Set<string> | undefined {
    const holders = this.entries.get(key);
    if (!holders || !this.owned || this.owned.has(key)) return holders;
    const copy = new Set(holders);
    this.entries.set(key, copy);
    this.owned.add(key);
    return copy;
  }

  add(doc: Document, id: string): void {
    for (const { key } of this.entriesFor(doc)) {
      const holders = this.writableHolders(key);
      if (holders) holders.add(id);
      else {
        this.entries.set(key, new Set([id]));
        this.owned?.add(key);
      }
    }
  }

  remove(doc: Document, id: string): void {
    for (const { key } of this.entriesFor(doc)) {
      const holders = this.writableHolders(key);
      if (!holders) continue;
      holders.delete(id);
      if (holders.size === 0) this.entries.delete(key);
    }
  }

  /** Ids of documents whose key equals `values` (one per field, in key order). */
  lookup(values: unknown[]): Set<string> {
    return this.entries.get(values.map(keyString).join('|')) ?? new Set();
  }

  clone(): Index {
    const copy = new Index(this.spec);
    copy.entries = new Map(this.entries);
    copy.owned = new Set();
    this.owned = new Set();
    return copy;
  }

  duplicateKeyError(ns: string, values: unknown[]): MongoCommandError {
    const keyValue: Document = {};
    this.fields.forEach((f, i) => (keyValue[f] = values[i] === undefined ? null : values[i]));
    const shown = this.fields.map((f) => `${f}: ${formatKeyValue(keyValue[f])}`).join(', ');
    return new MongoCommandError(
      11000,
      `E11000 duplicate key error collection: ${ns} index: ${this.spec.name} dup key: { ${shown} }`,
      { keyPattern: { ...this.spec.key }, keyValue },
    );
  }
}

/** Formats a key value the way mongod prints it in an E11000 message. */
export function formatKeyValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  const bsontype = (v as { _bsontype?: string })._bsontype;
  if (bsontype === 'ObjectId') return `ObjectId('${(v as { toHexString(): string }).toHexString()}')`;
  if (Array.isArray(v)) return `[ ${v.map(formatKeyValue).join(', ')} ]`;
  if (typeof v === 'object' && !bsontype) {
    return `{ ${Object.entries(v as Document).map(([k, x]) => `${k}: ${formatKeyValue(x)}`).join(', ')} }`;
  }
  return String(v);
}
