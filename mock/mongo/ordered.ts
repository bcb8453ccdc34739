/**
 * The ordered half of an index: its entries sorted by key, kept in chunks of at most MAX_CHUNK
 * entries. An entry's key is one string, the index's key strings in index order (a descending
 * field's inverted) followed by the `_id` key, so every entry has one place and comparing two
 * entries is one native string comparison (keyString's encodings are order-preserving and
 * prefix-free, which concatenation and inversion keep).
 * An insert or a removal binary-searches the chunk list and splices one small chunk, so 200k
 * inserts stay cheap in any key order; a range is two binary searches and a walk. Chunks are
 * copy-on-write between clones, so a transaction's copy costs one array of chunk pointers.
 */
import type { Document } from 'bson';

export interface OrderedEntry {
  /** The entry's place: the index-order key, then the `_id` key. */
  key: string;
  id: string;
  doc: Document;
}

const MAX_CHUNK = 256;

/**
 * Where a bound falls: before the first entry whose key is >= `key` (or, with `after`, > it),
 * where a key starting with `key` counts as equal to it (so a prefix bounds a run of entries).
 */
export interface Bound {
  key: string;
  after: boolean;
}

/** A place between entries: before `chunks[chunk][offset]`. */
export interface Position {
  chunk: number;
  offset: number;
}

function isBefore(entry: OrderedEntry, bound: Bound): boolean {
  const c = compareToBound(entry, bound.key);
  return bound.after ? c <= 0 : c < 0;
}

function compareEntries(a: OrderedEntry, b: OrderedEntry): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function compareToBound(entry: OrderedEntry, bound: string): number {
  if (entry.key.startsWith(bound)) return 0;
  return entry.key < bound ? -1 : 1;
}

export class OrderedEntries {
  private chunks: OrderedEntry[][] = [];
  /** Chunks this copy may change in place; null: all of them (never cloned). */
  private owned: Set<OrderedEntry[]> | null = null;
  private count = 0;
  /** Entries before each chunk, computed when a range is measured after a change. */
  private starts: number[] | null = null;

  get size(): number {
    return this.count;
  }

  /** Index of the first chunk whose last entry is not before `entry` (the last chunk if none). */
  private chunkFor(entry: OrderedEntry): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid];
      if (compareEntries(chunk[chunk.length - 1], entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private writable(index: number): OrderedEntry[] {
    const chunk = this.chunks[index];
    if (!this.owned || this.owned.has(chunk)) return chunk;
    const copy = chunk.slice();
    this.chunks[index] = copy;
    this.owned.add(copy);
    return copy;
  }

  private position(chunk: OrderedEntry[], entry: OrderedEntry): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareEntries(chunk[mid], entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(entry: OrderedEntry): void {
    this.count++;
    this.starts = null;
    if (this.chunks.length === 0) {
      const chunk = [entry];
      this.chunks.push(chunk);
      this.owned?.add(chunk);
      return;
    }
    const index = this.chunkFor(entry);
    const chunk = this.writable(index);
    chunk.splice(this.position(chunk, entry), 0, entry);
    if (chunk.length > MAX_CHUNK) this.split(index, chunk);
  }

  private split(index: number, chunk: OrderedEntry[]): void {
    const half = chunk.length >> 1;
    const second = chunk.slice(half);
    chunk.length = half;
    this.chunks.splice(index + 1, 0, second);
    this.owned?.add(second);
  }

  remove(entry: OrderedEntry): void {
    if (this.chunks.length === 0) return;
    const index = this.chunkFor(entry);
    const found = this.position(this.chunks[index], entry);
    const at = this.chunks[index][found];
    if (!at || at.key !== entry.key) return;
    const chunk = this.writable(index);
    chunk.splice(found, 1);
    this.count--;
    this.starts = null;
    if (chunk.length === 0) this.chunks.splice(index, 1);
  }

  /** The position of a bound: the first entry not before it, as chunk and offset. */
  locate(bound: Bound): Position {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid];
      if (isBefore(chunk[chunk.length - 1], bound)) lo = mid + 1;
      else hi = mid;
    }
    const chunk = this.chunks[lo];
    if (!chunk) return { chunk: lo, offset: 0 };
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (isBefore(chunk[mid], bound)) a = mid + 1;
      else b = mid;
    }
    return { chunk: lo, offset: a };
  }

  /** True when an entry whose key starts with `prefix` belongs to another document than `id`. */
  holdsOther(prefix: string, id: string): boolean {
    let { chunk, offset } = this.locate({ key: prefix, after: false });
    for (; chunk < this.chunks.length; chunk++, offset = 0) {
      const entries = this.chunks[chunk];
      for (; offset < entries.length; offset++) {
        if (!entries[offset].key.startsWith(prefix)) return false;
        if (entries[offset].id !== id) return true;
      }
    }
    return false;
  }

  /** How many entries lie between two positions. */
  distance(from: Position, to: Position): number {
    return this.rankOf(to) - this.rankOf(from);
  }

  private rankOf(position: Position): number {
    if (!this.starts) {
      this.starts = [0];
      for (const chunk of this.chunks) this.starts.push(this.starts[this.starts.length - 1] + chunk.length);
    }
    return this.starts[position.chunk] + position.offset;
  }

  /** Entries from `from` up to (not including) `to`, in index order or (reverse) the opposite. */
  *walk(from: Position, to: Position, reverse: boolean): Generator<OrderedEntry> {
    if (reverse) {
      let { chunk, offset } = to;
      for (;;) {
        if (--offset < 0) {
          if (--chunk < 0) return;
          offset = this.chunks[chunk].length - 1;
        }
        if (chunk < from.chunk || (chunk === from.chunk && offset < from.offset)) return;
        yield this.chunks[chunk][offset];
      }
    }
    let { chunk, offset } = from;
    while (chunk < to.chunk || (chunk === to.chunk && offset < to.offset)) {
      const entries = this.chunks[chunk];
      if (offset >= entries.length) {
        chunk++;
        offset = 0;
        continue;
      }
      yield entries[offset++];
    }
  }

  clone(): OrderedEntries {
    const copy = new OrderedEntries();
    copy.chunks = this.chunks.slice();
    copy.count = this.count;
    copy.owned = new Set();
    this.owned = new Set();
    return copy;
  }
}
