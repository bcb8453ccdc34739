/**
 * Server-side cursors: the materialised result of a find or aggregate, handed out in batches.
 * Ids are BSON Longs (the driver requires it); 0 means "exhausted". A cursor may show a window
 * of its documents (a find's skip and limit) and shape each batch as it leaves (a find's
 * projection), so documents nobody fetches are neither copied nor projected.
 */
import { calculateObjectSize, Long, type Document } from 'bson';
import { MongoCommandError } from './errors';

/** getMore without batchSize fills a batch up to this many bytes, like mongod's 16 MiB. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 16 * 1024;
/** First batch of a find without batchSize, as in mongod. */
export const DEFAULT_FIRST_BATCH = 101;

/** Cursors nobody asked for in this long are dropped, like mongod's cursorTimeoutMillis. */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/** Which of the documents a cursor returns, and how each batch is shaped. */
export interface CursorView {
  /** First document returned (default 0). */
  start?: number;
  /** One past the last document returned (default: all). */
  end?: number;
  /** Applied to each batch before it is sent (the same number of documents comes back). */
  shape?: (batch: Document[]) => Document[];
}

interface OpenCursor {
  ns: string;
  docs: Document[];
  position: number;
  end: number;
  shape: ((batch: Document[]) => Document[]) | undefined;
  lastUsed: number;
}

export class CursorRegistry {
  private readonly cursors = new Map<string, OpenCursor>();
  private nextId = 1n;

  /**
   * Returns the cursor document of a reply: its first batch and the id to continue with
   * (0 when nothing remains).
   */
  open(ns: string, docs: Document[], batchSize: number | undefined, singleBatch = false, view: CursorView = {}): Document {
    this.dropIdle();
    const end = Math.min(view.end ?? docs.length, docs.length);
    const cursor: OpenCursor = { ns, docs, position: Math.min(view.start ?? 0, end), end, shape: view.shape, lastUsed: Date.now() };
    const firstBatch = batchSize === 0 ? [] : takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = Long.ZERO;
    if (!singleBatch && cursor.position < cursor.end) {
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
    const exhausted = cursor.position >= cursor.end;
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

/** The next batch: at most `batchSize` documents and, beyond the first, at most MAX_BATCH_BYTES. */
function takeBatch(cursor: OpenCursor, batchSize: number | undefined): Document[] {
  const limit = batchSize && batchSize > 0 ? batchSize : Infinity;
  const upTo = Math.min(cursor.end, cursor.position + limit);
  const raw = cursor.docs.slice(cursor.position, upTo);
  const shaped = cursor.shape && raw.length ? cursor.shape(raw) : raw;
  let bytes = 0;
  let taken = 0;
  while (taken < shaped.length) {
    bytes += calculateObjectSize(shaped[taken]);
    if (taken > 0 && bytes > MAX_BATCH_BYTES) break;
    taken++;
  }
  cursor.position += taken;
  return taken === shaped.length ? shaped : shaped.slice(0, taken);
}
