/**
 * The paths of an operator update as mongod reads them: validated when the update is parsed
 * (empty names, positional rules, conflicts between paths, array filter identifiers), then
 * expanded per document into concrete paths (`$` to the element the query matched, `$[]` to
 * every element, `$[id]` to the elements its array filter matches).
 */
import type { Document } from 'bson';
import { MongoCommandError } from './errors';
import { compileFilter } from './query';

export type Parts = string[];

const ARRAY_FILTER = /^\$\[(.*)\]$/;
const IDENTIFIER = /^[a-z][a-zA-Z0-9]*$/;

export function isPositional(part: string): boolean {
  return part === '$';
}

/** The identifier of `$[id]` ('' for `$[]`), or null for any other part. */
export function arrayFilterIdentifier(part: string): string | null {
  const m = ARRAY_FILTER.exec(part);
  return m ? m[1] : null;
}

export function isDynamic(part: string): boolean {
  return isPositional(part) || arrayFilterIdentifier(part) !== null;
}

/** mongod's fieldchecker: no empty path or part, one `$` at most, nothing dynamic first. */
export function parsePath(path: string): Parts {
  if (path === '') throw new MongoCommandError(56, 'An empty update path is not valid.');
  const parts = path.split('.');
  if (parts.some((p) => p === '')) {
    throw new MongoCommandError(56, `The update path '${path}' contains an empty field name, which is not allowed.`);
  }
  if (parts.filter(isPositional).length > 1) throw new MongoCommandError(2, `Too many positional (i.e. '$') elements found in path '${path}'`);
  if (isPositional(parts[0])) {
    throw new MongoCommandError(2, `Cannot have positional (i.e. '$') element in the first position in path '${path}'`);
  }
  if (arrayFilterIdentifier(parts[0]) !== null) {
    throw new MongoCommandError(2, `Cannot have array filter identifier (i.e. '$[<id>]') element in the first position in path '${path}'`);
  }
  return parts;
}

interface PathNode {
  leaf: boolean;
  children: Map<string, PathNode>;
}

/**
 * Paths of one update, refusing one that is a prefix of another (or equal to it), as mongod's
 * update tree does: `arr.$.a` and `arr.$.b` share a prefix and are fine, `a` and `a.b` conflict.
 */
export class PathTree {
  private readonly root: PathNode = { leaf: false, children: new Map() };

  add(parts: Parts): void {
    let node = this.root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      let child = node.children.get(part);
      if (child && (child.leaf || last)) {
        const at = last ? parts : parts.slice(0, i + 1);
        throw new MongoCommandError(40, `Updating the path '${parts.join('.')}' would create a conflict at '${at.join('.')}'`);
      }
      if (!child) {
        child = { leaf: last, children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    });
  }
}

/** Array filters by identifier, each compiled to a test of one array element. */
export type ArrayFilters = Map<string, (element: unknown) => boolean>;

function filterIdentifier(filter: Document): string {
  const names = new Set<string>();
  const collect = (f: Document) => {
    for (const [key, value] of Object.entries(f)) {
      if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) value.forEach((part) => collect(part as Document));
      else names.add(key.split('.')[0]);
    }
  };
  collect(filter);
  const [first, second] = [...names];
  if (first === undefined) throw new MongoCommandError(9, 'Cannot use an expression without a top-level field name in arrayFilters');
  if (second !== undefined) {
    throw new MongoCommandError(9, `Error parsing array filter :: caused by :: Expected a single top-level field name, found '${first}' and '${second}'`);
  }
  if (!IDENTIFIER.test(first)) {
    throw new MongoCommandError(2, `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${first}'`);
  }
  return first;
}

export function parseArrayFilters(arrayFilters: Document[] | undefined, collation: Document | null): ArrayFilters {
  const filters: ArrayFilters = new Map();
  for (const filter of arrayFilters ?? []) {
    const id = filterIdentifier(filter);
    if (filters.has(id)) throw new MongoCommandError(9, `Found multiple array filters with the same top-level field name ${id}`);
    const test = compileFilter(filter, { collation });
    filters.set(id, (element) => test({ [id]: element }));
  }
  return filters;
}

/** Every `$[id]` needs its filter and every filter must be used (mongod: codes 2 and 9). */
export function checkArrayFiltersUsed(paths: Parts[], filters: ArrayFilters, update: Document): void {
  const used = new Set<string>();
  for (const parts of paths) {
    for (const part of parts) {
      const id = arrayFilterIdentifier(part);
      if (!id) continue;
      if (!filters.has(id)) throw new MongoCommandError(2, `No array filter found for identifier '${id}' in path '${parts.join('.')}'`);
      used.add(id);
    }
  }
  for (const id of filters.keys()) {
    if (!used.has(id)) throw new MongoCommandError(9, `The array filter for identifier '${id}' was not used in the update ${JSON.stringify(update)}`);
  }
}

function childOf(value: unknown, part: string): unknown {
  if (Array.isArray(value)) return /^\d+$/.test(part) ? value[Number(part)] : undefined;
  if (value !== null && typeof value === 'object') return (value as Document)[part];
  return undefined;
}

export function valueAt(doc: Document, parts: Parts): unknown {
  return parts.reduce<unknown>((value, part) => childOf(value, part), doc);
}

/** A shallow copy of `doc` with the value at a (plain) path replaced, for testing one element. */
function withValueAt(doc: Document, parts: Parts, value: unknown): Document {
  const [head, ...rest] = parts;
  const inner = rest.length ? withValueAt((childOf(doc, head) ?? {}) as Document, rest, value) : value;
  return { ...doc, [head]: inner };
}

/** The conditions of the query on the array at `arrayPath` or below it. */
function conditionsOn(filter: Document, arrayPath: string): Document {
  const out: Document = {};
  const collect = (f: Document) => {
    for (const [key, value] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(value)) value.forEach((part) => collect(part as Document));
      else if (key === arrayPath || key.startsWith(`${arrayPath}.`)) out[key] = value;
    }
  };
  collect(filter);
  return out;
}

/** The index of the first element the query matched in the array at `prefix`, as `$` uses it. */
function positionalIndex(doc: Document, prefix: Parts, filter: Document, collation: Document | null): number | null {
  const array = valueAt(doc, prefix);
  const conditions = conditionsOn(filter, prefix.join('.'));
  if (!Array.isArray(array) || Object.keys(conditions).length === 0) return null;
  const test = compileFilter(conditions, { collation });
  const index = array.findIndex((element) => test(withValueAt(doc, prefix, [element])));
  return index < 0 ? null : index;
}

export interface ExpandContext {
  filter: Document;
  arrayFilters: ArrayFilters;
  /** An upsert's new document: the query matched nothing, so `$` has no position. */
  inserting: boolean;
  collation: Document | null;
}

function arrayToExpand(doc: Document, prefix: Parts): unknown[] {
  const value = valueAt(doc, prefix);
  const path = prefix.join('.');
  if (value === undefined) throw new MongoCommandError(2, `The path '${path}' must exist in the document in order to apply array updates.`);
  if (!Array.isArray(value)) throw new MongoCommandError(2, `Cannot apply array updates to non-array element ${path}: ${JSON.stringify(value)}`);
  return value;
}

/** The concrete paths a parsed path stands for in `doc` (none when `$[id]` matches nothing). */
export function expandPath(doc: Document, parts: Parts, ctx: ExpandContext): Parts[] {
  let prefixes: Parts[] = [[]];
  parts.forEach((part, i) => {
    if (isPositional(part)) {
      const index = ctx.inserting ? null : positionalIndex(doc, parts.slice(0, i), ctx.filter, ctx.collation);
      if (index === null) throw new MongoCommandError(2, 'The positional operator did not find the match needed from the query.');
      prefixes = prefixes.map((p) => [...p, String(index)]);
      return;
    }
    const id = arrayFilterIdentifier(part);
    if (id === null) {
      prefixes = prefixes.map((p) => [...p, part]);
      return;
    }
    const test = id === '' ? () => true : ctx.arrayFilters.get(id)!;
    prefixes = prefixes.flatMap((p) =>
      arrayToExpand(doc, p).flatMap((element, index) => (test(element) ? [[...p, String(index)]] : [])),
    );
  });
  return prefixes;
}

/** Two concrete paths of one update may not touch the same element (mongod: code 40). */
export function checkConcreteConflicts(paths: Parts[]): void {
  const sorted = paths.map((p) => p.join('.')).sort();
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (a === b || b.startsWith(`${a}.`)) throw new MongoCommandError(40, `Update created a conflict at '${a}'`);
  }
}

/** mongod applies an update tree's fields in name order, array indexes numerically. */
export function comparePaths(a: Parts, b: Parts): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    const numeric = /^\d+$/.test(a[i]) && /^\d+$/.test(b[i]);
    if (numeric) return Number(a[i]) - Number(b[i]);
    return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}
