/**
 * Deterministic ObjectIds: 4-byte timestamp (the document's createdAt, so `_id.getTimestamp()`
 * tells the truth), 1 byte collection kind, 3 bytes from the seed, 4 bytes sequence number.
 * Unique per (kind, seed, sequence) for up to 2^32 documents per collection.
 */
import { ObjectId } from 'bson';

export const ID_KIND = { business: 1, instrument: 2, verification: 3 } as const;

export function deterministicObjectId(kind: number, seed: number, sequence: number, createdAt: Date): ObjectId {
  const bytes = new Uint8Array(12);
  const seconds = Math.floor(createdAt.getTime() / 1000) >>> 0;
  bytes[0] = seconds >>> 24;
  bytes[1] = (seconds >>> 16) & 0xff;
  bytes[2] = (seconds >>> 8) & 0xff;
  bytes[3] = seconds & 0xff;
  bytes[4] = kind & 0xff;
  bytes[5] = (seed >>> 16) & 0xff;
  bytes[6] = (seed >>> 8) & 0xff;
  bytes[7] = seed & 0xff;
  bytes[8] = sequence >>> 24;
  bytes[9] = (sequence >>> 16) & 0xff;
  bytes[10] = (sequence >>> 8) & 0xff;
  bytes[11] = sequence & 0xff;
  return new ObjectId(bytes);
}
