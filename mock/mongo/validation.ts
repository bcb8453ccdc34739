/**
 * What a collection accepts as a stored document: MongoDB's 16 MiB document limit, and the
 * collection's validator (`$jsonSchema` and/or query operators) with its validationLevel and
 * validationAction, as `create` and `collMod` set them.
 */
import { calculateObjectSize, type Document } from 'bson';
import { resolve } from 'mingo/util';
import { MongoCommandError } from './errors';
import { compileSchema, type RuleFailure } from './jsonschema';
import { bsonTypeAlias } from './numbers';
import { compileFilter } from './query';

/** BSONObjMaxUserSize: what hello advertises as maxBsonObjectSize. */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

/** How a write asks to be checked. */
export interface WriteChecks {
  /** The command's `bypassDocumentValidation`: the validator is skipped (the size limit is not). */
  bypassDocumentValidation?: boolean;
  /** The insert of an upsert (mongod reports its size error with another code). */
  upsert?: boolean;
  /** Checked when it was first written (recovery, a committed transaction's result): nothing is checked. */
  trusted?: boolean;
}

export const TRUSTED: WriteChecks = { trusted: true };

export const VALIDATION_LEVELS = ['off', 'strict', 'moderate'];
export const VALIDATION_ACTIONS = ['error', 'warn'];

/** Throws mongod's error when `doc` may not be inserted into a collection with `options`. */
export function checkInsert(options: Document, doc: Document, checks: WriteChecks = {}): void {
  if (checks.trusted) return;
  const size = calculateObjectSize(doc);
  if (size > MAX_BSON_OBJECT_SIZE) {
    if (checks.upsert) throw new MongoCommandError(17420, `Document to upsert is larger than ${MAX_BSON_OBJECT_SIZE}`);
    throw new MongoCommandError(10334, `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_OBJECT_SIZE}`);
  }
  validate(options, doc, undefined, checks);
}

/** Throws mongod's error when `next` may not replace `previous`. */
export function checkReplace(options: Document, next: Document, previous: Document, checks: WriteChecks = {}): void {
  if (checks.trusted) return;
  if (calculateObjectSize(next) > MAX_BSON_OBJECT_SIZE) {
    throw new MongoCommandError(17419, `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`);
  }
  validate(options, next, previous, checks);
}

/**
 * strict validates every insert and update; moderate lets an update through when the
 * document it replaces already failed the validator; off validates nothing. With action
 * 'warn' mongod only logs the failure.
 */
function validate(options: Document, next: Document, previous: Document | undefined, checks: WriteChecks): void {
  if (checks.bypassDocumentValidation || !options.validator) return;
  const level = options.validationLevel ?? 'strict';
  if (level === 'off') return;
  const validator = compiledValidator(options.validator as Document);
  const details = validator(next);
  if (!details) return;
  if (level === 'moderate' && previous && validator(previous)) return;
  if ((options.validationAction ?? 'error') === 'warn') return;
  throw new MongoCommandError(121, 'Document failed validation', { errInfo: { failingDocumentId: next._id, details } });
}

/** A compiled validator: null when the document passes, else mongod-style failure details. */
type Validator = (doc: Document) => Document | null;

const compiled = new WeakMap<Document, Validator>();

function compiledValidator(validator: Document): Validator {
  let check = compiled.get(validator);
  if (!check) {
    check = compileValidator(validator);
    compiled.set(validator, check);
  }
  return check;
}

/** Compiles a validator, throwing the error mongod gives for an invalid one (at create/collMod). */
export function compileValidator(validator: unknown): Validator {
  if (validator === null || typeof validator !== 'object' || Array.isArray(validator)) {
    throw new MongoCommandError(2, "'validator' has to be a document.");
  }
  const { $jsonSchema, ...query } = validator as Document;
  if (containsJsonSchema(query)) {
    throw new MongoCommandError(2, 'the embedded MongoDB supports $jsonSchema only at the top level of a validator');
  }
  const schema = $jsonSchema === undefined ? null : compileSchema($jsonSchema);
  const clauses = Object.entries(query).map(([field, condition]) => ({ clause: { [field]: condition }, test: compileFilter({ [field]: condition }) }));
  const count = clauses.length + (schema ? 1 : 0);
  return (doc) => {
    const failures: Array<{ index: number; details: Document }> = [];
    const schemaFailures: RuleFailure[] = schema ? schema(doc) : [];
    if (schemaFailures.length) failures.push({ index: 0, details: { operatorName: '$jsonSchema', schemaRulesNotSatisfied: schemaFailures } });
    clauses.forEach(({ clause, test }, i) => {
      if (!test(doc)) failures.push({ index: i + (schema ? 1 : 0), details: clauseFailure(clause, doc) });
    });
    if (failures.length === 0) return null;
    // Several clauses are an implicit $and, reported with the failing clauses' positions.
    return count === 1 ? failures[0].details : { operatorName: '$and', clausesNotSatisfied: failures };
  };
}

/** mongod's reason for each failed leaf operator (doc_validation_error.cpp). */
const LEAF_REASONS: Record<string, string> = {
  $eq: 'comparison failed',
  $ne: 'comparison failed',
  $gt: 'comparison failed',
  $gte: 'comparison failed',
  $lt: 'comparison failed',
  $lte: 'comparison failed',
  $in: 'no matching value found in array',
  $nin: 'matching value found in array',
  $type: 'type did not match',
};

/** How mongod explains a failed clause: the value it considered, or that the field was missing. */
function clauseFailure(clause: Document, doc: Document): Document {
  const operatorName = clauseOperator(clause);
  const failure: Document = { operatorName, specifiedAs: clause };
  if (operatorName === '$expr') return { ...failure, reason: '$expr did not match', expressionResult: false };
  const [field] = Object.keys(clause);
  const reason = LEAF_REASONS[operatorName];
  if (!reason || field.startsWith('$')) return { ...failure, reason: 'expression did not match' };
  const value = resolve(doc, field);
  if (value === undefined) return { ...failure, reason: 'field was missing' };
  const considered = Array.isArray(value) ? {} : { consideredValue: value };
  const type = operatorName === '$type' && !Array.isArray(value) ? { consideredType: bsonTypeAlias(value) } : {};
  return { ...failure, reason, ...considered, ...type };
}

/** The operator a clause applies: `$or` for `{ $or: [...] }`, `$gt` for `{ a: { $gt: 1 } }`, `$eq` for `{ a: 1 }`. */
function clauseOperator(clause: Document): string {
  const [field, condition] = Object.entries(clause)[0];
  if (field.startsWith('$')) return field;
  if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
    const first = Object.keys(condition)[0];
    if (first?.startsWith('$')) return first;
  }
  return '$eq';
}

function containsJsonSchema(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsJsonSchema);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value as Document).some(([key, v]) => key === '$jsonSchema' || containsJsonSchema(v));
}
