import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** File names inside a data directory. */
export const SNAPSHOT_FILE = 'snapshot.bson';
export const SNAPSHOT_TEMP_FILE = 'snapshot.bson.tmp';
export const LOCK_FILE = 'mongod.lock';
const JOURNAL_PATTERN = /^journal-(\d{12})\.bson$/;

export function journalFileName(generation: number): string {
  return `journal-${String(generation).padStart(12, '0')}.bson`;
}

export interface JournalFile {
  generation: number;
  name: string;
}

/** Journal generations present in the directory, oldest first. */
export async function listJournalFiles(dir: string): Promise<JournalFile[]> {
  const names = await fs.readdir(dir);
  return names
    .map((name) => ({ name, match: JOURNAL_PATTERN.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => ({ name, generation: Number(match[1]) }))
    .sort((a, b) => a.generation - b.generation);
}

/** Opens a file, hands it to `use`, and closes it whatever happens. */
async function withFile<T>(file: string, flags: string, use: (handle: FileHandle) => Promise<T>): Promise<T> {
  const handle = await fs.open(file, flags);
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

/**
 * A new, renamed or deleted file is only durable once its directory entry is: fsync of the
 * file alone does not persist its name.
 */
export async function syncDirectory(dir: string): Promise<void> {
  await withFile(dir, 'r', (handle) => handle.sync());
}

/** Writes `chunks` to `name` so that a crash leaves either the old file or the whole new one. */
export async function replaceFileAtomically(dir: string, name: string, tempName: string, chunks: Buffer[]): Promise<void> {
  const tempPath = path.join(dir, tempName);
  await withFile(tempPath, 'w', async (handle) => {
    for (const chunk of chunks) await handle.write(chunk, 0, chunk.length);
    await handle.sync();
  });
  await fs.rename(tempPath, path.join(dir, name));
  await syncDirectory(dir);
}

/** Cuts a journal back to its last whole record, durably, so new records follow valid ones. */
export async function truncateDurably(file: string, length: number): Promise<void> {
  await withFile(file, 'r+', async (handle) => {
    await handle.truncate(length);
    await handle.sync();
  });
}

export async function readFileIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function removeIfExists(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}
