/**
 * Server-side cursors: the materialised result of a find or aggregate, handed out in batches.
 * Ids are BSON Longs (the driver requires it); 0 means "exhausted".
 */
import { calculateObjectSize, Long, type Document } from 'bson';
import { MongoCommandError } from './errors';

/** getMore without batchSize fills a batch up to this many bytes, like mongod's 16 MiB. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 16 * 1024;
/** First batch of a find without batchSize, as in mongod. */
export const DEFAULT_FIRST_BATCH = 101;

/** Cursors nobody asked for in this long are dropped, like mongod's cursorTimeoutMillis. */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Document[];
  position: number;
  lastUsed: number;
}

export class CursorRegistry {
  private readonly cursors = new Map<string, OpenCursor>();
  private nextId = 1n;

  /**
   * Returns the cursor document of a reply: its first batch and the id to continue with
   * (0 when nothing remains).
   */
  open(ns: string, docs: Document[], batchSize: number | undefined, singleBatch = false): Document {
    this.dropIdle();
    const cursor: OpenCursor = { ns, docs, position: 0, lastUsed: Date.now() };
    const firstBatch = batchSize === 0 ? [] : takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = Long.ZERO;
    if (!singleBatch && cursor.position < docs.length) {
      const key = (this.nextId++).toString();
      this.cursors.set(key, cursor);
      id = Long.fromString(key);
    }
    return { firstBatch, id, ns };
  }

  getMore(id: Long | number, batchSize: number | undefined): Document {
    const key = String(id);
    const cursor = this.cursors.get(key);
    if (!cursor) throw new MongoCommandError(43, `cursor id ${key} not found`);
    cursor.lastUsed = Date.now();
    const nextBatch = takeBatch(cursor, batchSize);
    const exhausted = cursor.position >= cursor.docs.length;
    if (exhausted) this.cursors.delete(key);
    return { nextBatch, id: exhausted ? Long.ZERO : Long.fromString(key), ns: cursor.ns };
  }

  private dropIdle(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [key, cursor] of this.cursors) if (cursor.lastUsed < cutoff) this.cursors.delete(key);
  }

  kill(ids: Array<Long | number>): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      const long = Long.fromString(String(id));
      (this.cursors.delete(String(id)) ? killed : notFound).push(long);
    }
    return { killed, notFound };
  }
}

function takeBatch(cursor: OpenCursor, batchSize: number | undefined): Document[] {
  const limit = batchSize && batchSize > 0 ? batchSize : Infinity;
  const batch: Document[] = [];
  let bytes = 0;
  while (cursor.position < cursor.docs.length && batch.length < limit) {
    const doc = cursor.docs[cursor.position];
    bytes += calculateObjectSize(doc);
    if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
    batch.push(doc);
    cursor.position++;
  }
  return batch;
}
