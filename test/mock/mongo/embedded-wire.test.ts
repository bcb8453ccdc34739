/**
 * Embedded server only: hostile and broken clients. Every length in a message is checked (a bad
 * one gets mongod's error reply, or a closed connection for a bad header), mongod's size limits
 * hold, stalled and surplus connections are closed, and a client that pipelines without reading
 * its replies is throttled; through all of it other clients keep being served.
 *
 * Malformed messages go to the CLI server in a child process: a parser that loops forever there
 * fails these tests instead of freezing the test runner.
 */
import { serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '@mock/mongo';
import {
  bodySection,
  int32,
  message,
  OP_MSG,
  OP_QUERY,
  OP_REPLY,
  opMsg,
  opQuery,
  ping,
  RawClient,
  replyDoc,
  sequenceSection,
  uint32,
  type Outcome,
  useServerWithBystander,
} from './embedded-wire-bytes';

const CHECKSUM_PRESENT = 1;
const EXHAUST_ALLOWED = 1 << 16;

/** CRC-32C computed bit by bit (independent of the server's table-driven one). */
function crc32c(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function withChecksum(sections: Buffer, checksum?: number): Buffer {
  const unsigned = Buffer.concat([int32(16 + 4 + sections.length + 4), int32(7), int32(0), int32(OP_MSG), uint32(CHECKSUM_PRESENT), sections]);
  return Buffer.concat([unsigned, uint32(checksum ?? crc32c(unsigned))]);
}

describe('embedded server: malformed messages', () => {
  const live = useServerWithBystander();
  let client: RawClient;
  beforeEach(async () => {
    client = await RawClient.connect(live.server.port);
  });
  afterEach(async () => {
    client.destroy();
    // Whatever the message did, another client is still served.
    expect(replyDoc(await live.bystander.exchange(ping(), 2000))).toMatchObject({ ok: 1 });
  });

  /** Sends a message and expects an error reply with `code`, on a connection that stays usable. */
  async function expectErrorReply(bytes: Buffer, code: number, opCode = OP_MSG): Promise<void> {
    const outcome = await client.exchange(bytes, 2000);
    expect(replyDoc(outcome)).toMatchObject({ ok: 0, code });
    expect((outcome as Exclude<Outcome, string>).opCode).toBe(opCode === OP_QUERY ? OP_REPLY : OP_MSG);
    expect(replyDoc(await client.exchange(ping(), 2000))).toMatchObject({ ok: 1 });
  }

  const body = () => bodySection({ insert: 'c', $db: 'wire' });

  test('a document sequence whose size is -1 gets an Overflow error instead of sending the parser backwards', async () => {
    await expectErrorReply(opMsg(Buffer.concat([body(), Buffer.from([1]), int32(-1), Buffer.from('documents\0')])), 15);
  });

  test('a document sequence smaller than its own size field, or larger than the message, gets Overflow', async () => {
    await expectErrorReply(opMsg(Buffer.concat([body(), sequenceSection('documents', [{ a: 1 }], 3)])), 15);
    await expectErrorReply(opMsg(Buffer.concat([body(), sequenceSection('documents', [{ a: 1 }], 4096)])), 15);
  });

  test('a document sequence identifier without its NUL gets Overflow', async () => {
    await expectErrorReply(opMsg(Buffer.concat([body(), Buffer.from([1]), int32(4 + 9), Buffer.from('documents')])), 15);
  });

  test('a document that overruns its sequence, or a truncated body, gets InvalidBSON', async () => {
    const doc = serialize({ a: 1 });
    const section = Buffer.concat([Buffer.from([1]), int32(4 + 2 + doc.length - 3), Buffer.from('d\0'), doc.subarray(0, doc.length - 3)]);
    await expectErrorReply(opMsg(Buffer.concat([body(), section])), 22);
    const full = bodySection({ ping: 1, $db: 'admin' });
    await expectErrorReply(opMsg(full.subarray(0, full.length - 4)), 22);
  });

  test('a document with a size below 5 or bytes that are not BSON gets InvalidBSON', async () => {
    await expectErrorReply(opMsg(Buffer.concat([Buffer.from([0]), int32(2), Buffer.from([0, 0])])), 22);
    const garbage = Buffer.concat([int32(12), Buffer.from([0x77, 0x61, 0, 1, 2, 3, 4, 0])]);
    await expectErrorReply(opMsg(Buffer.concat([Buffer.from([0]), garbage])), 22);
  });

  test('a message with no room for its flags, or no body section, or two, gets an error reply', async () => {
    await expectErrorReply(message(OP_MSG, Buffer.alloc(0)), 15);
    await expectErrorReply(opMsg(sequenceSection('documents', [{ a: 1 }])), 40587);
    await expectErrorReply(opMsg(Buffer.concat([body(), body()])), 40430);
    await expectErrorReply(opMsg(Buffer.concat([body(), Buffer.from([7])])), 40432);
  });

  test('an OP_MSG without $db gets error 40571', async () => {
    await expectErrorReply(opMsg(bodySection({ ping: 1 })), 40571);
  });

  test('a document sequence that repeats a body field or another sequence is refused', async () => {
    await expectErrorReply(opMsg(Buffer.concat([bodySection({ insert: 'c', documents: [], $db: 'wire' }), sequenceSection('documents', [{ a: 1 }])])), 40433);
    const twice = Buffer.concat([body(), sequenceSection('documents', [{ a: 1 }]), sequenceSection('documents', [{ a: 2 }])]);
    await expectErrorReply(opMsg(twice), 40431);
  });

  test('a document sequence named __proto__ becomes a field, not the prototype of the command', async () => {
    const outcome = await client.exchange(opMsg(Buffer.concat([bodySection({ ping: 1, $db: 'admin' }), sequenceSection('__proto__', [{ polluted: true }])])), 2000);
    expect(replyDoc(outcome)).toMatchObject({ ok: 1 });
  });

  test('a document over 16 MiB + 16 KiB gets BSONObjectTooLarge 10334, in the body or in a sequence', async () => {
    const big = 'x'.repeat(16 * 1024 * 1024 + 16 * 1024);
    await expectErrorReply(opMsg(bodySection({ ping: 1, $db: 'admin', big })), 10334);
    await expectErrorReply(opMsg(Buffer.concat([body(), sequenceSection('documents', [{ big }])])), 10334);
  });

  test('a valid CRC-32C checksum is accepted; a wrong one closes the connection (ChecksumMismatch)', async () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(replyDoc(await client.exchange(withChecksum(bodySection({ ping: 1, $db: 'admin' })), 2000))).toMatchObject({ ok: 1 });
    expect(await client.exchange(withChecksum(bodySection({ ping: 1, $db: 'admin' }), 12345), 2000)).toBe('closed');
  });

  test('a checksum flag on a message with no room for the checksum gets Overflow', async () => {
    await expectErrorReply(message(OP_MSG, uint32(CHECKSUM_PRESENT)), 15);
  });

  test('an unknown required flag closes the connection (IllegalOpMsgFlag); an optional one is accepted', async () => {
    expect(replyDoc(await client.exchange(opMsg(bodySection({ ping: 1, $db: 'admin' }), EXHAUST_ALLOWED), 2000))).toMatchObject({ ok: 1 });
    expect(await client.exchange(opMsg(bodySection({ ping: 1, $db: 'admin' }), 1 << 3), 2000)).toBe('closed');
  });

  test('a header announcing fewer than 16 or more than 48,000,000 bytes closes the connection at once', async () => {
    expect(await client.exchange(int32(15), 2000)).toBe('closed');
    const other = await RawClient.connect(live.server.port);
    try {
      expect(await other.exchange(int32(48_000_001), 2000)).toBe('closed');
    } finally {
      other.destroy();
    }
  });

  test('the requests before a header with an impossible length are answered before the connection closes', async () => {
    client.send(Buffer.concat([ping(), ping(), int32(5), Buffer.alloc(12)]));
    expect(replyDoc(await client.next(2000))).toMatchObject({ ok: 1 });
    expect(replyDoc(await client.next(2000))).toMatchObject({ ok: 1 });
    expect(await client.next(2000)).toBe('closed');
  });

  test('OP_QUERY with a namespace without NUL, a truncated query or missing fields gets an error OP_REPLY', async () => {
    await expectErrorReply(message(OP_QUERY, Buffer.concat([int32(0), Buffer.from('admin.$cmd')])), 15, OP_QUERY);
    await expectErrorReply(message(OP_QUERY, Buffer.concat([int32(0), Buffer.from('admin.$cmd\0'), int32(0)])), 15, OP_QUERY);
    const query = serialize({ isMaster: 1 });
    await expectErrorReply(message(OP_QUERY, Buffer.concat([int32(0), Buffer.from('admin.$cmd\0'), int32(0), int32(-1), query.subarray(0, 8)])), 22, OP_QUERY);
  });

  test('OP_QUERY answers only the handshake commands (352) and no legacy query (5739101, QueryFailure)', async () => {
    const find = await client.exchange(opQuery('wire.$cmd', { find: 'c' }), 2000);
    expect(replyDoc(find)).toMatchObject({ ok: 0, code: 352, codeName: 'UnsupportedOpQueryCommand' });
    const legacy = await client.exchange(opQuery('wire.c', { a: 1 }), 2000);
    expect(legacy).toMatchObject({ opCode: OP_REPLY, flags: 2, doc: { $err: expect.stringMatching(/OP_QUERY is no longer supported/), code: 5739101, ok: 0 } });
    expect(replyDoc(await client.exchange(opQuery('admin.$cmd', { hello: 1 }), 2000))).toMatchObject({ ok: 1 });
  });

  test('an unsupported opCode gets an error reply', async () => {
    await expectErrorReply(message(2002, Buffer.concat([int32(0), Buffer.from('wire.c\0'), serialize({ a: 1 })])), 17);
  });

  test('a malformed message with moreToCome gets no reply, and the connection stays usable', async () => {
    expect(await client.exchange(opMsg(Buffer.concat([body(), Buffer.from([1]), int32(-1)]), 2), 300)).toBe('silent');
    expect(replyDoc(await client.exchange(ping(), 2000))).toMatchObject({ ok: 1 });
  });
});

/** A ping on a new connection, retried for a while: the server learns of a closed slot asynchronously. */
async function servedOnceFreed(port: number): Promise<Outcome> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const client = await RawClient.connect(port);
    const outcome = await client.exchange(ping(), 1000);
    client.destroy();
    if (outcome !== 'closed' || Date.now() > deadline) return outcome;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('embedded server: connection limits', () => {
  const servers: EmbeddedMongo[] = [];
  async function start(options: Parameters<typeof startEmbeddedMongo>[0]): Promise<EmbeddedMongo> {
    const server = await startEmbeddedMongo({ port: 0, quiet: true, ...options });
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  test('a message that stops arriving half-way closes its connection after stalledMessageTimeoutMs', async () => {
    const server = await start({ stalledMessageTimeoutMs: 300 });
    const client = await RawClient.connect(server.port);
    const started = Date.now();
    expect(await client.exchange(ping().subarray(0, 10), 3000)).toBe('closed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  test('a message that keeps arriving slowly, and a connection idle between messages, stay open', async () => {
    const server = await start({ stalledMessageTimeoutMs: 1000, idleTimeoutMs: 0 });
    const client = await RawClient.connect(server.port);
    try {
      const bytes = ping();
      for (let i = 0; i < bytes.length - 1; i += 8) {
        client.send(bytes.subarray(i, Math.min(i + 8, bytes.length - 1)));
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(replyDoc(await client.exchange(bytes.subarray(bytes.length - 1), 2000))).toMatchObject({ ok: 1 });
      await new Promise((r) => setTimeout(r, 2000));
      expect(replyDoc(await client.exchange(ping(), 2000))).toMatchObject({ ok: 1 });
    } finally {
      client.destroy();
    }
  });

  test('a connection with nothing in flight is closed after idleTimeoutMs', async () => {
    const server = await start({ idleTimeoutMs: 300 });
    const client = await RawClient.connect(server.port);
    expect(replyDoc(await client.exchange(ping(), 2000))).toMatchObject({ ok: 1 });
    expect(await client.next(3000)).toBe('closed');
  });

  test('a connection beyond maxConnections is closed at once; a freed slot is served again', async () => {
    const server = await start({ maxConnections: 2 });
    const first = await RawClient.connect(server.port);
    const second = await RawClient.connect(server.port);
    try {
      expect(replyDoc(await first.exchange(ping(), 2000))).toMatchObject({ ok: 1 });
      expect(replyDoc(await second.exchange(ping(), 2000))).toMatchObject({ ok: 1 });
      const third = await RawClient.connect(server.port);
      expect(await third.exchange(ping(), 2000)).toBe('closed');
      first.destroy();
      expect(replyDoc(await servedOnceFreed(server.port))).toMatchObject({ ok: 1 });
    } finally {
      first.destroy();
      second.destroy();
    }
  });

  test('while one client pipelines 20,000 requests, another client keeps being answered', async () => {
    const server = await start({});
    const pipeliner = await RawClient.connect(server.port);
    const bystander = await RawClient.connect(server.port);
    try {
      const requests = 20_000;
      let pipelineDone = false;
      pipeliner.send(Buffer.concat(Array.from({ length: requests }, () => ping())));
      const pipelined = (async () => {
        for (let i = 0; i < requests; i++) expect(typeof (await pipeliner.next(10_000))).toBe('object');
        pipelineDone = true;
      })();
      // Counted against the pipeline itself, not a clock, so a loaded machine slows both alike.
      let answeredMeanwhile = 0;
      while (!pipelineDone) {
        expect(replyDoc(await bystander.exchange(ping(), 2000)).ok).toBe(1);
        if (!pipelineDone) answeredMeanwhile++;
      }
      await pipelined;
      // Without turns the bystander got about 5 answers in; with them 50-60 (18 on a loaded machine).
      expect(answeredMeanwhile).toBeGreaterThanOrEqual(12);
    } finally {
      pipeliner.destroy();
      bystander.destroy();
    }
  });

  test('a client that pipelines requests without reading the replies is not read from until it catches up', async () => {
    const server = await start({});
    const driver = await new MongoClient(server.uri).connect();
    const pipeliner = await RawClient.connect(server.port);
    try {
      const coll = driver.db('wire').collection('pipeline');
      await coll.insertMany([{ _id: 'big' as any, payload: 'p'.repeat(1024 * 1024) }, { _id: 'counter' as any, n: 0 }]);
      pipeliner.socket.pause();
      // Pairs of a 1 MB read and a counter bump: the counter tells how far the server got.
      const pairs = 150;
      const read = opMsg(bodySection({ find: 'pipeline', filter: { _id: 'big' }, $db: 'wire' }));
      const bump = opMsg(bodySection({ update: 'pipeline', updates: [{ q: { _id: 'counter' }, u: { $inc: { n: 1 } } }], $db: 'wire' }));
      for (let i = 0; i < pairs; i++) pipeliner.send(Buffer.concat([read, bump]));
      await new Promise((r) => setTimeout(r, 3000));
      // Only the few replies the socket buffers can hold may have been produced.
      const counter = () => coll.findOne({ _id: 'counter' as any }).then((d) => d?.n);
      expect(await counter()).toBeLessThan(pairs / 2);
      pipeliner.socket.resume();
      for (let i = 0; i < 2 * pairs; i++) expect(replyDoc(await pipeliner.next(10_000)).ok).toBe(1);
      expect(await counter()).toBe(pairs);
    } finally {
      pipeliner.destroy();
      await driver.close();
    }
  });
});
