/**
 * What mongoose sends in ordinary use (subdocument pulls, timestamps on array elements, Mixed
 * paths) and the update, filter and projection edge cases around it, answered as mongod 7 does.
 */
import mongoose, { Schema, type Connection } from 'mongoose';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('divergences');
let conn: Connection;

const instrumentSchema = new Schema({ serial: String }, { timestamps: true });
const labelSchema = new Schema({ text: String, lang: String }, { _id: false });
const shopSchema = new Schema({ code: String, instruments: [instrumentSchema], labels: [labelSchema] });

beforeAll(async () => {
  conn = await mongoose.createConnection(f.mongo.uri, { dbName: f.db.databaseName }).asPromise();
  conn.model('Shop', shopSchema);
});
afterAll(() => conn.close());

/** A fresh collection holding `docs`, for the raw-driver cases. */
async function seeded(name: string, docs: object[]) {
  const coll = f.db.collection<any>(name);
  await coll.insertMany(docs as never[]);
  return coll;
}

describe('$pull with a condition', () => {
  test('doc.arr.pull(subdoc) removes the subdocuments mongoose names', async () => {
    const Shop = conn.model('Shop');
    const shop = await Shop.create({ code: 'P1', instruments: [{ serial: 'a' }, { serial: 'b' }, { serial: 'c' }] });
    const [first, second] = shop.get('instruments');
    shop.get('instruments').pull(first, second);
    await shop.save();
    const stored = await Shop.findById(shop._id).lean<any>();
    expect(stored.instruments.map((i: any) => i.serial)).toEqual(['c']);
  });

  test('pulling subdocuments without _id sends their fields as an $or, and removes them', async () => {
    const Shop = conn.model('Shop');
    const shop = await Shop.create({ code: 'P2', labels: [{ text: '秤', lang: 'zh' }, { text: 'scale', lang: 'en' }, { text: 'pump', lang: 'en' }] });
    shop.get('labels').pull(shop.get('labels')[0], shop.get('labels')[2]);
    await shop.save();
    const stored = await Shop.findById(shop._id).lean<any>();
    expect(stored.labels).toEqual([{ text: 'scale', lang: 'en' }]);
  });

  test('a document condition is a query on each element, an operator condition tests the value', async () => {
    const coll = await seeded('pull', [
      { _id: 1, arr: [{ k: 'a', n: 1 }, { k: 'b', n: 2 }, { k: 'c', n: 3 }], nums: [1, 4, 6, 'x'] },
    ]);
    await coll.updateOne({ _id: 1 }, { $pull: { arr: { $or: [{ k: 'a' }, { n: { $gte: 3 } }] } as never, nums: { $gte: 4 } as never } });
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, arr: [{ k: 'b', n: 2 }], nums: [1, 'x'] });
    await coll.updateOne({ _id: 1 }, { $pull: { arr: { k: { $in: ['b'] } } as never } });
    expect((await coll.findOne({ _id: 1 }))!.arr).toEqual([]);
  });

  test('an element that is not a document never matches a document condition', async () => {
    const coll = await seeded('pullmixed', [{ _id: 1, arr: [1, { n: 1 }, 'n'] }]);
    await coll.updateOne({ _id: 1 }, { $pull: { arr: { n: { $exists: true } } as never } });
    expect((await coll.findOne({ _id: 1 }))!.arr).toEqual([1, 'n']);
  });
});

describe('several fields of one array element', () => {
  test('saving a changed subdocument with timestamps updates it in place', async () => {
    const Shop = conn.model('Shop');
    const shop = await Shop.create({ code: 'T1', instruments: [{ serial: 'a' }, { serial: 'b' }] });
    await Shop.updateOne({ _id: shop._id, 'instruments._id': shop.get('instruments')[1]._id }, { $set: { 'instruments.$.serial': 'B' } });
    const stored = await Shop.findById(shop._id).lean<any>();
    expect(stored.instruments.map((i: any) => i.serial)).toEqual(['a', 'B']);
    expect(stored.instruments[1].updatedAt.getTime()).toBeGreaterThanOrEqual(stored.instruments[0].updatedAt.getTime());
  });

  test('$, $[] and $[id] may each set two sibling fields', async () => {
    const coll = await seeded('siblings', [{ _id: 1, arr: [{ k: 'a' }, { k: 'b' }] }]);
    await coll.updateOne({ _id: 1, 'arr.k': 'b' }, { $set: { 'arr.$.x': 1, 'arr.$.y': 2 } });
    await coll.updateOne({ _id: 1 }, { $set: { 'arr.$[].seen': true, 'arr.$[].n': 0 } });
    await coll.updateOne({ _id: 1 }, { $set: { 'arr.$[e].n': 5, 'arr.$[e].m': 6 } }, { arrayFilters: [{ 'e.k': 'a' }] });
    expect((await coll.findOne({ _id: 1 }))!.arr).toEqual([
      { k: 'a', seen: true, n: 5, m: 6 },
      { k: 'b', x: 1, y: 2, seen: true, n: 0 },
    ]);
  });

  test('a path that is a prefix of another conflicts (code 40)', async () => {
    const coll = await seeded('conflict', [{ _id: 1, a: { b: 1 }, arr: [{ k: 1 }] }]);
    expect((await rejection(coll.updateOne({ _id: 1 }, { $set: { a: 1 }, $unset: { 'a.b': 1 } }))).code).toBe(40);
    expect((await rejection(coll.updateOne({ _id: 1 }, { $set: { a: 1 }, $inc: { a: 1 } }))).code).toBe(40);
    expect((await rejection(coll.updateOne({ _id: 1, 'arr.k': 1 }, { $set: { 'arr.$': {}, 'arr.$.k': 2 } }))).code).toBe(40);
    expect((await rejection(coll.updateOne({ _id: 1 }, { $set: { 'arr.$[].k': 2, 'arr.0.k': 3 } }))).code).toBe(40);
  });
});

describe('filters', () => {
  test('$elemMatch may test the elements themselves with operators', async () => {
    const coll = await seeded('elem', [{ _id: 1, arr: [1, 4, 9] }, { _id: 2, arr: [1, 9] }]);
    const found = await coll.find({ arr: { $elemMatch: { $gte: 3, $lt: 5 } } }).toArray();
    expect(found.map((d) => d._id)).toEqual([1]);
  });

  test('$elemMatch with a field query matches only document elements', async () => {
    const coll = await seeded('elemdocs', [{ _id: 1, arr: ['x', { t: 'y' }] }, { _id: 2, arr: [{ t: 'x' }] }]);
    const ids = async (filter: object) => (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ arr: { $elemMatch: { t: 'x' } } })).toEqual([2]);
    expect(await ids({ arr: { $elemMatch: { t: { $exists: false } } } })).toEqual([]);
    expect(await ids({ arr: { $elemMatch: { $eq: 'x' } } })).toEqual([1]);
  });

  test('$all on a field that is not an array matches the value itself', async () => {
    const coll = await seeded('all', [{ _id: 1, a: 'x' }, { _id: 2, a: ['x', 'y'] }, { _id: 3, a: 'y' }]);
    const ids = async (filter: object) => (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ a: { $all: ['x'] } })).toEqual([1, 2]);
    expect(await ids({ a: { $all: ['x', 'y'] } })).toEqual([2]);
  });
});

describe('projection', () => {
  test('a projection of only $slice keeps every other field', async () => {
    const coll = await seeded('slice', [{ _id: 1, name: 'n', arr: [1, 2, 3, 4], sub: { x: 1 } }]);
    expect(await coll.findOne({ _id: 1 }, { projection: { arr: { $slice: 2 } } })).toEqual({ _id: 1, name: 'n', arr: [1, 2], sub: { x: 1 } });
    expect(await coll.findOne({ _id: 1 }, { projection: { arr: { $slice: -1 }, sub: 0 } })).toEqual({ _id: 1, name: 'n', arr: [4] });
    expect(await coll.findOne({ _id: 1 }, { projection: { arr: { $slice: [1, 2] }, name: 1 } })).toEqual({ _id: 1, name: 'n', arr: [2, 3] });
  });
});

describe('update operators refuse what mongod refuses', () => {
  const base = { _id: 1, s: 'x', n: 1, arr: [{ k: 1 }, { k: 2 }], nums: [1, 2] };
  const code = async (update: object, options: object = {}) => {
    const coll = f.db.collection<any>('refuse');
    await coll.deleteMany({});
    await coll.insertOne({ ...base } as never);
    const err = await rejection(coll.updateOne({ _id: 1 } as never, update, options));
    expect(await coll.findOne({ _id: 1 } as never)).toEqual(base);
    return err.code;
  };

  test('array operators on a field that is not an array', async () => {
    expect(await code({ $push: { s: 1 } })).toBe(2);
    expect(await code({ $addToSet: { s: 1 } })).toBe(2);
    expect(await code({ $pull: { s: 1 } })).toBe(2);
    expect(await code({ $pullAll: { s: [1] } })).toBe(2);
    expect(await code({ $pop: { s: 1 } })).toBe(14);
  });

  test('arithmetic on a value that is not a number, or with an operand that is not one', async () => {
    expect(await code({ $inc: { s: 1 } })).toBe(14);
    expect(await code({ $mul: { s: 2 } })).toBe(14);
    expect(await code({ $inc: { n: 'a' } })).toBe(14);
    expect(await code({ $bit: { s: { and: 1 } } })).toBe(2);
  });

  test('a path through an array or a scalar without a position is not viable (code 28)', async () => {
    expect(await code({ $set: { 'arr.x': 1 } })).toBe(28);
    expect(await code({ $set: { 's.x': 1 } })).toBe(28);
    expect(await code({ $inc: { 'n.x': 1 } })).toBe(28);
    expect(await code({ $push: { 'arr.k': 1 } })).toBe(28);
  });

  test('empty, broken and misplaced field names', async () => {
    expect(await code({ $set: { '': 1 } })).toBe(56);
    expect(await code({ $set: { 'a..b': 1 } })).toBe(56);
    expect(await code({ $set: { 'a.': 1 } })).toBe(56);
    expect(await code({ $set: { $x: 1 } })).toBe(52);
    expect(await code({ $set: { '$.a': 1 } })).toBe(2);
    expect(await code({ $set: { 'arr.$.k': 1 } })).toBe(2);
    expect(await code({ $set: { 'arr.$[e].k': 1 } })).toBe(2);
    expect(await code({ $set: { 'arr.$[].k': 1 } }, { arrayFilters: [{ 'e.k': 1 }] })).toBe(9);
    expect(await code({ $set: 1 })).toBe(9);
  });

  test('$rename of array elements and onto its own path', async () => {
    expect(await code({ $rename: { 'arr.0.k': 'k' } })).toBe(2);
    expect(await code({ $rename: { n: 'n' } })).toBe(2);
    expect(await code({ $rename: { n: 'n.m' } })).toBe(2);
    expect(await code({ $rename: { n: 5 } })).toBe(2);
  });

  test('$pop takes 1 or -1 and $push modifiers are checked', async () => {
    expect(await code({ $pop: { nums: 2 } })).toBe(9);
    expect(await code({ $push: { nums: { $each: 3 } } })).toBe(2);
  });
});

describe('update operators accept what mongod accepts', () => {
  test('an empty operator is a no-op and nested $-prefixed names may be set', async () => {
    const coll = await seeded('accept', [{ _id: 1, a: { b: 1 } }]);
    const noop = await coll.updateOne({ _id: 1 }, { $set: {} });
    expect(noop).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    await coll.updateOne({ _id: 1 }, { $set: { 'a.$price': 5, meta: { $tag: 'x' } } });
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, a: { b: 1, $price: 5 }, meta: { $tag: 'x' } });
  });

  test('an insert may hold $-prefixed field names, top-level and nested', async () => {
    const coll = f.db.collection<any>('dollarinsert');
    await coll.insertOne({ _id: 1, $price: 5, location: { $db: 'novels', $inc: true } });
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, $price: 5, location: { $db: 'novels', $inc: true } });
  });

  test('an upsert inserts a top-level $-prefixed field that an update of a match refuses', async () => {
    const coll = f.db.collection<any>('dollarupsert');
    await coll.updateOne({ day: 'd1' }, { $set: { $hotel: 1 } }, { upsert: true });
    expect(await coll.findOne({ day: 'd1' }, { projection: { _id: 0 } })).toEqual({ day: 'd1', $hotel: 1 });
    expect((await rejection(coll.updateOne({ day: 'd1' }, { $set: { $hotel: 2 } }))).code).toBe(52);
  });

  test('unsetting or pulling through a missing or scalar path changes nothing', async () => {
    const coll = await seeded('noops', [{ _id: 1, s: 'x', arr: [{ k: 1 }] }]);
    const result = await coll.updateOne({ _id: 1 }, { $unset: { 's.x': 1, 'arr.x': 1, 'q.r': 1 }, $pull: { 'm.n': 1 } as never, $pop: { 'z.y': 1 } });
    expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  test('new fields are added in field-name order, array slots past the end are null-filled', async () => {
    const coll = await seeded('order', [{ _id: 1, nums: [1] }]);
    await coll.updateOne({ _id: 1 }, { $set: { z: 1, a: 1, 'nums.3': 4 }, $inc: { m: 2 } });
    const stored = await coll.findOne({ _id: 1 });
    expect(Object.keys(stored!)).toEqual(['_id', 'nums', 'a', 'm', 'z']);
    expect(stored!.nums).toEqual([1, null, null, 4]);
  });

  test('$unset of an array element leaves null in its place', async () => {
    const coll = await seeded('unsetarr', [{ _id: 1, nums: [1, 2, 3] }]);
    await coll.updateOne({ _id: 1 }, { $unset: { 'nums.1': 1 } });
    expect((await coll.findOne({ _id: 1 }))!.nums).toEqual([1, null, 3]);
  });
});

describe('the other operators, as mongod applies them', () => {
  test('$push with $each, $position, $sort and $slice; $addToSet with $each', async () => {
    const coll = await seeded('pushmods', [{ _id: 1, nums: [5, 1], docs: [{ n: 2 }], set: ['a'] }]);
    await coll.updateOne({ _id: 1 }, { $push: { nums: { $each: [9, 0], $position: 1 } } } as never);
    expect((await coll.findOne({ _id: 1 }))!.nums).toEqual([5, 9, 0, 1]);
    await coll.updateOne({ _id: 1 }, { $push: { nums: { $each: [3], $sort: -1, $slice: 3 }, docs: { $each: [{ n: 1 }, { n: 3 }], $sort: { n: 1 } } } } as never);
    await coll.updateOne({ _id: 1 }, { $addToSet: { set: { $each: ['a', 'b', 'b'] } } });
    const stored = await coll.findOne({ _id: 1 });
    expect(stored).toMatchObject({ nums: [9, 5, 3], docs: [{ n: 1 }, { n: 2 }, { n: 3 }], set: ['a', 'b'] });
  });

  test('$currentDate, $bit, $min and $max', async () => {
    const coll = await seeded('misc', [{ _id: 1, flags: 5, low: 'm', when: new Date('2020-01-01') }]);
    const before = Date.now();
    await coll.updateOne({ _id: 1 }, { $currentDate: { seen: true, stamp: { $type: 'timestamp' } }, $bit: { flags: { and: 4, or: 2 } }, $min: { low: 'b' }, $max: { when: new Date('2021-01-01'), fresh: 1 } } as never);
    const stored = (await coll.findOne({ _id: 1 }))!;
    expect(stored.seen.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(stored.stamp._bsontype).toBe('Timestamp');
    expect(stored).toMatchObject({ flags: 6, low: 'b', when: new Date('2021-01-01'), fresh: 1 });
  });
});

