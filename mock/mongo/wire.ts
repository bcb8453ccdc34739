/**
 * MongoDB wire protocol framing: the legacy OP_QUERY handshake (answered with OP_REPLY) and
 * OP_MSG with its body section and document sequences.
 */
import { deserialize, serialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const CHECKSUM_PRESENT = 1;
export const MORE_TO_COME = 2;

export interface Request {
  requestId: number;
  opCode: number;
  /** The command document, with OP_MSG document sequences merged in as arrays. */
  command: Document;
  /** Database the command runs against. */
  db: string;
  /** True when the client expects no reply (OP_MSG moreToCome). */
  noReply: boolean;
}

export const DESERIALIZE_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false, bsonRegExp: false } as const;

function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  return [buf.toString('utf8', offset, end), end + 1];
}

function readDocument(buf: Buffer, offset: number): [Document, number] {
  const size = buf.readInt32LE(offset);
  return [deserialize(buf.subarray(offset, offset + size), DESERIALIZE_OPTIONS), offset + size];
}

function parseOpMsg(buf: Buffer, requestId: number): Request {
  const flags = buf.readUInt32LE(16);
  const end = flags & CHECKSUM_PRESENT ? buf.length - 4 : buf.length;
  let offset = 20;
  let command: Document = {};
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = buf.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      [command, offset] = readDocument(buf, offset);
    } else if (kind === 1) {
      const sectionEnd = offset + buf.readInt32LE(offset);
      let [identifier, cursor] = readCString(buf, offset + 4);
      const docs: Document[] = [];
      while (cursor < sectionEnd) {
        let doc: Document;
        [doc, cursor] = readDocument(buf, cursor);
        docs.push(doc);
      }
      sequences.push([identifier, docs]);
      offset = sectionEnd;
    } else {
      throw new Error(`unknown OP_MSG section kind ${kind}`);
    }
  }
  for (const [identifier, docs] of sequences) command[identifier] = docs;
  return { requestId, opCode: OP_MSG, command, db: String(command.$db ?? 'admin'), noReply: (flags & MORE_TO_COME) !== 0 };
}

function parseOpQuery(buf: Buffer, requestId: number): Request {
  const [collectionName, afterName] = readCString(buf, 20);
  const [query] = readDocument(buf, afterName + 8);
  const command = query.$query && typeof query.$query === 'object' ? query.$query : query;
  const db = collectionName.slice(0, collectionName.indexOf('.'));
  return { requestId, opCode: OP_QUERY, command, db, noReply: false };
}

/** Parses one complete message (header included). */
export function parseMessage(buf: Buffer): Request {
  const requestId = buf.readInt32LE(4);
  const opCode = buf.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(buf, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(buf, requestId);
  throw new Error(`unsupported opCode ${opCode}`);
}

let nextRequestId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** Encodes a reply in the same protocol the request came in. */
export function encodeReply(request: Request, reply: Document): Buffer {
  const body = serialize(reply);
  if (request.opCode === OP_QUERY) {
    const fields = Buffer.alloc(20);
    fields.writeInt32LE(0, 0);
    fields.writeBigInt64LE(0n, 4);
    fields.writeInt32LE(0, 12);
    fields.writeInt32LE(1, 16);
    return Buffer.concat([header(16 + 20 + body.length, request.requestId, OP_REPLY), fields, body]);
  }
  const flagsAndKind = Buffer.alloc(5);
  return Buffer.concat([header(16 + 5 + body.length, request.requestId, OP_MSG), flagsAndKind, body]);
}

/** Largest message a client may send (what hello advertises as maxMessageSizeBytes). */
export const MAX_MESSAGE_BYTES = 48_000_000;

/**
 * Splits a byte stream into complete messages; keeps the incomplete tail for the next chunk.
 */
export class MessageReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const messages: Buffer[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readInt32LE(0);
      if (length < 16 || length > MAX_MESSAGE_BYTES) throw new Error(`invalid message length ${length}`);
      if (this.pending.length < length) break;
      messages.push(this.pending.subarray(0, length));
      this.pending = this.pending.subarray(length);
    }
    return messages;
  }
}
