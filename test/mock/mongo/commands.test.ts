import { MongoClient } from 'mongodb';
import { uniqueDbName } from '../../helpers/mongo';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('cmds');

describe('server commands', () => {
  test('hello describes a writable primary of a replica set', async () => {
    const hello = await f.db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(typeof hello.setName).toBe('string');
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(17);
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
  });

  test('ping and buildInfo answer ok', async () => {
    expect((await f.db.admin().ping()).ok).toBe(1);
    const info = await f.db.admin().buildInfo();
    expect(typeof info.version).toBe('string');
  });

  test('an unknown command fails with CommandNotFound (59) and the connection keeps working', async () => {
    const err = await rejection(f.db.command({ noSuchCommandHere: 1 }));
    expect(err.code).toBe(59);
    expect(err.codeName).toBe('CommandNotFound');
    expect((await f.db.admin().ping()).ok).toBe(1);
  });

  test('a malformed filter is an error reply, not a dropped connection', async () => {
    const err = await rejection(f.db.collection('x').find({ a: { $unknownOperator: 1 } }).toArray());
    expect(err.code).toBeGreaterThan(0);
    expect(await f.db.collection('x').countDocuments()).toBe(0);
  });
});

describe('collections and databases', () => {
  test('create, listCollections (with filter and nameOnly), drop', async () => {
    await f.db.createCollection('alpha');
    await f.db.collection('beta').insertOne({ a: 1 });
    const names = (await f.db.listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(expect.arrayContaining(['alpha', 'beta']));
    expect((await f.db.listCollections({ name: 'alpha' }).toArray()).map((c) => c.name)).toEqual(['alpha']);
    expect((await f.db.listCollections({}, { nameOnly: true }).toArray()).every((c) => typeof c.name === 'string')).toBe(true);
    expect(await f.db.collection('alpha').drop()).toBe(true);
    expect((await f.db.listCollections({ name: 'alpha' }).toArray())).toEqual([]);
  });

  test('renaming a collection keeps its documents and indexes', async () => {
    const from = f.db.collection('before_rename');
    await from.createIndex({ code: 1 }, { unique: true });
    await from.insertMany([{ code: 'a' }, { code: 'b' }]);
    const renamed = await from.rename('after_rename');
    expect(await renamed.countDocuments()).toBe(2);
    expect((await renamed.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'code_1']);
    expect((await f.db.listCollections({ name: 'before_rename' }).toArray())).toEqual([]);
  });

  test('creating an existing collection fails with NamespaceExists (48)', async () => {
    await f.db.createCollection('twice');
    const err = await rejection(f.db.command({ create: 'twice' }));
    expect(err.code).toBe(48);
  });

  test('dropDatabase removes every collection; listDatabases shows databases with data', async () => {
    const client = f.client;
    const name = uniqueDbName('dropme');
    await client.db(name).collection('c').insertOne({ a: 1 });
    const listed = await client.db().admin().listDatabases();
    expect(listed.databases.map((d) => d.name)).toContain(name);
    await client.db(name).dropDatabase();
    expect(await client.db(name).listCollections().toArray()).toEqual([]);
  });
});

describe('connecting', () => {
  test('the URI works with a database name in its path (and, embedded, without directConnection)', async () => {
    const dbName = uniqueDbName('pathdb');
    const withPath = f.mongo.uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)\/?[^?]*/, `$1/${dbName}`);
    const uri = process.env.MONGODB_URI ? withPath : withPath.replace(/[?&]directConnection=true/, '');
    const client = await new MongoClient(uri).connect();
    try {
      expect(client.db().databaseName).toBe(dbName);
      await client.db().collection('c').insertOne({ ok: true });
      expect(await client.db().collection('c').countDocuments()).toBe(1);
      await client.db().dropDatabase();
    } finally {
      await client.close();
    }
  });

  test('unacknowledged writes (w: 0, moreToCome) are applied', async () => {
    const coll = f.db.collection('fireandforget');
    await coll.insertOne({ _id: 1 as any }, { writeConcern: { w: 0 } });
    let count = 0;
    for (let i = 0; i < 50 && count === 0; i++) {
      count = await coll.countDocuments();
      if (count === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(count).toBe(1);
  });
});
