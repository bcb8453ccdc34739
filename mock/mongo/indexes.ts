/**
 * Secondary indexes as hash maps from key string to documents (by id), so unique checks and equality
 * lookups cost O(1) instead of a collection scan. A compound index keeps one map per prefix
 * length ({a, b, c}: a; a+b; a+b+c), so equality on a leading part of its fields is one lookup
 * too. Array values are multikey (one entry per element); a missing field indexes as null unless
 * the index is sparse; partial indexes hold only the documents matching their filter. Geo and
 * text indexes are recorded but not hashed.
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

/**
 * The key of the first `length` fields. Each part is length-prefixed so that no string value
 * can make two different tuples produce one key (`'a|b', 'c'` and `'a', 'b|c'`).
 */
function prefixKey(parts: string[], length: number): string {
  if (length === 1) return parts[0];
  let key = '';
  for (let i = 0; i < length; i++) key += `${parts[i].length}:${parts[i]}`;
  return key;
}

/**
 * The documents holding one key, by `_id` key. Holding the documents themselves (always the
 * objects the collection stores: every change goes through Collection, which re-adds a
 * replaced document) spares a lookup per candidate in the collection's map.
 */
export type Holders = ReadonlyMap<string, Document>;

/** One hash map from key to the documents holding it, for one prefix length of the index's fields. */
class Level {
  /**
   * Keys whose holder map this level may change in place. After clone() both levels share
   * every map and own none, so each copies a map before its first change (copy-on-write): a
   * transaction's copy of a large collection costs one Map copy, not one Map per key.
   */
  owned: Set<string> | null = null;

  constructor(public entries = new Map<string, Map<string, Document>>()) {}

  /** The holders of `key`, safe to change in place (see `owned`). */
  private writableHolders(key: string): Map<string, Document> | undefined {
    const holders = this.entries.get(key);
    if (!holders || !this.owned || this.owned.has(key)) return holders;
    const copy = new Map(holders);
    this.entries.set(key, copy);
    this.owned.add(key);
    return copy;
  }

  add(key: string, id: string, doc: Document): void {
    const holders = this.writableHolders(key);
    if (holders) holders.set(id, doc);
    else {
      this.entries.set(key, new Map([[id, doc]]));
      this.owned?.add(key);
    }
  }

  remove(key: string, id: string): void {
    const holders = this.writableHolders(key);
    if (!holders) return;
    holders.delete(id);
    if (holders.size === 0) this.entries.delete(key);
  }

  clone(): Level {
    const copy = new Level(new Map(this.entries));
    copy.owned = new Set();
    this.owned = new Set();
    return copy;
  }
}

const NO_HOLDERS: Holders = new Map();

export class Index {
  readonly fields: string[];
  readonly hashed: boolean;
  /**
   * `levels[k - 1]` maps the key of the first k fields to the documents holding it, so an equality on
   * any prefix of a compound index is one lookup (the last level is the whole key).
   */
  private levels: Level[];
  private readonly inFilter: (doc: Document) => boolean;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.hashed = !isSpecialIndex(spec.key);
    this.levels = this.hashed ? this.fields.map(() => new Level()) : [];
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
    const perField = this.indexedValues(doc);
    if (!perField) return [];
    return cartesian(perField).map((values) => ({ key: prefixKey(values.map(keyString), values.length), values }));
  }

  /** Each field's values (one per array element), or null when sparse/partial rules leave `doc` out. */
  private indexedValues(doc: Document): unknown[][] | null {
    if (!this.hashed || !this.inFilter(doc)) return null;
    const perField = this.fields.map((f) => fieldValues(doc, f));
    if (this.spec.sparse && perField.every((vals) => vals.length === 1 && vals[0] === undefined)) return null;
    return perField;
  }

  /**
   * The distinct keys `doc` has at each prefix length (first entry: one field), built field by
   * field so each part's key string is computed once (the form prefixKey gives).
   */
  private keysByLevel(doc: Document): string[][] {
    const perField = this.indexedValues(doc);
    if (!perField) return [];
    const levels: string[][] = [];
    let encoded = [''];
    perField.forEach((values, i) => {
      const parts = values.length === 1 ? [keyString(values[0])] : [...new Set(values.map(keyString))];
      const next: string[] = [];
      for (const prefix of encoded) for (const part of parts) next.push(`${prefix}${part.length}:${part}`);
      levels.push(i === 0 ? parts : next);
      encoded = next;
    });
    return levels;
  }

  /** Throws E11000 if inserting `doc` (with id `id`) would duplicate a unique key. */
  checkUnique(doc: Document, id: string, ns: string): void {
    if (!this.unique) return;
    const whole = this.levels[this.levels.length - 1];
    for (const entry of this.entriesFor(doc)) {
      const holders = whole.entries.get(entry.key);
      if (holders && [...holders.keys()].some((other) => other !== id)) throw this.duplicateKeyError(ns, entry.values);
    }
  }

  add(doc: Document, id: string): void {
    this.keysByLevel(doc).forEach((keys, level) => {
      for (const key of keys) this.levels[level].add(key, id, doc);
    });
  }

  remove(doc: Document, id: string): void {
    this.keysByLevel(doc).forEach((keys, level) => {
      for (const key of keys) this.levels[level].remove(key, id);
    });
  }

  /**
   * The documents whose first `values.length` fields equal `values` (a prefix lookup: the
   * fields after it may hold anything), by `_id` key.
   */
  lookupPrefix(values: unknown[]): Holders {
    const level = this.levels[values.length - 1];
    if (!level) return NO_HOLDERS;
    return level.entries.get(prefixKey(values.map(keyString), values.length)) ?? NO_HOLDERS;
  }

  clone(): Index {
    const copy = new Index(this.spec);
    copy.levels = this.levels.map((level) => level.clone());
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
