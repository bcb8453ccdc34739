/**
 * Embedded server only: raw wire-protocol exchanges and the TTL monitor, which need a server
 * this test starts itself (its own TTL interval, bytes written by hand).
 */
import net from 'node:net';
import { deserialize, serialize, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '@mock/mongo';

let server: EmbeddedMongo;
beforeAll(async () => {
  server = await startEmbeddedMongo({ port: 0, quiet: true, ttlIntervalMs: 100 });
});
afterAll(() => server.stop());

/** Sends one message and resolves with the reply's opCode and first document. */
function exchange(socket: net.Socket, message: Buffer): Promise<{ opCode: number; doc: Document }> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 4 || data.length < data.readInt32LE(0)) return;
      socket.off('data', onData);
      const opCode = data.readInt32LE(12);
      const bodyStart = opCode === 1 ? 36 : 21;
      resolve({ opCode, doc: deserialize(data.subarray(bodyStart, data.readInt32LE(0))) });
    };
    socket.on('data', onData);
    socket.write(message);
  });
}

function header(length: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(7, 4);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opQuery(command: Document): Buffer {
  const name = Buffer.from('admin.$cmd\0');
  const body = serialize(command);
  const fields = Buffer.alloc(8);
  fields.writeInt32LE(-1, 4);
  const flags = Buffer.alloc(4);
  return Buffer.concat([header(16 + 4 + name.length + 8 + body.length, 2004), flags, name, fields, body]);
}

function opMsg(sections: Buffer): Buffer {
  return Buffer.concat([header(16 + 4 + sections.length, 2013), Buffer.alloc(4), sections]);
}

function bodySection(command: Document): Buffer {
  return Buffer.concat([Buffer.from([0]), serialize(command)]);
}

describe('embedded server: wire protocol', () => {
  let socket: net.Socket;
  beforeEach(async () => {
    socket = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
  });
  afterEach(() => socket.destroy());

  test('the legacy OP_QUERY handshake is answered with OP_REPLY', async () => {
    const reply = await exchange(socket, opQuery({ isMaster: 1, client: { driver: { name: 'test' } } }));
    expect(reply.opCode).toBe(1);
    expect(reply.doc).toMatchObject({ ismaster: true, maxWireVersion: 21, ok: 1 });
  });

  test('OP_MSG document sequences carry the documents of an insert', async () => {
    const docs = [serialize({ _id: 1, a: 1 }), serialize({ _id: 2, a: 2 })];
    const ident = Buffer.from('documents\0');
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + ident.length + docs[0].length + docs[1].length);
    const sequence = Buffer.concat([Buffer.from([1]), size, ident, ...docs]);
    const reply = await exchange(socket, opMsg(Buffer.concat([bodySection({ insert: 'seq', $db: 'wire' }), sequence])));
    expect(reply.doc).toMatchObject({ n: 2, ok: 1 });
    const count = await exchange(socket, opMsg(bodySection({ count: 'seq', $db: 'wire' })));
    expect(count.doc).toMatchObject({ n: 2, ok: 1 });
  });

  test('an unknown command and an unparseable message get error replies on a connection that stays open', async () => {
    const unknown = await exchange(socket, opMsg(bodySection({ frobnicate: 1, $db: 'wire' })));
    expect(unknown.doc).toMatchObject({ ok: 0, code: 59, codeName: 'CommandNotFound' });
    const garbage = await exchange(socket, opMsg(Buffer.from([9, 1, 2, 3, 4])));
    expect(garbage.doc.ok).toBe(0);
    const ping = await exchange(socket, opMsg(bodySection({ ping: 1, $db: 'admin' })));
    expect(ping.doc).toMatchObject({ ok: 1 });
  });
});

describe('embedded server: garbage on the wire', () => {
  test('a message with an impossible length closes that connection only', async () => {
    const bad = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => bad.once('connect', r));
    const closed = new Promise((r) => bad.once('close', r));
    bad.write(Buffer.alloc(32));
    await closed;
    const client = await new MongoClient(server.uri).connect();
    try {
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe('embedded server: TTL indexes', () => {
  test('documents past their expiry are deleted by the periodic sweep', async () => {
    const client = await new MongoClient(server.uri).connect();
    try {
      const coll = client.db('ttl').collection('sessions');
      await coll.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      await coll.insertMany([
        { _id: 'old' as any, expiresAt: new Date(Date.now() - 1000) },
        { _id: 'new' as any, expiresAt: new Date(Date.now() + 3_600_000) },
        { _id: 'nodate' as any, expiresAt: 'not a date' },
      ]);
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline && (await coll.countDocuments({ _id: 'old' as any })) > 0) await new Promise((r) => setTimeout(r, 50));
      expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['new', 'nodate']);
    } finally {
      await client.close();
    }
  });
});
