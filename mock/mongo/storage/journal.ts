import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { StorageError } from './errors';
import { journalFileName, syncDirectory } from './files';

interface PendingRecord {
  /** Generation current when append() was called: the file this record belongs in. */
  generation: number;
  bytes: Buffer;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface JournalWriterOptions {
  dir: string;
  mode: 'always' | 'batch';
  batchWindowMs: number;
  generation: number;
  /** Called after a write when the current generation has grown past the compaction size. */
  onWritten: (currentGenerationBytes: number) => void;
}

/** A batch this large is written without waiting for the rest of the window. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Appends framed records to journal-<generation>.bson with group commit. All file work runs
 * on one promise chain, so writes, fsyncs and generation switches happen strictly in call
 * order; a record is acknowledged only after the fsync of the write that carried it.
 */
export class JournalWriter {
  readonly stats = { journalSyncs: 0, journalWrites: 0, recordsWritten: 0 };
  private generationNow: number;
  private pending: PendingRecord[] = [];
  private pendingBytes = 0;
  private flushQueued = false;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private handle: FileHandle | undefined;
  private openGeneration = -1;
  private openBytes = 0;
  private failure: StorageError | undefined;

  constructor(private readonly options: JournalWriterOptions) {
    this.generationNow = options.generation;
  }

  get generation(): number {
    return this.generationNow;
  }

  /** Set once a write failed: from then on every append is refused (see fail()). */
  get failed(): StorageError | undefined {
    return this.failure;
  }

  append(bytes: Buffer): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ generation: this.generationNow, bytes, resolve, reject });
      this.pendingBytes += bytes.length;
      this.scheduleFlush();
    });
  }

  /**
   * Starts a new generation: records appended from now on go to the next file. Resolves when
   * every record appended before the call is settled and the new file exists.
   */
  rotate(): Promise<void> {
    this.generationNow += 1;
    const target = this.generationNow;
    return this.enqueue(async () => {
      await this.writePending();
      await this.openGenerationFile(target);
    });
  }

  /** Writes and fsyncs everything appended so far. */
  flush(): Promise<void> {
    this.cancelTimer();
    return this.enqueue(() => this.writePending());
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    if (this.options.mode === 'always' || this.pendingBytes >= MAX_BATCH_BYTES) {
      this.queueFlush();
      return;
    }
    this.timer ??= setTimeout(() => this.queueFlush(), this.options.batchWindowMs);
  }

  private queueFlush(): void {
    this.cancelTimer();
    if (this.flushQueued) return;
    this.flushQueued = true;
    // A failure has already rejected every record of the batch; nobody else awaits this.
    this.enqueue(() => this.writePending()).catch(() => undefined);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    // The chain itself never rejects: a failed task has already rejected its records.
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Takes whatever is pending when the disk becomes free, so appends that waited share it. */
  private async writePending(): Promise<void> {
    this.flushQueued = false;
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (batch.length === 0) return;
    try {
      for (const run of splitByGeneration(batch)) await this.writeRun(run);
    } catch (error) {
      this.fail(batch, error);
      throw this.failure;
    }
    // Before the acknowledgements: a compaction this write triggers takes its state first.
    this.options.onWritten(this.openBytes);
    for (const record of batch) record.resolve();
  }

  private async writeRun(run: PendingRecord[]): Promise<void> {
    const handle = await this.openGenerationFile(run[0].generation);
    const bytes = run.length === 1 ? run[0].bytes : Buffer.concat(run.map((record) => record.bytes));
    await handle.write(bytes, 0, bytes.length);
    this.stats.journalWrites += 1;
    await handle.datasync();
    this.stats.journalSyncs += 1;
    this.openBytes += bytes.length;
    this.stats.recordsWritten += run.length;
  }

  private async openGenerationFile(generation: number): Promise<FileHandle> {
    if (this.handle && this.openGeneration === generation) return this.handle;
    // Every write to the previous file was fsync'd before its records were acknowledged.
    await this.handle?.close();
    this.handle = await fs.open(path.join(this.options.dir, journalFileName(generation)), 'a');
    this.openGeneration = generation;
    this.openBytes = (await this.handle.stat()).size;
    await syncDirectory(this.options.dir);
    return this.handle;
  }

  /**
   * After a failed write the file may end in a partial record; appending after it would put
   * acknowledged records where recovery stops reading. So the journal refuses all further
   * writes, as mongod does when its journal fails.
   */
  private fail(batch: PendingRecord[], error: unknown): void {
    // Records of an earlier run in this batch are on disk, but their acknowledgement is not.
    this.failure ??= new StorageError('JOURNAL_WRITE_FAILED', `journal write failed: ${(error as Error).message}`, { cause: error });
    for (const record of batch) record.reject(this.failure);
    this.cancelTimer();
    for (const record of this.pending) record.reject(this.failure);
    this.pending = [];
  }
}

/** Records arrive in generation order; each generation's records go to its own file. */
function splitByGeneration(batch: PendingRecord[]): PendingRecord[][] {
  const runs: PendingRecord[][] = [];
  for (const record of batch) {
    const last = runs[runs.length - 1];
    if (last && last[0].generation === record.generation) last.push(record);
    else runs.push([record]);
  }
  return runs;
}
