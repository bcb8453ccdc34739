/**
 * MongoDB's `$jsonSchema` (draft 4 with `bsonType`), for collection validators. The keywords
 * below are implemented; a keyword mongod knows but this server does not is refused with a
 * BadValue naming it, and a keyword mongod does not know is mongod's FailedToParse. Failures
 * are reported the way mongod's `errInfo.details.schemaRulesNotSatisfied` reports them.
 */
import type { Document } from 'bson';
import { valuesEqual } from './compare';
import { MongoCommandError } from './errors';
import { bsonTypeAlias, numberType } from './numbers';

/** One unsatisfied rule, shaped like an entry of mongod's `schemaRulesNotSatisfied`. */
export type RuleFailure = Document;

type Rule = (value: unknown) => RuleFailure | null;
export type SchemaCheck = (value: unknown) => RuleFailure[];

const ANNOTATIONS = new Set(['title', 'description']);
/** Keywords mongod's $jsonSchema supports that this server does not. */
const NOT_IMPLEMENTED = new Set(['dependencies', 'patternProperties', 'additionalItems', 'multipleOf', 'uniqueItems', 'encrypt', 'encryptMetadata']);
/** Keywords of JSON Schema that mongod refuses (it names them "not currently supported"). */
const UNSUPPORTED = new Set(['$ref', '$schema', 'default', 'definitions', 'format', 'id']);

const BSON_TYPE_ALIASES = new Set([
  'double', 'string', 'object', 'array', 'binData', 'undefined', 'objectId', 'bool', 'date', 'null', 'regex',
  'javascript', 'int', 'timestamp', 'long', 'decimal', 'minKey', 'maxKey', 'number',
]);
const JSON_TYPES = new Set(['object', 'array', 'number', 'boolean', 'string', 'null']);

function failedToParse(message: string): MongoCommandError {
  return new MongoCommandError(9, message);
}

function isPlainObject(v: unknown): v is Document {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function numeric(v: unknown): number | undefined {
  const type = numberType(v);
  if (!type) return undefined;
  return type === 'decimal' ? parseFloat(String(v)) : Number(v);
}

function nonNegativeInteger(schema: Document, keyword: string): number {
  const n = numeric(schema[keyword]);
  if (n === undefined || !Number.isInteger(n) || n < 0) throw failedToParse(`$jsonSchema keyword '${keyword}' must be a representable nonnegative integer`);
  return n;
}

function typeMatches(value: unknown, alias: string): boolean {
  const actual = bsonTypeAlias(value);
  return alias === 'number' ? ['int', 'long', 'double', 'decimal'].includes(actual) : actual === alias;
}

function jsonTypeMatches(value: unknown, type: string): boolean {
  if (type === 'boolean') return typeof value === 'boolean';
  return typeMatches(value, type);
}

function typeRule(schema: Document, keyword: 'bsonType' | 'type'): Rule {
  const names = Array.isArray(schema[keyword]) ? (schema[keyword] as unknown[]) : [schema[keyword]];
  const known = keyword === 'bsonType' ? BSON_TYPE_ALIASES : JSON_TYPES;
  for (const name of names) {
    if (typeof name !== 'string' || !known.has(name)) throw failedToParse(`Unknown type name alias: ${String(name)}`);
  }
  const matches = keyword === 'bsonType' ? typeMatches : jsonTypeMatches;
  return (value) =>
    (names as string[]).some((name) => matches(value, name))
      ? null
      : { operatorName: keyword, specifiedAs: { [keyword]: schema[keyword] }, reason: 'type did not match', consideredValue: value, consideredType: bsonTypeAlias(value) };
}

/** A rule that only concerns values of one kind (numbers, strings …), as in JSON Schema. */
function forKind(applies: (v: unknown) => boolean, rule: Rule): Rule {
  return (value) => (applies(value) ? rule(value) : null);
}

function failure(keyword: string, schema: Document, reason: string, value: unknown, extra: Document = {}): RuleFailure {
  return { operatorName: keyword, specifiedAs: { [keyword]: schema[keyword] }, reason, consideredValue: value, ...extra };
}

function boundRule(schema: Document, keyword: 'minimum' | 'maximum'): Rule {
  const bound = numeric(schema[keyword]);
  if (bound === undefined) throw failedToParse(`$jsonSchema keyword '${keyword}' must be a number`);
  const exclusiveKey = keyword === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum';
  const exclusive = schema[exclusiveKey] === true;
  return forKind(
    (v) => numeric(v) !== undefined,
    (v) => {
      const n = numeric(v)!;
      const ok = keyword === 'minimum' ? (exclusive ? n > bound : n >= bound) : exclusive ? n < bound : n <= bound;
      return ok ? null : failure(keyword, schema, 'comparison failed', v);
    },
  );
}

function lengthRule(schema: Document, keyword: 'minLength' | 'maxLength'): Rule {
  const limit = nonNegativeInteger(schema, keyword);
  return forKind(
    (v) => typeof v === 'string',
    (v) => {
      const length = [...(v as string)].length;
      const ok = keyword === 'minLength' ? length >= limit : length <= limit;
      return ok ? null : failure(keyword, schema, 'specified string length was not satisfied', v);
    },
  );
}

function countRule(schema: Document, keyword: string, count: (v: unknown) => number | undefined, atLeast: boolean, reason: string): Rule {
  const limit = nonNegativeInteger(schema, keyword);
  return (v) => {
    const n = count(v);
    if (n === undefined) return null;
    return (atLeast ? n >= limit : n <= limit) ? null : failure(keyword, schema, reason, v);
  };
}

function patternRule(schema: Document): Rule {
  if (typeof schema.pattern !== 'string') throw failedToParse("$jsonSchema keyword 'pattern' must be a string");
  const regex = new RegExp(schema.pattern, 'u');
  return forKind(
    (v) => typeof v === 'string',
    (v) => (regex.test(v as string) ? null : failure('pattern', schema, 'regular expression did not match', v)),
  );
}

function enumRule(schema: Document): Rule {
  const allowed = schema.enum;
  if (!Array.isArray(allowed) || allowed.length === 0) throw failedToParse("$jsonSchema keyword 'enum' must be a non-empty array");
  return (v) => (allowed.some((a) => valuesEqual(a, v)) ? null : failure('enum', schema, 'value was not found in enum', v));
}

function requiredRule(schema: Document): Rule {
  const names = schema.required;
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
    throw failedToParse("$jsonSchema keyword 'required' must be a non-empty array of strings");
  }
  return forKind(isPlainObject, (v) => {
    const missing = (names as string[]).filter((name) => !Object.prototype.hasOwnProperty.call(v, name) || (v as Document)[name] === undefined);
    return missing.length ? { operatorName: 'required', specifiedAs: { required: names }, missingProperties: missing } : null;
  });
}

function propertiesRule(schema: Document): Rule {
  if (!isPlainObject(schema.properties)) throw failedToParse("$jsonSchema keyword 'properties' must be an object");
  const checks = Object.entries(schema.properties).map(([name, sub]) => [name, compileSchema(sub)] as const);
  return forKind(isPlainObject, (v) => {
    const doc = v as Document;
    const unsatisfied = checks
      .filter(([name]) => doc[name] !== undefined)
      .map(([name, check]) => ({ propertyName: name, details: check(doc[name]) }))
      .filter((p) => p.details.length > 0);
    return unsatisfied.length ? { operatorName: 'properties', propertiesNotSatisfied: unsatisfied } : null;
  });
}

function additionalPropertiesRule(schema: Document): Rule {
  const allowed = schema.additionalProperties;
  const declared = new Set(isPlainObject(schema.properties) ? Object.keys(schema.properties) : []);
  const extraOf = (doc: Document) => Object.keys(doc).filter((k) => !declared.has(k) && doc[k] !== undefined);
  if (typeof allowed === 'boolean') {
    if (allowed) return () => null;
    return forKind(isPlainObject, (v) => {
      const extra = extraOf(v as Document);
      return extra.length ? { operatorName: 'additionalProperties', specifiedAs: { additionalProperties: false }, additionalProperties: extra } : null;
    });
  }
  if (!isPlainObject(allowed)) throw failedToParse("$jsonSchema keyword 'additionalProperties' must be either an object or a boolean");
  const check = compileSchema(allowed);
  return forKind(isPlainObject, (v) => {
    const doc = v as Document;
    const failing = extraOf(doc).filter((k) => check(doc[k]).length > 0);
    return failing.length ? { operatorName: 'additionalProperties', reason: 'at least one additional property did not match the subschema', failingProperties: failing } : null;
  });
}

function itemsRule(schema: Document): Rule {
  const items = schema.items;
  if (isPlainObject(items)) {
    const check = compileSchema(items);
    return forKind(Array.isArray, (v) => {
      const failing = (v as unknown[]).findIndex((item) => check(item).length > 0);
      return failing < 0 ? null : { operatorName: 'items', reason: 'At least one item did not match the sub-schema', itemIndex: failing, details: check((v as unknown[])[failing]) };
    });
  }
  if (!Array.isArray(items)) throw failedToParse("$jsonSchema keyword 'items' must be an array or an object");
  const checks = items.map(compileSchema);
  return forKind(Array.isArray, (v) => {
    const arr = v as unknown[];
    const failing = checks.findIndex((check, i) => i < arr.length && check(arr[i]).length > 0);
    return failing < 0 ? null : { operatorName: 'items', reason: 'At least one item did not match the sub-schema', itemIndex: failing, details: checks[failing](arr[failing]) };
  });
}

function schemaList(schema: Document, keyword: string): SchemaCheck[] {
  const list = schema[keyword];
  if (!Array.isArray(list) || list.length === 0) throw failedToParse(`$jsonSchema keyword '${keyword}' must be a nonempty array`);
  return list.map(compileSchema);
}

function logicalRule(schema: Document, keyword: 'allOf' | 'anyOf' | 'oneOf'): Rule {
  const checks = schemaList(schema, keyword);
  return (v) => {
    const results = checks.map((check) => check(v));
    const passed = results.filter((r) => r.length === 0).length;
    const ok = keyword === 'allOf' ? passed === checks.length : keyword === 'anyOf' ? passed > 0 : passed === 1;
    return ok ? null : { operatorName: keyword, schemasNotSatisfied: results.map((details, index) => ({ index, details })).filter((r) => r.details.length) };
  };
}

function notRule(schema: Document): Rule {
  if (!isPlainObject(schema.not)) throw failedToParse("$jsonSchema keyword 'not' must be an object");
  const check = compileSchema(schema.not);
  return (v) => (check(v).length === 0 ? { operatorName: 'not', reason: 'child expression matched' } : null);
}

const COUNT_OF_ARRAY = (v: unknown) => (Array.isArray(v) ? v.length : undefined);
const COUNT_OF_PROPERTIES = (v: unknown) => (isPlainObject(v) ? Object.keys(v).length : undefined);

/** Compiles one keyword of a schema; the keywords that only modify another return null. */
function compileKeyword(schema: Document, keyword: string): Rule | null {
  switch (keyword) {
    case 'bsonType':
    case 'type':
      return typeRule(schema, keyword);
    case 'required':
      return requiredRule(schema);
    case 'properties':
      return propertiesRule(schema);
    case 'additionalProperties':
      return additionalPropertiesRule(schema);
    case 'enum':
      return enumRule(schema);
    case 'minimum':
    case 'maximum':
      return boundRule(schema, keyword);
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return null;
    case 'minLength':
    case 'maxLength':
      return lengthRule(schema, keyword);
    case 'pattern':
      return patternRule(schema);
    case 'items':
      return itemsRule(schema);
    case 'minItems':
      return countRule(schema, keyword, COUNT_OF_ARRAY, true, 'array did not match specified length');
    case 'maxItems':
      return countRule(schema, keyword, COUNT_OF_ARRAY, false, 'array did not match specified length');
    case 'minProperties':
      return countRule(schema, keyword, COUNT_OF_PROPERTIES, true, 'specified number of properties was not satisfied');
    case 'maxProperties':
      return countRule(schema, keyword, COUNT_OF_PROPERTIES, false, 'specified number of properties was not satisfied');
    case 'allOf':
    case 'anyOf':
    case 'oneOf':
      return logicalRule(schema, keyword);
    case 'not':
      return notRule(schema);
  }
  if (ANNOTATIONS.has(keyword)) return null;
  if (UNSUPPORTED.has(keyword)) throw failedToParse(`$jsonSchema keyword '${keyword}' is not currently supported`);
  if (NOT_IMPLEMENTED.has(keyword)) throw new MongoCommandError(2, `the embedded MongoDB does not implement the $jsonSchema keyword '${keyword}'`);
  throw failedToParse(`Unknown $jsonSchema keyword: ${keyword}`);
}

/** Compiles a schema into a check returning its unsatisfied rules (none when the value passes). */
export function compileSchema(schema: unknown): SchemaCheck {
  if (!isPlainObject(schema)) throw new MongoCommandError(14, '$jsonSchema must be an object');
  if ('bsonType' in schema && 'type' in schema) throw failedToParse("Cannot specify both $jsonSchema keywords 'type' and 'bsonType'");
  const rules = Object.keys(schema)
    .map((keyword) => compileKeyword(schema, keyword))
    .filter((rule): rule is Rule => rule !== null);
  return (value) => rules.map((rule) => rule(value)).filter((f): f is RuleFailure => f !== null);
}
