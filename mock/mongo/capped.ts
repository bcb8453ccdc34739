/**
 * Capped collections: documents stay in insertion order, and after an insert the oldest are
 * removed until the collection holds at most `max` documents and `size` bytes of BSON.
 */
import { calculateObjectSize, type Document } from 'bson';
import type { Change } from './storage/types';

/** What capped trimming needs of a collection. */
export interface CappedStore {
  readonly options: Document;
  /** Documents in insertion order. */
  readonly docs: Map<string, Document>;
  remove(doc: Document, changes: Change[]): void;
}

/** Stored documents are never mutated, so each one's BSON size is computed once. */
const sizes = new WeakMap<Document, number>();

function sizeOf(doc: Document): number {
  let size = sizes.get(doc);
  if (size === undefined) {
    size = calculateObjectSize(doc);
    sizes.set(doc, size);
  }
  return size;
}

/**
 * Removes the oldest documents beyond the collection's limits, never the one just inserted
 * (mongod keeps a newest document even when it alone exceeds `size`).
 */
export function trimCapped(collection: CappedStore, changes: Change[]): void {
  const { capped, size, max } = collection.options;
  if (capped !== true) return;
  const maxBytes = Number(size);
  const maxDocs = max === undefined ? Infinity : Number(max);
  let bytes = 0;
  for (const doc of collection.docs.values()) bytes += sizeOf(doc);
  let count = collection.docs.size;
  // Deleting the entry being visited is safe while iterating a Map.
  for (const oldest of collection.docs.values()) {
    if (count <= 1 || (count <= maxDocs && bytes <= maxBytes)) return;
    collection.remove(oldest, changes);
    bytes -= sizeOf(oldest);
    count--;
  }
}
