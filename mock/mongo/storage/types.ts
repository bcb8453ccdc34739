import type { DeserializeOptions, Document } from 'bson';

/** One logical change the core made to its in-memory data; `ns` is "db.coll". */
export type Change =
  | { op: 'put'; ns: string; doc: Document } // insert or replace by _id
  | { op: 'del'; ns: string; id: unknown }
  | { op: 'createCollection'; ns: string; options: Document }
  | { op: 'dropCollection'; ns: string }
  | { op: 'createIndex'; ns: string; spec: Document } // spec has key, name, unique?, sparse?, ...
  | { op: 'dropIndex'; ns: string; name: string }
  | { op: 'dropDatabase'; db: string };

export interface CollectionState {
  ns: string;
  options: Document;
  indexes: Document[];
  docs: Document[];
}

/** Counters a test (or an operator) can read to see what the store really did. */
export interface StoreStats {
  /** fsync/fdatasync calls on journal files. */
  journalSyncs: number;
  /** Writes to journal files (one per group commit). */
  journalWrites: number;
  /** Records (append calls) made durable. */
  recordsWritten: number;
  /** Snapshots written (on open, during run, on close). */
  snapshots: number;
  /** Compactions that failed (the journal kept everything; a later write retries). */
  compactionFailures: number;
  /** Journal generation that new appends go to. */
  generation: number;
}

/** What recovery found on disk, so a damaged journal is never silently accepted. */
export interface RecoveryReport {
  /** Journal generation the snapshot covers up to (exclusive); 0 when there was no snapshot. */
  snapshotGeneration: number;
  /** Journal records replayed on top of the snapshot. */
  recordsReplayed: number;
  /** Where replay stopped early: the file was truncated at `offset`. */
  stoppedAt?: { file: string; offset: number; reason: 'torn' | 'corrupt' };
  /** Journal files after a stop point, renamed aside (never replayed, never deleted). */
  setAside: string[];
  millis: number;
}

export interface DurableStore {
  /** What was on disk at open: the last snapshot with the journal replayed on top. */
  recovered: CollectionState[];
  /** Resolves only when these changes are durable (fsync'd). One call = one atomic record. */
  append(changes: Change[]): Promise<void>;
  close(): Promise<void>;
  readonly stats: StoreStats;
  readonly recovery: RecoveryReport;
  /** Set once the journal failed a write: it refuses every append after it. */
  readonly failure: Error | undefined;
}

export interface DurableStoreOptions {
  dir: string;
  /**
   * 'always': every append is written and fsync'd as soon as the disk is free; appends that
   * arrive while an fsync is running share the next one (group commit without delay).
   * 'batch': appends wait up to `batchWindowMs` so that more of them share one write+fsync.
   */
  journal: 'always' | 'batch';
  /** batch: group appends, fsync at most this long after the first (default 10 ms). */
  batchWindowMs?: number;
  /**
   * Called synchronously when the store compacts; must reflect every append() made so far. The
   * snapshot is encoded from the result afterwards, in slices: its arrays and documents must
   * not change once returned (return fresh arrays; replace documents, never mutate them).
   */
  getState: () => CollectionState[];
  /** Journal size that triggers snapshot + truncation (default 64 MiB). */
  compactAfterBytes?: number;
  /**
   * How stored BSON is decoded into `recovered`. Default: the options the server decodes client
   * messages with (wire.ts), so a recovered document has the same JS shape as one just
   * received, and queries match it the same way. EXACT_BSON_READ_OPTIONS keeps every BSON type
   * wrapped, for a caller that holds documents unpromoted.
   */
  bsonReadOptions?: DeserializeOptions;
  /** Write a snapshot on close so the next open replays nothing (default false). */
  compactOnClose?: boolean;
}
