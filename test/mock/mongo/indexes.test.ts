import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('idx');

describe('unique indexes and E11000', () => {
  test('a duplicate insert fails with 11000, keyPattern, keyValue and mongod’s message', async () => {
    const coll = f.db.collection('users');
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ email: 'a@x.cn' });
    const err = await rejection(coll.insertOne({ email: 'a@x.cn' }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.cn' });
    expect(err.message).toContain(`E11000 duplicate key error collection: ${f.db.databaseName}.users index: email_1 dup key: { email: "a@x.cn" }`);
  });

  test('a duplicate _id is E11000 on the _id_ index', async () => {
    const coll = f.db.collection('ids');
    await coll.insertOne({ _id: 5 as any });
    const err = await rejection(coll.insertOne({ _id: 5 as any }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ _id: 1 });
    expect(err.message).toContain('index: _id_ dup key: { _id: 5 }');
  });

  test('an ordered insertMany stops at the first duplicate and reports it in writeErrors', async () => {
    const coll = f.db.collection('ordered');
    await coll.createIndex({ code: 1 }, { unique: true });
    const err = await rejection(coll.insertMany([{ code: 1 }, { code: 1 }, { code: 2 }]));
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(err.insertedCount).toBe(1);
    expect(err.writeErrors[0].index).toBe(1);
    expect(err.writeErrors[0].code).toBe(11000);
    expect(err.writeErrors[0].errmsg).toContain('dup key: { code: 1 }');
    expect(await coll.countDocuments()).toBe(1);
  });

  test('the raw insert reply carries keyPattern and keyValue inside writeErrors', async () => {
    const coll = f.db.collection('rawdup');
    await coll.createIndex({ code: 1 }, { unique: true });
    const reply = await f.db.command({ insert: 'rawdup', documents: [{ code: 7 }, { code: 7 }] });
    expect(reply.n).toBe(1);
    expect(reply.writeErrors).toHaveLength(1);
    expect(reply.writeErrors[0]).toMatchObject({ index: 1, code: 11000, keyPattern: { code: 1 }, keyValue: { code: 7 } });
    const update = await f.db.command({ update: 'rawdup', updates: [{ q: { code: { $exists: false } }, u: { $set: { code: 7 } }, upsert: true }] });
    expect(update.writeErrors[0]).toMatchObject({ index: 0, code: 11000, keyPattern: { code: 1 }, keyValue: { code: 7 } });
  });

  test('an unordered insertMany inserts everything else', async () => {
    const coll = f.db.collection('unordered');
    await coll.createIndex({ code: 1 }, { unique: true });
    const err = await rejection(coll.insertMany([{ code: 1 }, { code: 1 }, { code: 2 }], { ordered: false }));
    expect(err.insertedCount).toBe(2);
    expect(err.writeErrors).toHaveLength(1);
    expect(await coll.countDocuments()).toBe(2);
  });

  test('an update that creates a duplicate fails and leaves the document unchanged', async () => {
    const coll = f.db.collection('updup');
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.insertMany([{ _id: 1 as any, code: 'a' }, { _id: 2 as any, code: 'b' }]);
    const err = await rejection(coll.updateOne({ _id: 2 as any }, { $set: { code: 'a' } }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ code: 'a' });
    expect(await coll.findOne({ _id: 2 as any })).toEqual({ _id: 2, code: 'b' });
  });

  test('findOneAndUpdate reports a duplicate key at top level', async () => {
    const coll = f.db.collection('famdup');
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.insertMany([{ _id: 1 as any, code: 'a' }, { _id: 2 as any, code: 'b' }]);
    const err = await rejection(coll.findOneAndUpdate({ _id: 2 as any }, { $set: { code: 'a' } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ code: 1 });
    expect(err.keyValue).toEqual({ code: 'a' });
  });

  test('a missing field counts as null: two documents without it collide', async () => {
    const coll = f.db.collection('nulls');
    await coll.createIndex({ phone: 1 }, { unique: true });
    await coll.insertOne({ name: 'first' });
    const err = await rejection(coll.insertOne({ name: 'second' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ phone: null });
  });

  test('compound unique indexes compare the whole key', async () => {
    const coll = f.db.collection('compound');
    await coll.createIndex({ shop: 1, day: -1 }, { unique: true });
    await coll.insertMany([{ shop: 's1', day: 1 }, { shop: 's1', day: 2 }, { shop: 's2', day: 1 }]);
    const err = await rejection(coll.insertOne({ shop: 's1', day: 2 }));
    expect(err.keyPattern).toEqual({ shop: 1, day: -1 });
    expect(err.keyValue).toEqual({ shop: 's1', day: 2 });
    expect(err.message).toContain('index: shop_1_day_-1 dup key: { shop: "s1", day: 2 }');
  });

  test('a unique sparse index ignores documents without the field', async () => {
    const coll = f.db.collection('sparse');
    await coll.createIndex({ openid: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ name: 'a' }, { name: 'b' }, { openid: 'o1' }]);
    expect((await rejection(coll.insertOne({ openid: 'o1' }))).code).toBe(11000);
    expect(await coll.countDocuments()).toBe(3);
  });

  test('a partial unique index only constrains documents matching its filter', async () => {
    const coll = f.db.collection('partial');
    await coll.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await coll.insertMany([{ code: 'x', active: false }, { code: 'x', active: false }, { code: 'x', active: true }]);
    expect((await rejection(coll.insertOne({ code: 'x', active: true }))).code).toBe(11000);
  });

  test('creating a unique index over existing duplicates fails', async () => {
    const coll = f.db.collection('lateunique');
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    expect((await rejection(coll.createIndex({ k: 1 }, { unique: true }))).code).toBe(11000);
  });

  test('multikey unique index: array elements are keys', async () => {
    const coll = f.db.collection('multikey');
    await coll.createIndex({ tags: 1 }, { unique: true });
    await coll.insertOne({ tags: ['a', 'b'] });
    expect((await rejection(coll.insertOne({ tags: ['c', 'b'] }))).code).toBe(11000);
    expect(await coll.findOne({ tags: 'a' }, { projection: { _id: 0 } })).toEqual({ tags: ['a', 'b'] });
  });
});

describe('queries on indexed fields', () => {
  test('equality, $in and $or over unique, sparse-multikey and partial indexes find exactly the matches', async () => {
    const coll = f.db.collection('lookups');
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.createIndex({ aliases: 1 }, { unique: true, sparse: true });
    await coll.createIndex({ username: 1 }, { unique: true, partialFilterExpression: { username: { $type: 'string' } } });
    await coll.insertMany([
      { _id: 1 as any, code: 'A', aliases: ['X1', 'X2'], username: 'alice' },
      { _id: 2 as any, code: 'B', username: 42 },
      { _id: 3 as any, code: 'C', aliases: ['X3'] },
      { _id: 4 as any, code: 'D', username: 'dan' },
    ]);
    const ids = async (filter: object) => (await coll.find(filter).toArray()).map((d) => d._id).sort();
    expect(await ids({ code: 'C' })).toEqual([3]);
    expect(await ids({ code: { $in: ['A', 'D', 'Z'] } })).toEqual([1, 4]);
    expect(await ids({ aliases: 'X2' })).toEqual([1]);
    expect(await ids({ aliases: { $in: ['X3', 'X1'] } })).toEqual([1, 3]);
    expect(await ids({ username: 'dan' })).toEqual([4]);
    expect(await ids({ username: 42 })).toEqual([2]);
    expect(await ids({ $or: [{ _id: 2 }, { code: 'C' }, { aliases: 'X1' }] })).toEqual([1, 2, 3]);
    expect(await ids({ code: { $in: ['A', 'B'] }, username: { $type: 'string' } })).toEqual([1]);
    expect(await ids({ username: null })).toEqual([3]);
  });
});

describe('index management', () => {
  test('listIndexes shows _id_ and created indexes with their options', async () => {
    const coll = f.db.collection('listing');
    await coll.createIndex({ a: 1 }, { unique: true });
    await coll.createIndex({ b: 1, c: -1 }, { name: 'bc', sparse: true });
    await coll.createIndex({ loc: '2dsphere' });
    const indexes = await coll.listIndexes().toArray();
    expect(indexes.map((i) => i.name)).toEqual(['_id_', 'a_1', 'bc', 'loc_2dsphere']);
    expect(indexes[1]).toMatchObject({ key: { a: 1 }, unique: true });
    expect(indexes[2]).toMatchObject({ key: { b: 1, c: -1 }, sparse: true });
    expect(indexes[3]).toMatchObject({ key: { loc: '2dsphere' } });
  });

  test('creating the same index twice is a no-op; same name with another key is an error', async () => {
    const coll = f.db.collection('twice');
    expect(await coll.createIndex({ a: 1 })).toBe('a_1');
    expect(await coll.createIndex({ a: 1 })).toBe('a_1');
    const err = await rejection(coll.createIndex({ b: 1 }, { name: 'a_1' }));
    expect(err.code).toBe(86);
    const optionsErr = await rejection(coll.createIndex({ a: 1 }, { unique: true }));
    expect(optionsErr.code).toBe(86);
    expect(optionsErr.message).toContain('An existing index has the same name as the requested index');
    const renamedErr = await rejection(coll.createIndex({ a: 1 }, { name: 'other_name' }));
    expect(renamedErr.code).toBe(85);
    expect(renamedErr.message).toContain('Index already exists with a different name: a_1');
  });

  test('dropIndex by name or key; dropIndexes drops all but _id_', async () => {
    const coll = f.db.collection('dropping');
    await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);
    await coll.dropIndex('a_1');
    await coll.dropIndex({ b: 1 } as any);
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'c_1']);
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    expect((await rejection(coll.dropIndex('nope'))).code).toBe(27);
  });

  test('listIndexes on a missing collection fails with NamespaceNotFound (26)', async () => {
    const err = await rejection(f.db.collection('never_created').listIndexes().toArray());
    expect(err.code).toBe(26);
  });

  test('after dropping a unique index, duplicates are accepted', async () => {
    const coll = f.db.collection('dropunique');
    await coll.createIndex({ k: 1 }, { unique: true });
    await coll.insertOne({ k: 1 });
    await coll.dropIndex('k_1');
    await coll.insertOne({ k: 1 });
    expect(await coll.countDocuments({ k: 1 })).toBe(2);
  });
});
