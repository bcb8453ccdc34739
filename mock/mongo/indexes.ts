/**
 * Secondary indexes. Each index keeps its entries in key order (OrderedEntries: keyString's
 * order-preserving, injective encodings), so a unique check, an equality on any prefix of a
 * compound index's fields, a range, an anchored regex and a sort are each a run of entries
 * found by binary search (O(log n)), and inserts stay O(log n) too. Array values are multikey (one entry per
 * element); an empty array indexes as `undefined` (as mongod: neither null nor missing, and a
 * sparse index keeps it); a missing field indexes as null unless the index is sparse; partial
 * indexes hold only the documents matching their filter. Geo and text indexes are recorded but
 * not keyed.
 */
import type { Document } from 'bson';
import { EMPTY_ARRAY_KEY, keyString } from './compare';
import { MongoCommandError } from './errors';
import { assertGeoKeys } from './geo/keys';
import { OrderedEntries, type Bound, type OrderedEntry, type Position } from './ordered';
import { compileFilter } from './query';

export type IndexSpec = Document & { key: Document; name: string };

interface IndexEntry {
  /** The whole key: the parts' key strings concatenated (each is self-delimiting). */
  key: string;
  parts: string[];
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

/** Stands for an empty array among an index's key values (mongod's `undefined` key). */
const EMPTY_ARRAY = Symbol('empty array');

/** The key string of one field's index value. */
function partKey(value: unknown): string {
  return value === EMPTY_ARRAY ? EMPTY_ARRAY_KEY : keyString(value);
}

function isPlainObject(v: unknown): v is Document {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v as { _bsontype?: string })._bsontype;
}

interface FieldKeys {
  /** Distinct key strings of the field's index values, and the values (null for a missing field). */
  parts: string[];
  values: unknown[];
  /** True when the field (or some element along its path) is an array. */
  multikey: boolean;
  /** True when the path reaches no value at all (a sparse index skips such a field). */
  missing: boolean;
}

function addKey(out: FieldKeys, value: unknown): void {
  const part = partKey(value);
  if (out.parts.length && out.parts.includes(part)) return;
  out.parts.push(part);
  out.values.push(value === undefined ? null : value);
}

function addLeaf(out: FieldKeys, value: unknown): void {
  if (value !== undefined) out.missing = false;
  if (!Array.isArray(value)) return addKey(out, value);
  out.multikey = true;
  if (value.length === 0) addKey(out, EMPTY_ARRAY);
  for (const element of value) addKey(out, element);
}

function walkPath(out: FieldKeys, value: unknown, path: string[], i: number): void {
  if (i === path.length) return addLeaf(out, value);
  if (Array.isArray(value)) {
    if (/^\d+$/.test(path[i])) return walkPath(out, value[Number(path[i])], path, i + 1);
    out.multikey = true;
    for (const element of value) if (isPlainObject(element)) walkPath(out, element[path[i]], path, i + 1);
    return;
  }
  walkPath(out, isPlainObject(value) ? value[path[i]] : undefined, path, i + 1);
}

/**
 * The index values a document has for a dotted path, as mongod generates keys: arrays along
 * the path are walked element by element (objects continue the path, other elements give
 * nothing), a numeric part picks an array position, an array at the end gives its elements (an
 * empty one the `undefined` key), and a path that ends nowhere gives null.
 */
function fieldKeys(doc: Document, path: string[]): FieldKeys {
  const out: FieldKeys = { parts: [], values: [], multikey: false, missing: true };
  walkPath(out, doc, path, 0);
  if (out.parts.length === 0) addKey(out, null);
  return out;
}

/** A key string whose order is reversed (for descending fields): each code unit mirrored. */
function invert(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) out += String.fromCharCode(0xffff - key.charCodeAt(i));
  return out;
}

function cartesian<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

/**
 * The documents holding one key, by `_id` key. Index entries hold the documents themselves
 * (always the objects the collection stores: every change goes through Collection, which
 * re-adds a replaced document), which spares a lookup per candidate in the collection's map.
 */
export type Holders = ReadonlyMap<string, Document>;

/** A run of an index in key order: an equality prefix, then optionally a range on the next field. */
export interface IndexRange {
  /** Key strings of the leading fields' values. */
  prefix: string[];
  /** Bounds on the next field's key string, in value order (not index order). */
  lower?: { key: string; inclusive: boolean };
  upper?: { key: string; inclusive: boolean };
}

export class Index {
  readonly fields: string[];
  /** 1 or -1 per field, as in the key pattern. */
  readonly directions: number[];
  /** False for geo and text indexes, which are recorded but not keyed. */
  readonly hashed: boolean;
  /**
   * True once any indexed document had an array on an indexed path (sticky, like mongod's
   * multikey flag): then one document has several entries, and the index order is no sort order.
   */
  multikey = false;
  /** The entries in key order: equality on a prefix of the fields, ranges and sorts are runs of it. */
  private ordered: OrderedEntries;
  private readonly paths: string[][];
  private readonly inFilter: (doc: Document) => boolean;
  private lastDoc: Document | null = null;
  private lastKeys: FieldKeys[] | null = null;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.directions = this.fields.map((f) => (Number(spec.key[f]) < 0 ? -1 : 1));
    this.paths = this.fields.map((f) => f.split('.'));
    this.hashed = !isSpecialIndex(spec.key);
    this.ordered = new OrderedEntries();
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
    const perField = this.indexedKeys(doc);
    if (!perField) return [];
    const indexes = cartesian(perField.map((field) => field.parts.map((_, i) => i)));
    return indexes.map((picks) => {
      const parts = picks.map((pick, f) => perField[f].parts[pick]);
      return { key: parts.join(''), parts, values: picks.map((pick, f) => perField[f].values[pick]) };
    });
  }

  /**
   * Each field's keys, or null when sparse/partial rules leave `doc` out. The last answer is
   * kept: a write checks uniqueness and then adds the same stored (never mutated) document.
   */
  private indexedKeys(doc: Document): FieldKeys[] | null {
    if (doc === this.lastDoc) return this.lastKeys;
    const keys = this.computeKeys(doc);
    this.lastDoc = doc;
    this.lastKeys = keys;
    return keys;
  }

  private computeKeys(doc: Document): FieldKeys[] | null {
    if (!this.hashed || !this.inFilter(doc)) return null;
    const perField = this.paths.map((path) => fieldKeys(doc, path));
    if (this.spec.sparse && perField.every((field) => field.missing)) return null;
    return perField;
  }

  /** Throws E11000 if inserting `doc` (with id `id`) would duplicate a unique key. */
  checkUnique(doc: Document, id: string, ns: string): void {
    assertGeoKeys(this.spec.key, doc, this.inFilter);
    if (!this.unique) return;
    for (const entry of this.entriesFor(doc)) {
      if (this.ordered.holdsOther(this.orderKey(entry.parts), id)) throw this.duplicateKeyError(ns, entry.values);
    }
  }

  add(doc: Document, id: string): void {
    const perField = this.indexedKeys(doc);
    if (!perField) return;
    if (perField.some((field) => field.multikey)) this.multikey = true;
    for (const entry of this.orderedEntries(perField, id, doc)) this.ordered.insert(entry);
  }

  remove(doc: Document, id: string): void {
    const perField = this.indexedKeys(doc);
    if (!perField) return;
    for (const entry of this.orderedEntries(perField, id, doc)) this.ordered.remove(entry);
  }

  private orderedEntries(perField: FieldKeys[], id: string, doc: Document): OrderedEntry[] {
    if (perField.every((field) => field.parts.length === 1)) return [{ key: this.orderKey(perField.map((field) => field.parts[0])) + id, id, doc }];
    return cartesian(perField.map((field) => field.parts)).map((parts) => ({ key: this.orderKey(parts) + id, id, doc }));
  }

  /** Key strings of the leading fields in index order: a descending field's inverted. */
  private orderKey(parts: string[]): string {
    let key = '';
    for (let i = 0; i < parts.length; i++) key += this.directions[i] < 0 ? invert(parts[i]) : parts[i];
    return key;
  }

  /**
   * The documents whose first `values.length` fields equal `values` (a prefix lookup: the
   * fields after it may hold anything), by `_id` key.
   */
  lookupPrefix(values: unknown[]): Holders {
    const holders = new Map<string, Document>();
    for (const entry of this.scan({ prefix: values.map(partKey) })) holders.set(entry.id, entry.doc);
    return holders;
  }

  /** How many entries a range holds (a multikey document may hold several), in O(log n). */
  rangeSize(range: IndexRange): number {
    const [from, to] = this.positions(range);
    return Math.max(0, this.ordered.distance(from, to));
  }

  /** The entries of a range in index order, or in the opposite order with `reverse`. */
  scan(range: IndexRange, reverse = false): Iterable<OrderedEntry> {
    const [from, to] = this.positions(range);
    return this.ordered.walk(from, to, reverse);
  }

  /** Where a range starts and ends, turning value-order bounds into index order. */
  private positions(range: IndexRange): [Position, Position] {
    const { prefix, lower, upper } = range;
    const ascending = this.directions[prefix.length] !== -1;
    const first = ascending ? lower : upper;
    const last = ascending ? upper : lower;
    const start: Bound = first ? { key: this.orderKey([...prefix, first.key]), after: !first.inclusive } : { key: this.orderKey(prefix), after: false };
    const end: Bound = last ? { key: this.orderKey([...prefix, last.key]), after: last.inclusive } : { key: this.orderKey(prefix), after: true };
    return [this.ordered.locate(start), this.ordered.locate(end)];
  }

  /** Number of entries (one per document unless multikey). */
  get size(): number {
    return this.ordered.size;
  }

  clone(): Index {
    const copy = new Index(this.spec);
    copy.ordered = this.ordered.clone();
    copy.multikey = this.multikey;
    return copy;
  }

  duplicateKeyError(ns: string, values: unknown[]): MongoCommandError {
    const keyValue: Document = {};
    this.fields.forEach((f, i) => (keyValue[f] = values[i] === undefined || values[i] === EMPTY_ARRAY ? null : values[i]));
    const shown = this.fields.map((f, i) => `${f}: ${values[i] === EMPTY_ARRAY ? 'undefined' : formatKeyValue(keyValue[f])}`).join(', ');
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
