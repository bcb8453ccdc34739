/**
 * The real `mongodb` driver's retry (retryable-writes spec): a TCP proxy between the driver and
 * the server drops the connection of the first reply to an insert into a marked collection, so
 * the server has applied the write but the driver sees a network error and sends the insert
 * again with the same lsid and txnNumber. Runs against a real MongoDB too (MONGODB_URI): the
 * proxy connects straight to its first host.
 */
import net from 'node:net';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { testMongo, uniqueDbName, type TestMongo } from '../../helpers/mongo';
import { rejection } from './fixture';

const MARK = Buffer.from('drop_first_reply');

/** Splits a byte stream into wire-protocol messages (each starts with its int32 length). */
function messageSplitter(onMessage: (message: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
      const length = pending.readInt32LE(0);
      onMessage(pending.subarray(0, length));
      pending = pending.subarray(length);
    }
  };
}

interface FaultProxy {
  port: number;
  /** How many replies it has swallowed (closing their connection). */
  dropped: number;
  close(): Promise<void>;
}

/** Forwards bytes; the first reply to a message naming MARK is not delivered: the connection is cut instead. */
async function startFaultProxy(host: string, port: number): Promise<FaultProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: FaultProxy = { port: 0, dropped: 0, close: async () => undefined };
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    sockets.add(client).add(upstream);
    let armed = false;
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', messageSplitter((message) => {
      if (proxy.dropped === 0 && message.includes(MARK)) armed = true;
      upstream.write(message);
    }));
    upstream.on('data', messageSplitter((message) => {
      if (armed && proxy.dropped === 0) {
        proxy.dropped++;
        cut();
        return;
      }
      if (!client.destroyed) client.write(message);
    }));
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as net.AddressInfo).port;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

/** host and port of the server a URI names first. */
function firstHost(uri: string): { host: string; port: number } {
  const [host, port] = uri.replace(/^mongodb:\/\//, '').split(/[/?,]/)[0].split('@').pop()!.split(':');
  return { host, port: Number(port ?? 27017) };
}

let mongo: TestMongo;
let direct: MongoClient;
let proxy: FaultProxy;
const dbName = uniqueDbName('retrydrv');

beforeAll(async () => {
  mongo = await testMongo();
  direct = await new MongoClient(mongo.uri).connect();
});
beforeEach(async () => {
  const { host, port } = firstHost(mongo.uri);
  proxy = await startFaultProxy(host, port);
});
afterEach(() => proxy.close());
afterAll(async () => {
  await direct.db(dbName).dropDatabase();
  await direct.close();
  await mongo.stop();
});

function clientThroughProxy(retryWrites: boolean): MongoClient {
  return new MongoClient(`mongodb://127.0.0.1:${proxy.port}/?directConnection=true&retryWrites=${retryWrites}`, { serverSelectionTimeoutMS: 10_000 });
}

describe('the driver retrying a write whose reply was lost', () => {
  test('insertOne succeeds on the retry and the document exists once', async () => {
    const client = await clientThroughProxy(true).connect();
    try {
      await client.db(dbName).collection(MARK.toString()).insertOne({ _id: 'once' as any, at: 1 });
      expect(proxy.dropped).toBe(1);
    } finally {
      await client.close();
    }
    expect(await direct.db(dbName).collection(MARK.toString()).countDocuments({ _id: 'once' as any })).toBe(1);
  });

  test('findOneAndUpdate with $inc succeeds on the retry, returns the first result and increments once', async () => {
    const collection = `${MARK}_seq`;
    await direct.db(dbName).collection(collection).insertOne({ _id: 'seq' as any, next: 1 });
    const client = await clientThroughProxy(true).connect();
    try {
      const doc = await client.db(dbName).collection(collection).findOneAndUpdate({ _id: 'seq' as any }, { $inc: { next: 1 } }, { returnDocument: 'after' });
      expect(proxy.dropped).toBe(1);
      expect(doc).toEqual({ _id: 'seq', next: 2 });
    } finally {
      await client.close();
    }
    expect((await direct.db(dbName).collection(collection).findOne({ _id: 'seq' as any }))!.next).toBe(2);
  });

  test('an ordered bulkWrite of inserts, an upsert and a deleteOne succeeds on the retry with each applied once', async () => {
    const collection = `${MARK}_bulk`;
    await direct.db(dbName).collection(collection).insertMany([{ _id: 'gone' as any }, { _id: 'kept' as any }]);
    const client = await clientThroughProxy(true).connect();
    try {
      const result = await client.db(dbName).collection(collection).bulkWrite([
        { insertOne: { document: { _id: 'b1' as any } } },
        { insertOne: { document: { _id: 'b2' as any } } },
        { updateOne: { filter: { _id: 'b3' as any }, update: { $inc: { n: 1 } }, upsert: true } },
        { deleteOne: { filter: { _id: { $in: ['gone', 'kept'] } as any } } },
      ]);
      expect(proxy.dropped).toBe(1);
      expect([result.insertedCount, result.upsertedCount, result.deletedCount]).toEqual([2, 1, 1]);
    } finally {
      await client.close();
    }
    const ids = (await direct.db(dbName).collection(collection).find().sort({ _id: 1 }).toArray()).map((d) => [d._id, d.n]);
    expect(ids).toEqual([['b1', undefined], ['b2', undefined], ['b3', 1], ['kept', undefined]]);
  });

  test('a mongoose Model.create whose reply is lost is retried and stored once (the bench’s E11000)', async () => {
    const connection = await mongoose.createConnection(`mongodb://127.0.0.1:${proxy.port}/?directConnection=true`, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
    try {
      const Reading = connection.model('Reading', new mongoose.Schema({ code: String }), `${MARK}_mongoose`);
      const created = await Reading.create({ code: 'R-1' });
      expect(proxy.dropped).toBe(1);
      expect(await direct.db(dbName).collection(`${MARK}_mongoose`).countDocuments({ _id: created._id })).toBe(1);
    } finally {
      await connection.close();
    }
  });

  test('without retryWrites the same lost reply is a network error, though the write was applied', async () => {
    const collection = `${MARK}_noretry`;
    const client = await clientThroughProxy(false).connect();
    try {
      const err = await rejection(client.db(dbName).collection(collection).insertOne({ _id: 'lost' as any }));
      expect(err.name).toMatch(/MongoNetwork/);
    } finally {
      await client.close();
    }
    expect(await direct.db(dbName).collection(collection).countDocuments()).toBe(1);
  });
});
