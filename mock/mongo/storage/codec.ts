import { crc32 } from 'node:zlib';
import { serialize, type DeserializeOptions, type Document } from 'bson';
import { decodeDocument } from '../numbers';

/**
 * For a caller that keeps BSON types unpromoted: Int32, Double, Long and Decimal128 stay
 * wrapped (a Double 1.0 does not come back as the integer 1) and a BSON regex keeps flags
 * such as `x` that a JS RegExp cannot hold, so a decoded document re-encodes to the same bytes.
 */
export const EXACT_BSON_READ_OPTIONS: DeserializeOptions = { promoteValues: false, bsonRegExp: true };

export function encodeDocument(doc: Document): Buffer {
  const bytes = serialize(doc);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Frame header: payload length (u32 LE) then CRC-32 of the payload (u32 LE). */
export const FRAME_HEADER_BYTES = 8;
/** The smallest BSON document (an empty one) is 5 bytes; anything shorter is not a record. */
const MIN_PAYLOAD_BYTES = 5;
/** No single record may claim more than this; a larger length is a damaged header. */
const MAX_PAYLOAD_BYTES = 1024 * 1024 * 1024;

/**
 * A record's payload is one or more BSON documents back to back, so a record holding many
 * changes (an insertMany of 100k documents) is not bound by BSON's 16 MiB document limit,
 * while one frame and one checksum still make it all-or-nothing.
 */
export function frameRecord(documents: Document[]): Buffer {
  const payload = documents.length === 1 ? encodeDocument(documents[0]) : Buffer.concat(documents.map(encodeDocument));
  const framed = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  framed.writeUInt32LE(payload.length, 0);
  framed.writeUInt32LE(crc32(payload), 4);
  payload.copy(framed, FRAME_HEADER_BYTES);
  return framed;
}

export interface FrameScan {
  /** Each valid record's documents, in file order. */
  records: Document[][];
  /** Bytes from the start of the buffer that hold whole, valid records. */
  validBytes: number;
  /** Why the scan stopped before the end of the buffer, if it did. */
  stop?: 'torn' | 'corrupt';
}

/**
 * Reads records until the end of the buffer or the first bad one. A record cut short by a
 * crash ("torn") can only be the last one. A record whose checksum or BSON is wrong is a stop
 * point wherever it sits: its length field may be the damaged part, so nothing after it can
 * be located, let alone trusted.
 */
export function scanFrames(buffer: Buffer, readOptions: DeserializeOptions): FrameScan {
  const records: Document[][] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const remaining = buffer.length - offset;
    if (remaining < FRAME_HEADER_BYTES) return { records, validBytes: offset, stop: 'torn' };
    const length = buffer.readUInt32LE(offset);
    if (length < MIN_PAYLOAD_BYTES || length > MAX_PAYLOAD_BYTES) {
      return { records, validBytes: offset, stop: 'corrupt' };
    }
    if (remaining < FRAME_HEADER_BYTES + length) return { records, validBytes: offset, stop: 'torn' };
    const payload = buffer.subarray(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + length);
    if (crc32(payload) !== buffer.readUInt32LE(offset + 4)) return { records, validBytes: offset, stop: 'corrupt' };
    const documents = tryDecodeSequence(payload, readOptions);
    if (!documents) return { records, validBytes: offset, stop: 'corrupt' };
    records.push(documents);
    offset += FRAME_HEADER_BYTES + length;
  }
  return { records, validBytes: offset };
}

function tryDecodeSequence(payload: Buffer, readOptions: DeserializeOptions): Document[] | undefined {
  const documents: Document[] = [];
  try {
    for (let offset = 0; offset < payload.length; ) {
      const size = payload.readInt32LE(offset);
      if (size < MIN_PAYLOAD_BYTES || offset + size > payload.length) return undefined;
      documents.push(decodeDocument(payload.subarray(offset, offset + size), readOptions));
      offset += size;
    }
    return documents;
  } catch {
    return undefined;
  }
}
