/**
 * The options of `create` and `collMod`, checked as mongod checks them and stored as
 * listCollections shows them. An option mongod does not know is its IDL error (40415); one
 * this server does not implement (views, time series, clustered collections, collations …)
 * is refused with CommandNotSupported (115) rather than stored and ignored.
 */
import type { Document } from 'bson';
import { MongoCommandError } from './errors';
import { numberType } from './numbers';
import { compileValidator, VALIDATION_ACTIONS, VALIDATION_LEVELS } from './validation';

/** Arguments any command may carry (mongod's generic arguments), never collection options. */
const GENERIC_ARGUMENTS = new Set([
  'lsid', 'txnNumber', 'autocommit', 'startTransaction', 'writeConcern', 'readConcern', 'comment', 'maxTimeMS',
  '$db', '$clusterTime', '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors', '$audit', '$client',
  'mayBypassWriteBlocking', 'stmtId',
]);

/** create options mongod knows that this server does not implement, with the feature's name. */
const NOT_IMPLEMENTED: Record<string, string> = {
  timeseries: 'time-series collections',
  viewOn: 'views',
  pipeline: 'views',
  clusteredIndex: 'clustered collections',
  collation: 'collection default collations',
  encryptedFields: 'queryable encryption',
  changeStreamPreAndPostImages: 'change streams',
  expireAfterSeconds: 'time-series and clustered collections',
  idIndex: 'custom _id indexes',
};

/** Options kept as given: they describe storage, which has no effect on results here. */
const STORAGE_OPTIONS = ['storageEngine', 'indexOptionDefaults'];

function notImplemented(feature: string): MongoCommandError {
  return new MongoCommandError(115, `the embedded MongoDB does not implement ${feature}`);
}

function unknownField(command: string, field: string): MongoCommandError {
  return new MongoCommandError(40415, `BSON field '${command}.${field}' is an unknown field.`);
}

function wrongType(command: string, field: string, value: unknown, expected: string): MongoCommandError {
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : (numberType(value) ?? typeof value);
  return new MongoCommandError(14, `BSON field '${command}.${field}' is the wrong type '${actual}', expected type '${expected}'`);
}

function isDocument(value: unknown): value is Document {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function requireDocument(command: string, field: string, value: unknown): Document {
  if (!isDocument(value)) throw wrongType(command, field, value, 'object');
  return value;
}

function requireNumber(command: string, field: string, value: unknown): number {
  const type = numberType(value);
  if (!type) throw new MongoCommandError(14, `BSON field '${command}.${field}' is the wrong type, expected types '[long, int, decimal, double]'`);
  return type === 'decimal' ? parseFloat(String(value)) : Number(value);
}

function requireEnum(command: string, field: string, value: unknown, allowed: string[]): string {
  if (typeof value !== 'string') throw wrongType(command, field, value, 'string');
  if (!allowed.includes(value)) throw new MongoCommandError(2, `Enumeration value '${value}' for field '${command}.${field}' is not a valid value.`);
  return value;
}

/** validator, validationLevel and validationAction, as given (listCollections shows only what was set). */
function validationOptions(command: string, source: Document): Document {
  const options: Document = {};
  if (source.validator !== undefined) {
    options.validator = requireDocument(command, 'validator', source.validator);
    compileValidator(options.validator);
  }
  if (source.validationLevel !== undefined) options.validationLevel = requireEnum(command, 'validationLevel', source.validationLevel, VALIDATION_LEVELS);
  if (source.validationAction !== undefined) options.validationAction = requireEnum(command, 'validationAction', source.validationAction, VALIDATION_ACTIONS);
  return options;
}

/** mongod (7.0) rounds a capped size up to a multiple of 256 bytes. */
function cappedSize(size: number): number {
  return Math.ceil(size / 256) * 256;
}

function cappedOptions(command: Document): Document {
  const capped = command.capped === undefined || command.capped === null ? false : command.capped;
  if (typeof capped !== 'boolean' && !numberType(capped)) throw wrongType('create', 'capped', capped, 'bool');
  const isCapped = Boolean(Number(capped));
  const size = command.size === undefined || command.size === null ? undefined : requireNumber('create', 'size', command.size);
  const max = command.max === undefined || command.max === null ? undefined : requireNumber('create', 'max', command.max);
  // mongod's command parser checks the size's range before the command looks at `capped`.
  if (size !== undefined && size < 1) throw new MongoCommandError(51024, `BSON field 'size' value must be >= 1, actual value '${size}'`);
  if (isCapped && size === undefined) throw new MongoCommandError(72, "the 'size' field is required when 'capped' is true");
  if (!isCapped && (size !== undefined || max !== undefined)) {
    throw new MongoCommandError(72, "the 'capped' field needs to be true when either the 'size' or 'max' fields are present");
  }
  if (size === undefined) return {};
  const options: Document = { capped: true, size: cappedSize(size) };
  if (max !== undefined) options.max = max <= 0 ? 0x7fffffff : max;
  return options;
}

const CREATE_FIELDS = new Set([
  'create', 'capped', 'size', 'max', 'autoIndexId', 'validator', 'validationLevel', 'validationAction', 'flags', 'temp',
  ...STORAGE_OPTIONS, ...Object.keys(NOT_IMPLEMENTED),
]);

/** Options mongod refuses in combination, whether or not this server implements them. */
function rejectInvalidCombinations(command: Document): void {
  if (command.expireAfterSeconds !== undefined && command.timeseries === undefined && command.clusteredIndex === undefined) {
    throw new MongoCommandError(72, "'expireAfterSeconds' is only supported on time-series collections or when the 'clusteredIndex' option is specified");
  }
  if (command.pipeline !== undefined && command.viewOn === undefined) {
    throw new MongoCommandError(72, "'pipeline' requires 'viewOn' to also be specified");
  }
}

/** The options a `create` command asks for, in the form listCollections shows them. */
export function createOptions(command: Document): Document {
  for (const field of Object.keys(command)) {
    if (!CREATE_FIELDS.has(field) && !GENERIC_ARGUMENTS.has(field)) throw unknownField('create', field);
  }
  rejectInvalidCombinations(command);
  for (const field of Object.keys(NOT_IMPLEMENTED)) {
    if (command[field] !== undefined) throw notImplemented(NOT_IMPLEMENTED[field]);
  }
  if (command.temp) throw new MongoCommandError(72, "the 'temp' field is an invalid option");
  if (command.autoIndexId === false) throw notImplemented('collections without an _id index (autoIndexId: false)');
  const options: Document = { ...cappedOptions(command) };
  for (const field of STORAGE_OPTIONS) {
    if (command[field] !== undefined) options[field] = requireDocument('create', field, command[field]);
  }
  return { ...options, ...validationOptions('create', command) };
}

const COLL_MOD_IMPLEMENTED = new Set(['collMod', 'validator', 'validationLevel', 'validationAction']);
const COLL_MOD_NOT_IMPLEMENTED: Record<string, string> = {
  index: 'collMod of an index',
  viewOn: 'views',
  pipeline: 'views',
  expireAfterSeconds: 'time-series and clustered collections',
  timeseries: 'time-series collections',
  changeStreamPreAndPostImages: 'change streams',
  cappedSize: 'collMod of a capped collection',
  cappedMax: 'collMod of a capped collection',
  clusteredIndex: 'clustered collections',
  dryRun: 'collMod dryRun',
  recordPreImages: 'change streams',
};

/** The options of a collection after `collMod` (validator, validationLevel, validationAction). */
export function collModOptions(current: Document, command: Document): Document {
  for (const field of Object.keys(command)) {
    if (field in COLL_MOD_NOT_IMPLEMENTED) throw notImplemented(COLL_MOD_NOT_IMPLEMENTED[field]);
    if (!COLL_MOD_IMPLEMENTED.has(field) && !GENERIC_ARGUMENTS.has(field)) throw unknownField('collMod', field);
  }
  return { ...current, ...validationOptions('collMod', command) };
}
