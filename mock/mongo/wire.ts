/**
 * MongoDB wire protocol framing: the legacy OP_QUERY handshake (answered with OP_REPLY) and
 * OP_MSG with its body section and document sequences.
 *
 * Every length a message carries is checked against the bytes it really has, as mongod does: a
 * broken message is a WireProtocolError (an error reply, or for a bad header, unknown required
 * flag or wrong checksum a closed connection), never a read outside the message.
 */
import { serialize, type Document } from 'bson';
import { MongoCommandError } from './errors';
import { decodeDocument, SERVER_BSON_READ_OPTIONS } from './numbers';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const HEADER_BYTES = 16;
const CHECKSUM_PRESENT = 1;
export const MORE_TO_COME = 2;
/** mongod refuses unknown flags among the low 16 bits ("required"); the high 16 are optional. */
const REQUIRED_FLAGS_MASK = 0xffff;
const KNOWN_FLAGS = CHECKSUM_PRESENT | MORE_TO_COME;
/** OP_REPLY responseFlags bit that marks a failed legacy query. */
const QUERY_FAILURE = 2;

/** Largest message a client may send (what hello advertises as maxMessageSizeBytes). */
export const MAX_MESSAGE_BYTES = 48_000_000;
/** Largest document a user may store (hello's maxBsonObjectSize). */
export const MAX_BSON_OBJECT_BYTES = 16 * 1024 * 1024;
/** Largest document inside a message: a user document plus 16 KiB of command fields (mongod's BSONObjMaxInternalSize). */
export const MAX_DOCUMENT_IN_MESSAGE_BYTES = MAX_BSON_OBJECT_BYTES + 16 * 1024;

const TYPE_MISMATCH = 14;
const OVERFLOW = 15;
const PROTOCOL_ERROR = 17;
const INVALID_BSON = 22;
const ILLEGAL_OP_MSG_FLAG = 223;
const CHECKSUM_MISMATCH = 288;
const UNSUPPORTED_OP_QUERY_COMMAND = 352;
const BSON_OBJECT_TOO_LARGE = 10334;
const LEGACY_OPCODE_REMOVED = 5739101;

/** The commands mongod 7 still accepts over OP_QUERY (the handshake and a few old-driver ones). */
const OP_QUERY_COMMANDS = new Set(['hello', 'isMaster', 'ismaster', 'buildinfo', 'buildInfo', 'saslStart', 'saslContinue', 'authenticate']);
const LEGACY_REMOVAL_HINT = 'The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal';

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

/** What a reply needs to know about its request, known even when the request could not be parsed. */
export type ReplyTarget = Pick<Request, 'requestId' | 'opCode' | 'noReply'>;

/** Numbers keep their BSON type (Int32, Double, Long): see numbers.ts for how they are held. */
export const DESERIALIZE_OPTIONS = SERVER_BSON_READ_OPTIONS;

/** A message that breaks the protocol. `closesConnection`: mongod drops the connection instead of replying. */
export class WireProtocolError extends MongoCommandError {
  constructor(
    code: number,
    message: string,
    readonly closesConnection = false,
  ) {
    super(code, message);
  }
}

/** mongod's answer to a legacy OP_QUERY that is not a command: `$err` in an OP_REPLY flagged QueryFailure. */
class LegacyQueryError extends WireProtocolError {
  override toReply(): Document {
    return { $err: this.message, code: this.code, ok: 0 };
  }
}

/**
 * Reads a message's fields in order within [offset, end); a read past `end` is mongod's Overflow,
 * so no announced length can move the reader outside its part of the message or backwards.
 */
class FieldReader {
  constructor(
    private readonly buf: Buffer,
    private offset: number,
    private readonly end: number,
  ) {}

  get atEnd(): boolean {
    return this.offset >= this.end;
  }

  /** Claims the next `bytes` bytes and returns where they start. */
  private claim(bytes: number, what: string): number {
    if (bytes < 0 || bytes > this.end - this.offset) {
      throw new WireProtocolError(OVERFLOW, `${what} needs ${bytes} bytes but only ${this.end - this.offset} remain in the message`);
    }
    const start = this.offset;
    this.offset += bytes;
    return start;
  }

  uint8(what: string): number {
    return this.buf.readUInt8(this.claim(1, what));
  }

  int32(what: string): number {
    return this.buf.readInt32LE(this.claim(4, what));
  }

  uint32(what: string): number {
    return this.buf.readUInt32LE(this.claim(4, what));
  }

  cstring(what: string): string {
    const length = this.buf.subarray(this.offset, this.end).indexOf(0);
    if (length < 0) throw new WireProtocolError(OVERFLOW, `${what} has no terminating NUL within the message`);
    const start = this.claim(length + 1, what);
    return this.buf.toString('utf8', start, start + length);
  }

  /** A reader over the next `bytes` bytes, which this reader skips. */
  part(bytes: number, what: string): FieldReader {
    const start = this.claim(bytes, what);
    return new FieldReader(this.buf, start, start + bytes);
  }

  document(what: string): Document {
    const remaining = this.end - this.offset;
    const size = remaining >= 4 ? this.buf.readInt32LE(this.offset) : -1;
    if (size > MAX_DOCUMENT_IN_MESSAGE_BYTES) {
      throw new WireProtocolError(BSON_OBJECT_TOO_LARGE, `BSONObj size: ${size} is invalid. Size must be between 0 and ${MAX_DOCUMENT_IN_MESSAGE_BYTES}(16MB) (${what})`);
    }
    if (size < 5 || size > remaining) {
      throw new WireProtocolError(INVALID_BSON, `${what}: a document of ${size} bytes does not fit the ${remaining} bytes left`);
    }
    const start = this.claim(size, what);
    try {
      return decodeDocument(this.buf.subarray(start, start + size), DESERIALIZE_OPTIONS);
    } catch (err) {
      throw new WireProtocolError(INVALID_BSON, `${what} is not valid BSON: ${(err as Error).message}`);
    }
  }
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), the checksum OP_MSG carries when its checksumPresent flag is set. */
function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC32C_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function checkFlags(flags: number): void {
  if ((flags & REQUIRED_FLAGS_MASK & ~KNOWN_FLAGS) !== 0) {
    throw new WireProtocolError(ILLEGAL_OP_MSG_FLAG, `Message contains illegal flags value: 0b${flags.toString(2).padStart(32, '0')}`, true);
  }
}

/** Where the sections end: before the checksum, which must match when present. */
function sectionsEnd(buf: Buffer, flags: number): number {
  if (!(flags & CHECKSUM_PRESENT)) return buf.length;
  const end = buf.length - 4;
  if (end < HEADER_BYTES + 4) throw new WireProtocolError(OVERFLOW, 'OP_MSG has its checksumPresent flag set but no room for the checksum');
  if (buf.readUInt32LE(end) !== crc32c(buf.subarray(0, end))) {
    throw new WireProtocolError(CHECKSUM_MISMATCH, 'OP_MSG checksum does not match contents', true);
  }
  return end;
}

function readSequence(sections: FieldReader): [string, Document[]] {
  const size = sections.int32('document sequence size');
  const sequence = sections.part(size - 4, 'document sequence');
  const identifier = sequence.cstring('document sequence identifier');
  const docs: Document[] = [];
  while (!sequence.atEnd) docs.push(sequence.document(`document ${docs.length} of sequence ${identifier}`));
  return [identifier, docs];
}

function databaseOf(body: Document): string {
  if (body.$db === undefined) throw new WireProtocolError(40571, 'OP_MSG requests require a $db argument');
  if (typeof body.$db !== 'string') throw new WireProtocolError(TYPE_MISMATCH, `$db is the wrong type '${typeof body.$db}', expected type 'string'`);
  return body.$db;
}

function parseOpMsg(buf: Buffer, requestId: number): Request {
  const message = new FieldReader(buf, HEADER_BYTES, buf.length);
  const flags = message.uint32('OP_MSG flagBits');
  checkFlags(flags);
  const sections = new FieldReader(buf, HEADER_BYTES + 4, sectionsEnd(buf, flags));
  let body: Document | undefined;
  const sequences = new Map<string, Document[]>();
  while (!sections.atEnd) {
    const kind = sections.uint8('section kind');
    if (kind === 0) {
      if (body) throw new WireProtocolError(40430, 'Multiple body sections in message');
      body = sections.document('OP_MSG body');
    } else if (kind === 1) {
      const [identifier, docs] = readSequence(sections);
      if (sequences.has(identifier)) throw new WireProtocolError(40431, `Duplicate document sequence: ${identifier}`);
      sequences.set(identifier, docs);
    } else {
      throw new WireProtocolError(40432, `Unknown section kind ${kind}`);
    }
  }
  if (!body) throw new WireProtocolError(40587, 'OP_MSG messages must have a body');
  for (const [identifier, docs] of sequences) {
    if (Object.hasOwn(body, identifier)) throw new WireProtocolError(40433, `Duplicate field between body and document sequence ${identifier}`);
    // defineProperty, not assignment: an identifier such as "__proto__" must become a plain field.
    Object.defineProperty(body, identifier, { value: docs, enumerable: true, writable: true, configurable: true });
  }
  return { requestId, opCode: OP_MSG, command: body, db: databaseOf(body), noReply: (flags & MORE_TO_COME) !== 0 };
}

function parseOpQuery(buf: Buffer, requestId: number): Request {
  const message = new FieldReader(buf, HEADER_BYTES, buf.length);
  message.int32('OP_QUERY flags');
  const namespace = message.cstring('OP_QUERY fullCollectionName');
  message.int32('OP_QUERY numberToSkip');
  message.int32('OP_QUERY numberToReturn');
  const query = message.document('OP_QUERY query');
  const dot = namespace.indexOf('.');
  if (dot <= 0 || namespace.slice(dot + 1) !== '$cmd') {
    throw new LegacyQueryError(LEGACY_OPCODE_REMOVED, `OP_QUERY is no longer supported. ${LEGACY_REMOVAL_HINT}`);
  }
  const command: Document = query.$query && typeof query.$query === 'object' ? query.$query : query;
  const name = Object.keys(command)[0] ?? '';
  if (!OP_QUERY_COMMANDS.has(name)) {
    throw new WireProtocolError(UNSUPPORTED_OP_QUERY_COMMAND, `Unsupported OP_QUERY command: ${name}. ${LEGACY_REMOVAL_HINT}`);
  }
  return { requestId, opCode: OP_QUERY, command, db: namespace.slice(0, dot), noReply: false };
}

/** Parses one complete message (header included), as MessageReader returns it. */
export function parseMessage(buf: Buffer): Request {
  if (buf.length < HEADER_BYTES || buf.readInt32LE(0) !== buf.length) {
    throw new WireProtocolError(PROTOCOL_ERROR, `a message of ${buf.length} bytes does not match the length in its header`, true);
  }
  const requestId = buf.readInt32LE(4);
  const opCode = buf.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(buf, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(buf, requestId);
  throw new WireProtocolError(PROTOCOL_ERROR, `opCode ${opCode} is not supported: only OP_MSG, and OP_QUERY for the handshake`);
}

/** Whom to answer for a complete message, read from its header alone (so a broken body still gets its error reply). */
export function replyTarget(buf: Buffer): ReplyTarget {
  if (buf.length < HEADER_BYTES) return { requestId: 0, opCode: OP_MSG, noReply: false };
  const opCode = buf.readInt32LE(12) === OP_QUERY ? OP_QUERY : OP_MSG;
  const noReply = buf.readInt32LE(12) === OP_MSG && buf.length >= HEADER_BYTES + 4 && (buf.readUInt32LE(HEADER_BYTES) & MORE_TO_COME) !== 0;
  return { requestId: buf.readInt32LE(4), opCode, noReply };
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
export function encodeReply(request: ReplyTarget, reply: Document): Buffer {
  const body = serialize(reply);
  if (request.opCode === OP_QUERY) {
    const fields = Buffer.alloc(20);
    fields.writeInt32LE('$err' in reply ? QUERY_FAILURE : 0, 0);
    fields.writeBigInt64LE(0n, 4);
    fields.writeInt32LE(0, 12);
    fields.writeInt32LE(1, 16);
    return Buffer.concat([header(16 + 20 + body.length, request.requestId, OP_REPLY), fields, body]);
  }
  const flagsAndKind = Buffer.alloc(5);
  return Buffer.concat([header(16 + 5 + body.length, request.requestId, OP_MSG), flagsAndKind, body]);
}

/** Why a header's length is refused (mongod then closes the connection), or null when it is possible. */
function lengthError(length: number): WireProtocolError | null {
  if (length >= HEADER_BYTES && length <= MAX_MESSAGE_BYTES) return null;
  return new WireProtocolError(PROTOCOL_ERROR, `message length ${length} is invalid: min ${HEADER_BYTES}, max ${MAX_MESSAGE_BYTES}`, true);
}

/**
 * Splits a byte stream into complete messages. It keeps the chunks of an incomplete message as
 * they came and copies them once, when the message is complete, so receiving a message is
 * linear in its size. A header announcing an impossible length breaks the stream as soon as its
 * four length bytes arrive, before anything is buffered for it: `broken` then says why, the
 * messages before it are still returned, and nothing after it is read.
 */
export class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The length the current message's header announced; 0 until its first four bytes are in. */
  private expected = 0;
  broken: WireProtocolError | null = null;

  /** True while part of a message has arrived and the rest has not. */
  get midMessage(): boolean {
    return this.buffered > 0;
  }

  push(chunk: Buffer): Buffer[] {
    if (chunk.length === 0 || this.broken) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Buffer[] = [];
    for (;;) {
      if (this.expected === 0 && this.buffered >= 4 && !this.startMessage()) return messages;
      if (this.expected === 0 || this.buffered < this.expected) return messages;
      messages.push(this.take(this.expected));
      this.expected = 0;
    }
  }

  /** Reads the next message's length; false (the stream broken, its bytes dropped) when impossible. */
  private startMessage(): boolean {
    const length = this.peekLength();
    this.broken = lengthError(length);
    if (this.broken) {
      this.chunks = [];
      this.buffered = 0;
      return false;
    }
    this.expected = length;
    return true;
  }

  private peekLength(): number {
    const first = this.chunks[0];
    return (first.length >= 4 ? first : Buffer.concat(this.chunks, 4)).readInt32LE(0);
  }

  /** Removes the first `length` buffered bytes, copying only when they span several chunks. */
  private take(length: number): Buffer {
    const first = this.chunks[0];
    if (first.length >= length) {
      this.consume(1, first.subarray(length), length);
      return first.subarray(0, length);
    }
    const message = Buffer.allocUnsafe(length);
    let filled = 0;
    let used = 0;
    while (filled < length) {
      const chunk = this.chunks[used++];
      const n = Math.min(chunk.length, length - filled);
      chunk.copy(message, filled, 0, n);
      filled += n;
      if (n < chunk.length) {
        this.consume(used, chunk.subarray(n), length);
        return message;
      }
    }
    this.consume(used, Buffer.alloc(0), length);
    return message;
  }

  /** Drops the first `count` chunks, keeping `rest` (the unread tail of the last one) in front. */
  private consume(count: number, rest: Buffer, bytes: number): void {
    const remaining = this.chunks.slice(count);
    this.chunks = rest.length ? [rest, ...remaining] : remaining;
    this.buffered -= bytes;
  }
}
