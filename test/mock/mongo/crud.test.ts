import { ObjectId } from 'mongodb';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('crud');

describe('inserting and finding', () => {
  test('insertOne returns the _id the driver generated and findOne returns the document with _id first', async () => {
    const coll = f.db.collection('people');
    const { insertedId } = await coll.insertOne({ name: 'Li', age: 30 });
    const found = await coll.findOne({ _id: insertedId });
    expect(found).toEqual({ _id: insertedId, name: 'Li', age: 30 });
    expect(Object.keys(found!)[0]).toBe('_id');
  });

  test('a document given _id last is stored with _id first', async () => {
    const coll = f.db.collection('order');
    await coll.insertOne({ b: 1, a: 2, _id: 'k' as any });
    expect(Object.keys((await coll.findOne({ _id: 'k' as any }))!)).toEqual(['_id', 'b', 'a']);
  });

  test('comparison, logical, element, array and regex operators filter like MongoDB', async () => {
    const coll = f.db.collection('ops');
    await coll.insertMany([
      { _id: 1 as any, n: 1, tags: ['a', 'b'], s: 'apple', sub: { x: 1 } },
      { _id: 2 as any, n: 5, tags: ['b'], s: 'banana', sub: { x: 2 } },
      { _id: 3 as any, n: 10, s: 'cherry' },
      { _id: 4 as any, n: null, tags: [], s: 'Apricot' },
    ]);
    const ids = async (filter: object) => (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ n: { $gt: 1, $lte: 10 } })).toEqual([2, 3]);
    expect(await ids({ n: { $in: [1, 10] } })).toEqual([1, 3]);
    expect(await ids({ n: { $nin: [1, 10] } })).toEqual([2, 4]);
    expect(await ids({ n: { $ne: 5 } })).toEqual([1, 3, 4]);
    expect(await ids({ n: null })).toEqual([4]);
    expect(await ids({ tags: 'b' })).toEqual([1, 2]);
    expect(await ids({ tags: { $all: ['a', 'b'] } })).toEqual([1]);
    expect(await ids({ tags: { $size: 0 } })).toEqual([4]);
    expect(await ids({ tags: { $exists: false } })).toEqual([3]);
    expect(await ids({ 'sub.x': 2 })).toEqual([2]);
    expect(await ids({ s: /^ap/i })).toEqual([1, 4]);
    expect(await ids({ s: { $regex: 'an', $options: '' } })).toEqual([2]);
    expect(await ids({ $or: [{ n: 1 }, { s: 'cherry' }] })).toEqual([1, 3]);
    expect(await ids({ $and: [{ n: { $gte: 1 } }, { n: { $lt: 10 } }] })).toEqual([1, 2]);
    expect(await ids({ n: { $not: { $gt: 1 } } })).toEqual([1, 4]);
    expect(await ids({ $expr: { $gt: ['$n', 4] } })).toEqual([2, 3]);
    expect(await ids({ n: { $type: 'null' } })).toEqual([4]);
  });

  test('null matches a path that is missing in some array element', async () => {
    const coll = f.db.collection('nullpaths');
    await coll.insertMany([
      { _id: 1 as any, a: [{ b: 1 }, {}] },
      { _id: 2 as any, a: [{ b: 1 }, { b: 2 }] },
      { _id: 3 as any, a: { c: 1 } },
      { _id: 4 as any, a: [{ b: null }] },
    ]);
    const ids = async (filter: object) => (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ 'a.b': null })).toEqual([1, 3, 4]);
    expect(await ids({ 'a.b': { $ne: null } })).toEqual([2]);
    expect(await ids({ 'a.b': { $in: [null, 2] } })).toEqual([1, 2, 3, 4]);
  });

  test('sort, skip, limit and projection combine as in MongoDB', async () => {
    const coll = f.db.collection('paging');
    await coll.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i as any, n: i % 3, label: `L${i}`, extra: true })));
    const page = await coll.find({}, { projection: { label: 1, n: 1 } }).sort({ n: -1, _id: 1 }).skip(2).limit(3).toArray();
    expect(page).toEqual([
      { _id: 8, n: 2, label: 'L8' },
      { _id: 1, n: 1, label: 'L1' },
      { _id: 4, n: 1, label: 'L4' },
    ]);
    const excluded = await coll.findOne({ _id: 0 as any }, { projection: { extra: 0, _id: 0 } });
    expect(excluded).toEqual({ n: 0, label: 'L0' });
  });
});

describe('updating', () => {
  test('update operators change only what they name', async () => {
    const coll = f.db.collection('upd');
    await coll.insertOne({ _id: 'u' as any, n: 1, list: [1, 2, 3], nested: { a: 1, b: 2 }, gone: true });
    const result = await coll.updateOne(
      { _id: 'u' as any },
      { $inc: { n: 2 }, $push: { list: 4 }, $set: { 'nested.a': 9 }, $unset: { gone: '' }, $min: { low: 5 }, $mul: { 'nested.b': 3 } } as any,
    );
    expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await coll.findOne({ _id: 'u' as any })).toEqual({ _id: 'u', n: 3, list: [1, 2, 3, 4], nested: { a: 9, b: 6 }, low: 5 });
    await coll.updateOne({ _id: 'u' as any }, { $pull: { list: { $gte: 3 } }, $addToSet: { tagset: { $each: ['x', 'x', 'y'] } }, $rename: { low: 'high' } } as any);
    expect(await coll.findOne({ _id: 'u' as any })).toEqual({ _id: 'u', n: 3, list: [1, 2], nested: { a: 9, b: 6 }, tagset: ['x', 'y'], high: 5 });
  });

  test('an update that changes nothing reports matched 1, modified 0', async () => {
    const coll = f.db.collection('noop');
    await coll.insertOne({ _id: 1 as any, a: 1 });
    expect(await coll.updateOne({ _id: 1 as any }, { $set: { a: 1 } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  test('updateMany updates every match; updateOne only the first', async () => {
    const coll = f.db.collection('many');
    await coll.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]);
    expect(await coll.updateMany({ k: 1 }, { $set: { seen: true } })).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await coll.updateOne({ k: { $gte: 1 } }, { $set: { first: true } })).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await coll.countDocuments({ first: true })).toBe(1);
    expect(await coll.countDocuments({ seen: true })).toBe(2);
  });

  test('upsert takes _id and equality fields from the filter and applies $setOnInsert only on insert', async () => {
    const coll = f.db.collection('upsert');
    const first = await coll.updateOne(
      { _id: 'day-1' as any, shop: 's1', count: { $gte: 0 } },
      { $inc: { count: 1 }, $setOnInsert: { createdBy: 'scan' } },
      { upsert: true },
    );
    expect(first).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: 'day-1' });
    const second = await coll.updateOne(
      { _id: 'day-1' as any, shop: 's1' },
      { $inc: { count: 1 }, $setOnInsert: { createdBy: 'other' } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await coll.findOne({ _id: 'day-1' as any })).toEqual({ _id: 'day-1', shop: 's1', count: 2, createdBy: 'scan' });
  });

  test('an upsert without _id in the filter generates an ObjectId and keeps nested equality fields', async () => {
    const coll = f.db.collection('upsert2');
    const result = await coll.updateOne({ 'owner.code': 'A1', kind: { $eq: 'meter' } }, { $set: { v: 1 } }, { upsert: true });
    expect(result.upsertedId).toBeInstanceOf(ObjectId);
    expect(await coll.findOne({ _id: result.upsertedId! })).toEqual({ _id: result.upsertedId, owner: { code: 'A1' }, kind: 'meter', v: 1 });
  });

  test('replaceOne upsert takes _id from the filter', async () => {
    const coll = f.db.collection('replace');
    await coll.replaceOne({ _id: 7 as any }, { name: 'seven' }, { upsert: true });
    await coll.replaceOne({ _id: 7 as any }, { name: 'SEVEN', more: 1 });
    expect(await coll.find().toArray()).toEqual([{ _id: 7, name: 'SEVEN', more: 1 }]);
  });

  test('arrayFilters update only the matching array elements', async () => {
    const coll = f.db.collection('arrayfilters');
    await coll.insertOne({ _id: 1 as any, grades: [{ g: 80, ok: false }, { g: 95, ok: false }, { g: 99, ok: false }] });
    await coll.updateOne({ _id: 1 as any }, { $set: { 'grades.$[hi].ok': true } }, { arrayFilters: [{ 'hi.g': { $gte: 90 } }] });
    expect((await coll.findOne({ _id: 1 as any }))!.grades).toEqual([
      { g: 80, ok: false },
      { g: 95, ok: true },
      { g: 99, ok: true },
    ]);
  });

  test('the positional $ updates the first element the filter matched', async () => {
    const coll = f.db.collection('positional');
    await coll.insertOne({ _id: 1 as any, items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 1 }] });
    await coll.updateOne({ _id: 1 as any, 'items.sku': 'b' }, { $inc: { 'items.$.qty': 5 } });
    expect((await coll.findOne({ _id: 1 as any }))!.items).toEqual([{ sku: 'a', qty: 1 }, { sku: 'b', qty: 6 }]);
  });

  test('changing _id is refused with ImmutableField (66)', async () => {
    const coll = f.db.collection('immutable');
    await coll.insertOne({ _id: 1 as any, a: 1 });
    const err = await rejection(coll.updateOne({ _id: 1 as any }, { $set: { _id: 2 } }));
    expect(err.code).toBe(66);
  });

  test('$set of _id to its current value is allowed, and $setOnInsert may choose an upsert’s _id', async () => {
    const coll = f.db.collection('sameid');
    await coll.insertOne({ _id: 1 as any, a: 1 });
    expect(await coll.updateOne({ _id: 1 as any }, { $set: { _id: 1, a: 2 } })).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    const upsert = await coll.updateOne({ a: 99 }, { $setOnInsert: { _id: 'chosen' }, $set: { b: 1 } }, { upsert: true });
    expect(upsert.upsertedId).toBe('chosen');
    expect(await coll.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1, a: 2 }, { _id: 'chosen', a: 99, b: 1 }]);
  });

  test('an unknown update operator is rejected', async () => {
    const coll = f.db.collection('badop');
    await coll.insertOne({ _id: 1 as any });
    const err = await rejection(coll.updateOne({ _id: 1 as any }, { $frobnicate: { a: 1 } } as any));
    expect(err.code).toBe(9);
  });

  test('pipeline-style updates can compute from other fields', async () => {
    const coll = f.db.collection('pipeline');
    await coll.insertOne({ _id: 1 as any, a: 2, b: 3 });
    await coll.updateOne({ _id: 1 as any }, [{ $set: { sum: { $add: ['$a', '$b'] } } }]);
    expect(await coll.findOne({ _id: 1 as any })).toEqual({ _id: 1, a: 2, b: 3, sum: 5 });
  });
});

describe('findAndModify and deleting', () => {
  test('findOneAndUpdate returns the document before or after, honouring sort', async () => {
    const coll = f.db.collection('fam');
    await coll.insertMany([{ _id: 1 as any, q: 1, v: 'a' }, { _id: 2 as any, q: 1, v: 'b' }]);
    const before = await coll.findOneAndUpdate({ q: 1 }, { $set: { v: 'z' } }, { sort: { _id: -1 }, returnDocument: 'before' });
    expect(before).toEqual({ _id: 2, q: 1, v: 'b' });
    const after = await coll.findOneAndUpdate({ _id: 1 as any }, { $set: { v: 'y' } }, { returnDocument: 'after', projection: { v: 1, _id: 0 } });
    expect(after).toEqual({ v: 'y' });
    expect(await coll.findOneAndUpdate({ _id: 9 as any }, { $set: { v: 'x' } })).toBeNull();
  });

  test('findOneAndUpdate with upsert inserts and returns the new document', async () => {
    const coll = f.db.collection('famupsert');
    const doc = await coll.findOneAndUpdate({ code: 'c1' }, { $setOnInsert: { n: 0 }, $set: { at: 1 } }, { upsert: true, returnDocument: 'after' });
    expect(doc).toMatchObject({ code: 'c1', n: 0, at: 1 });
    const raw = await coll.findOneAndUpdate({ code: 'c2' }, { $set: { at: 2 } }, { upsert: true, includeResultMetadata: true });
    expect(raw.value).toBeNull();
    expect(raw.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(raw.lastErrorObject!.upserted).toBeInstanceOf(ObjectId);
  });

  test('findOneAndReplace and findOneAndDelete', async () => {
    const coll = f.db.collection('famreplace');
    await coll.insertOne({ _id: 1 as any, a: 1 });
    expect(await coll.findOneAndReplace({ _id: 1 as any }, { b: 2 }, { returnDocument: 'after' })).toEqual({ _id: 1, b: 2 });
    expect(await coll.findOneAndDelete({ b: 2 })).toEqual({ _id: 1, b: 2 });
    expect(await coll.countDocuments()).toBe(0);
  });

  test('deleteOne removes one match, deleteMany all', async () => {
    const coll = f.db.collection('del');
    await coll.insertMany([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await coll.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await coll.deleteMany({ k: 1 })).deletedCount).toBe(2);
    expect((await coll.deleteMany({ k: 3 })).deletedCount).toBe(0);
    expect(await coll.countDocuments()).toBe(1);
  });

  test('bulkWrite mixes operations and reports each count', async () => {
    const coll = f.db.collection('bulk');
    const result = await coll.bulkWrite([
      { insertOne: { document: { _id: 1 as any, v: 1 } } },
      { insertOne: { document: { _id: 2 as any, v: 2 } } },
      { updateOne: { filter: { _id: 1 as any }, update: { $set: { v: 10 } } } },
      { updateOne: { filter: { _id: 3 as any }, update: { $set: { v: 3 } }, upsert: true } },
      { deleteOne: { filter: { _id: 2 as any } } },
    ]);
    expect(result).toMatchObject({ insertedCount: 2, matchedCount: 1, modifiedCount: 1, upsertedCount: 1, deletedCount: 1 });
    expect(await coll.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1, v: 10 }, { _id: 3, v: 3 }]);
  });
});
