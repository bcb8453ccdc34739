/** Errors of the durability layer, each with a stable code the server can report. */
export type StorageErrorCode = 'DBPATH_LOCKED' | 'SNAPSHOT_CORRUPT' | 'JOURNAL_WRITE_FAILED' | 'STORE_CLOSED';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}
