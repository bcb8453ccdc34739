/** Command errors with MongoDB's numeric codes and code names, as the driver expects them. */
import type { Document } from 'bson';

export const CODE_NAMES: Record<number, string> = {
  1: 'InternalError',
  2: 'BadValue',
  9: 'FailedToParse',
  14: 'TypeMismatch',
  15: 'Overflow',
  17: 'ProtocolError',
  22: 'InvalidBSON',
  26: 'NamespaceNotFound',
  27: 'IndexNotFound',
  40: 'ConflictingUpdateOperators',
  43: 'CursorNotFound',
  48: 'NamespaceExists',
  52: 'DollarPrefixedFieldName',
  59: 'CommandNotFound',
  66: 'ImmutableField',
  67: 'CannotCreateIndex',
  72: 'InvalidOptions',
  73: 'InvalidNamespace',
  85: 'IndexOptionsConflict',
  86: 'IndexKeySpecsConflict',
  112: 'WriteConflict',
  115: 'CommandNotSupported',
  223: 'IllegalOpMsgFlag',
  225: 'TransactionTooOld',
  251: 'NoSuchTransaction',
  256: 'TransactionCommitted',
  263: 'OperationNotSupportedInTransaction',
  288: 'ChecksumMismatch',
  291: 'NoQueryExecutionPlans',
  352: 'UnsupportedOpQueryCommand',
  10334: 'BSONObjectTooLarge',
  11000: 'DuplicateKey',
  13113: 'MergeStageNoMatchingDocument',
};

export class MongoCommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly extra: Document = {},
    readonly errorLabels: string[] = [],
  ) {
    super(message);
  }

  get codeName(): string {
    return CODE_NAMES[this.code] ?? 'Location' + this.code;
  }

  /** The error as it appears inside a command reply. */
  toReply(): Document {
    const reply: Document = { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
    if (this.errorLabels.length) reply.errorLabels = this.errorLabels;
    return reply;
  }

  /** The error as an entry of `writeErrors`. */
  toWriteError(index: number): Document {
    return { index, code: this.code, codeName: this.codeName, errmsg: this.message, ...this.extra };
  }
}

/** Turns anything thrown while running a command into a MongoDB error (mingo errors are BadValue). */
export function asCommandError(err: unknown): MongoCommandError {
  if (err instanceof MongoCommandError) return err;
  const code = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'number') return new MongoCommandError(code, message);
  if (err instanceof Error && err.constructor.name === 'MingoError') return new MongoCommandError(mingoErrorCode(message), message);
  return new MongoCommandError(1, message);
}

/** mingo reports some of mongod's errors by message only; those get mongod's code. */
function mingoErrorCode(message: string): number {
  if (message.startsWith('Use of undefined variable:')) return 17276;
  return 2;
}

export function badValue(message: string): MongoCommandError {
  return new MongoCommandError(2, message);
}
