/**
 * Durability for the embedded MongoDB: an append-only journal of checksummed BSON records
 * plus periodic snapshots, in one data directory:
 *
 *   mongod.lock                 pid of the server that owns the directory
 *   snapshot.bson               every collection as of journal generation N (exclusive)
 *   journal-<generation>.bson   records appended since; N, N+1, ... are replayed in order
 *
 * Compaction rotates to a new journal generation in the same synchronous step that reads the
 * core's state, so the snapshot holds exactly the records of the older generations. Those
 * are deleted only once the snapshot is durable; a crash at any point leaves either the old
 * snapshot with all its generations or the new one with the generations after it.
 *
 * Contract with the core: apply a change to the in-memory state and call append() in the
 * same synchronous step (no await between them), and acknowledge the client only when
 * append() resolves.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DeserializeOptions } from 'bson';
import { DESERIALIZE_OPTIONS } from '../wire';
import { frameRecord, scanFrames } from './codec';
import { StorageError } from './errors';
import { listJournalFiles, removeIfExists, SNAPSHOT_TEMP_FILE, syncDirectory, truncateDurably, type JournalFile } from './files';
import { JournalWriter } from './journal';
import { acquireDirectoryLock, type DirectoryLock } from './lock';
import { StateBuilder } from './replay';
import { encodeSnapshot, readSnapshot, writeSnapshot, type SnapshotImage } from './snapshot';
import type { Change, CollectionState, DurableStore, DurableStoreOptions, RecoveryReport, StoreStats } from './types';

export type { Change, CollectionState, DurableStore, DurableStoreOptions, RecoveryReport, StoreStats } from './types';
export { StorageError, type StorageErrorCode } from './errors';
export { EXACT_BSON_READ_OPTIONS } from './codec';

const DEFAULT_BATCH_WINDOW_MS = 10;
const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

export async function openDurableStore(options: DurableStoreOptions): Promise<DurableStore> {
  await fs.mkdir(options.dir, { recursive: true });
  const lock = await acquireDirectoryLock(options.dir);
  try {
    const compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    const recovered = await recover(options.dir, options.bsonReadOptions ?? DESERIALIZE_OPTIONS);
    const opened = await compactOnOpenIfLarge(options.dir, recovered, compactAfterBytes);
    return new Store(options, lock, recovered, opened, compactAfterBytes);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

interface Recovered {
  collections: CollectionState[];
  report: RecoveryReport;
  /** Last journal generation found (or the snapshot's), where appends continue. */
  generation: number;
  journalBytes: number;
}

async function recover(dir: string, readOptions: DeserializeOptions): Promise<Recovered> {
  const started = performance.now();
  await removeIfExists(path.join(dir, SNAPSHOT_TEMP_FILE));
  const snapshot = await readSnapshot(dir, readOptions);
  const builder = new StateBuilder();
  for (const collection of snapshot?.collections ?? []) builder.load(collection);
  const snapshotGeneration = snapshot?.journalGeneration ?? 0;
  await deleteJournalsBefore(dir, snapshotGeneration);
  const journals = (await listJournalFiles(dir)).filter((file) => file.generation >= snapshotGeneration);
  const replay = await replayJournals(dir, journals, builder, readOptions);
  return {
    collections: builder.toCollectionStates(),
    generation: replay.lastGeneration ?? Math.max(snapshotGeneration, 1),
    journalBytes: replay.journalBytes,
    report: {
      snapshotGeneration,
      recordsReplayed: replay.records,
      stoppedAt: replay.stoppedAt,
      setAside: replay.setAside,
      millis: Math.round(performance.now() - started),
    },
  };
}

interface ReplayResult {
  records: number;
  journalBytes: number;
  lastGeneration?: number;
  stoppedAt?: RecoveryReport['stoppedAt'];
  setAside: string[];
}

async function replayJournals(dir: string, journals: JournalFile[], builder: StateBuilder, readOptions: DeserializeOptions): Promise<ReplayResult> {
  const result: ReplayResult = { records: 0, journalBytes: 0, setAside: [] };
  for (const [index, journal] of journals.entries()) {
    const file = path.join(dir, journal.name);
    const scan = scanFrames(await fs.readFile(file), readOptions);
    for (const record of scan.records) for (const change of record) builder.apply(change as Change);
    result.records += scan.records.length;
    result.journalBytes += scan.validBytes;
    result.lastGeneration = journal.generation;
    if (scan.stop) {
      // Everything after a bad record is untrusted: the record's own length may be the damage.
      await truncateDurably(file, scan.validBytes);
      result.stoppedAt = { file: journal.name, offset: scan.validBytes, reason: scan.stop };
      result.setAside = await setAside(dir, journals.slice(index + 1));
      break;
    }
  }
  return result;
}

/** Later generations cannot be replayed without the records lost before them; keep them for a human. */
async function setAside(dir: string, journals: JournalFile[]): Promise<string[]> {
  const names: string[] = [];
  for (const journal of journals) {
    const name = `${journal.name}.unreplayed-${Date.now()}`;
    await fs.rename(path.join(dir, journal.name), path.join(dir, name));
    names.push(name);
  }
  if (names.length > 0) await syncDirectory(dir);
  return names;
}

async function deleteJournalsBefore(dir: string, generation: number): Promise<void> {
  const covered = (await listJournalFiles(dir)).filter((file) => file.generation < generation);
  for (const file of covered) await removeIfExists(path.join(dir, file.name));
  if (covered.length > 0) await syncDirectory(dir);
}

interface Opened {
  /** Generation new records are appended to. */
  generation: number;
  snapshotsWritten: number;
}

/** A long journal makes every later start slow; fold it into a snapshot right away. */
async function compactOnOpenIfLarge(dir: string, recovered: Recovered, compactAfterBytes: number): Promise<Opened> {
  if (recovered.journalBytes <= compactAfterBytes) return { generation: recovered.generation, snapshotsWritten: 0 };
  const image = await encodeSnapshot(recovered.collections, recovered.generation + 1);
  await writeSnapshot(dir, image);
  await deleteJournalsBefore(dir, image.journalGeneration);
  return { generation: image.journalGeneration, snapshotsWritten: 1 };
}

class Store implements DurableStore {
  readonly recovered: CollectionState[];
  readonly recovery: RecoveryReport;
  private readonly writer: JournalWriter;
  private compacting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private snapshots: number;
  private compactionFailures = 0;

  constructor(
    private readonly options: DurableStoreOptions,
    private readonly lock: DirectoryLock,
    recovered: Recovered,
    opened: Opened,
    private readonly compactAfterBytes: number,
  ) {
    this.recovered = recovered.collections;
    this.recovery = recovered.report;
    this.snapshots = opened.snapshotsWritten;
    this.writer = new JournalWriter({
      dir: options.dir,
      mode: options.journal,
      batchWindowMs: options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS,
      generation: opened.generation,
      onWritten: (bytes) => this.compactIfLarge(bytes),
    });
  }

  get stats(): StoreStats {
    return {
      ...this.writer.stats,
      snapshots: this.snapshots,
      compactionFailures: this.compactionFailures,
      generation: this.writer.generation,
    };
  }

  get failure(): StorageError | undefined {
    return this.writer.failed;
  }

  append(changes: Change[]): Promise<void> {
    if (this.closing) return Promise.reject(new StorageError('STORE_CLOSED', 'the durable store is closed'));
    // Nothing to write, but the promise still means "everything appended before is durable".
    if (changes.length === 0) return this.writer.flush();
    let record: Buffer;
    try {
      record = frameRecord(changes);
    } catch (error) {
      // A value BSON cannot encode fails this append alone, as a rejected promise like any other failure.
      return Promise.reject(error);
    }
    return this.writer.append(record);
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  /** Each step runs even if the one before failed: the file is closed and the lock released. */
  private async shutDown(): Promise<void> {
    try {
      await this.compacting?.catch(() => undefined);
      if (this.options.compactOnClose && this.hasJournalRecords()) await this.compact();
    } finally {
      try {
        await this.writer.close();
      } finally {
        await this.lock.release();
      }
    }
  }

  private hasJournalRecords(): boolean {
    return this.writer.stats.recordsWritten > 0 || this.recovery.recordsReplayed > 0;
  }

  private compactIfLarge(currentGenerationBytes: number): void {
    if (currentGenerationBytes <= this.compactAfterBytes || this.compacting || this.closing) return;
    // The journal is still complete if a compaction fails; the next large write tries again.
    const countFailure = () => {
      this.compactionFailures += 1;
    };
    try {
      this.compact().catch(countFailure);
    } catch {
      countFailure();
    }
  }

  /**
   * getState() and the rotation happen in one synchronous step: every record appended before
   * it is in the snapshot and in an old generation, every record after it in the new one. The
   * encoding of what getState() returned then runs in slices, while new appends go on.
   */
  private compact(): Promise<void> {
    const state = this.options.getState();
    const rotated = this.writer.rotate();
    // Awaited in finishCompaction; marked handled so an earlier snapshot failure leaves no stray rejection.
    rotated.catch(() => undefined);
    const image = encodeSnapshot(state, this.writer.generation);
    this.compacting = this.finishCompaction(image, rotated).finally(() => {
      this.compacting = undefined;
    });
    return this.compacting;
  }

  private async finishCompaction(encoding: Promise<SnapshotImage>, rotated: Promise<void>): Promise<void> {
    const image = await encoding;
    await writeSnapshot(this.options.dir, image);
    this.snapshots += 1;
    await rotated;
    await deleteJournalsBefore(this.options.dir, image.journalGeneration);
  }
}
