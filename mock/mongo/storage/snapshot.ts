import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DeserializeOptions, Document } from 'bson';
import { frameRecord, scanFrames } from './codec';
import { StorageError } from './errors';
import { readFileIfExists, replaceFileAtomically, SNAPSHOT_FILE, SNAPSHOT_TEMP_FILE } from './files';
import type { CollectionState } from './types';

const SNAPSHOT_FORMAT = 1;

/**
 * A snapshot is a sequence of framed records: a header, then for each collection a record
 * describing it followed by one record per document, then a trailer with the totals. One
 * record per document keeps every record far below BSON's size limit however large the
 * collection grows.
 */
export interface SnapshotImage {
  /** The file's bytes in pieces, one per encoding slice: joining them all would stall too. */
  chunks: Buffer[];
  /** First journal generation the snapshot does not contain. */
  journalGeneration: number;
}

/** How long encoding may hold the event loop before it lets other work (requests, fsyncs) run. */
const ENCODE_SLICE_MS = 8;

/**
 * Encodes the state without holding the event loop for the whole database. The header and
 * the collections' options and index specs are encoded before the first await, in the
 * caller's synchronous step; the documents are encoded in slices between which other work
 * runs. That still gives exactly the state as of the call: the docs arrays are the caller's
 * own copies and stored documents are never mutated (a write replaces the object).
 */
export async function encodeSnapshot(collections: CollectionState[], journalGeneration: number): Promise<SnapshotImage> {
  const header = frameRecord([{ kind: 'snapshot', format: SNAPSHOT_FORMAT, journalGeneration, collections: collections.length }]);
  const descriptions = collections.map((collection) =>
    frameRecord([{ kind: 'collection', ns: collection.ns, options: collection.options, indexes: collection.indexes, count: collection.docs.length }]),
  );
  const chunks: Buffer[] = [];
  let slice: Buffer[] = [header];
  let sliceStart = performance.now();
  let documents = 0;
  for (const [i, collection] of collections.entries()) {
    slice.push(descriptions[i]);
    for (const doc of collection.docs) {
      if (performance.now() - sliceStart > ENCODE_SLICE_MS) {
        chunks.push(Buffer.concat(slice));
        slice = [];
        await nextTurnOfEventLoop();
        sliceStart = performance.now();
      }
      slice.push(frameRecord([doc]));
    }
    documents += collection.docs.length;
  }
  slice.push(frameRecord([{ kind: 'end', collections: collections.length, documents }]));
  chunks.push(Buffer.concat(slice));
  return { chunks, journalGeneration };
}

function nextTurnOfEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function writeSnapshot(dir: string, image: SnapshotImage): Promise<void> {
  await replaceFileAtomically(dir, SNAPSHOT_FILE, SNAPSHOT_TEMP_FILE, image.chunks);
}

export interface LoadedSnapshot {
  collections: CollectionState[];
  journalGeneration: number;
}

/**
 * The snapshot is replaced by rename, so a damaged one is not a crash artefact but lost data;
 * refusing to start is better than serving a database with collections silently missing.
 */
export async function readSnapshot(dir: string, readOptions: DeserializeOptions): Promise<LoadedSnapshot | undefined> {
  const file = path.join(dir, SNAPSHOT_FILE);
  const bytes = await readFileIfExists(file);
  if (!bytes) return undefined;
  const scan = scanFrames(bytes, readOptions);
  if (scan.stop) throw snapshotCorrupt(file, `${scan.stop} record at byte ${scan.validBytes}`);
  return parseSnapshotRecords(file, scan.records.flat());
}

function parseSnapshotRecords(file: string, records: Document[]): LoadedSnapshot {
  const header = records[0];
  if (header?.kind !== 'snapshot' || Number(header.format) !== SNAPSHOT_FORMAT) throw snapshotCorrupt(file, 'missing header');
  const collections: CollectionState[] = [];
  let next = 1;
  for (let c = 0; c < Number(header.collections); c++) {
    const meta = records[next++];
    if (meta?.kind !== 'collection') throw snapshotCorrupt(file, `collection record ${c} missing`);
    const count = Number(meta.count);
    const docs = records.slice(next, next + count);
    if (docs.length !== count) throw snapshotCorrupt(file, `collection ${meta.ns} is short of documents`);
    next += count;
    collections.push({ ns: String(meta.ns), options: meta.options as Document, indexes: meta.indexes as Document[], docs });
  }
  const trailer = records[next];
  if (trailer?.kind !== 'end' || next + 1 !== records.length) throw snapshotCorrupt(file, 'missing trailer');
  return { collections, journalGeneration: Number(header.journalGeneration) };
}

function snapshotCorrupt(file: string, detail: string): StorageError {
  return new StorageError('SNAPSHOT_CORRUPT', `snapshot ${file} is damaged (${detail}); refusing to start without it`);
}
