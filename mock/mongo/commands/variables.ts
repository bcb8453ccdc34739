/**
 * The `let` option of find, aggregate, update, delete and findAndModify: constants (or closed
 * expressions such as `{$rand: {}}`) evaluated once per command and visible as `$$name` in `$expr`
 * and in pipelines. Filters and update pipelines are handed to code that knows no variables, so
 * each expression that may read them is wrapped in a `$let` binding their values as literals.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { runMingoPipeline } from '../query';

export type Variables = Record<string, unknown>;

/** A document (not an array, a BSON value or a Date), shared by the command files that walk specs. */
export function isPlainObject(v: unknown): v is Document {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/** mongod's rule for user variable names: a lowercase or non-ASCII first character, then word characters (or CURRENT). */
export function validateVariableName(name: string): void {
  if (name === 'CURRENT') return;
  if (name === '') throw new MongoCommandError(16866, 'empty variable names are not allowed');
  if (!/^[a-z\u0080-\uffff]/.test(name)) {
    throw new MongoCommandError(16867, `'${name}' starts with an invalid character for a user variable name`);
  }
  const invalid = [...name].find((c) => !/[A-Za-z0-9_\u0080-\uffff]/.test(c));
  if (invalid) throw new MongoCommandError(16868, `'${name}' contains an invalid character for a variable name: '${invalid}'`);
}

/** The command's `let` evaluated (once), or null when it has none. */
export function letVariables(command: Document): Variables | null {
  const spec = command.let;
  if (spec === undefined) return null;
  if (!isPlainObject(spec)) throw new MongoCommandError(14, "BSON field 'let' is the wrong type, expected type 'object'");
  Object.keys(spec).forEach(validateVariableName);
  if (Object.keys(spec).length === 0) return null;
  const [values] = runMingoPipeline([{}], [{ $replaceWith: spec }]);
  const variables: Variables = {};
  for (const name of Object.keys(spec)) variables[name] = values[name] ?? null;
  return variables;
}

/** `expression` evaluated with the variables bound. */
function bound(expression: unknown, variables: Variables): Document {
  const vars = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, { $literal: value }]));
  return { $let: { vars, in: expression } };
}

/** The filter with each `$expr` (top level or under $and/$or/$nor, the only places it may be) bound. */
export function bindFilter(filter: Document | undefined, variables: Variables | null): Document | undefined {
  if (!filter || !variables) return filter;
  const out: Document = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$expr') out[key] = bound(value, variables);
    else if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      out[key] = value.map((clause) => (isPlainObject(clause) ? bindFilter(clause, variables) : clause));
    } else out[key] = value;
  }
  return out;
}

/** A `$project` spec with its computed fields bound (0/1/true/false stay inclusion flags). */
function bindProjection(spec: Document, variables: Variables): Document {
  const out: Document = {};
  for (const [key, value] of Object.entries(spec)) {
    if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (isPlainObject(value) && !Object.keys(value).some((k) => k.startsWith('$'))) out[key] = bindProjection(value, variables);
    else out[key] = bound(value, variables);
  }
  return out;
}

function bindStage(stage: Document, variables: Variables): Document {
  const [name] = Object.keys(stage);
  const spec = stage[name];
  switch (name) {
    case '$set':
    case '$addFields':
      return { [name]: Object.fromEntries(Object.entries(spec as Document).map(([k, v]) => [k, bound(v, variables)])) };
    case '$project':
      return { [name]: bindProjection(spec as Document, variables) };
    case '$replaceWith':
      return { [name]: bound(spec, variables) };
    case '$replaceRoot':
      return { [name]: { ...(spec as Document), newRoot: bound((spec as Document).newRoot, variables) } };
    default:
      return stage;
  }
}

/** An update: a pipeline gets its stages bound; operator and replacement updates read no variables. */
export function bindUpdate<T>(update: T, variables: Variables | null): T {
  if (!variables || !Array.isArray(update)) return update;
  return update.map((stage) => (isPlainObject(stage) ? bindStage(stage, variables) : stage)) as T;
}
