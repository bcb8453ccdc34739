/**
 * Empty arrays in indexes as mongod keys them (as `undefined`: a sparse index keeps them, so a
 * unique sparse index admits one `[]`), and ranges, anchored regexes and sorts answered through
 * an index returning what a collection scan returns (type bracketing, multikey arrays, null).
 */
import mongoose from 'mongoose';
import type { Collection, Document, Filter, Sort } from 'mongodb';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('index_ranges');

describe('empty arrays in indexes', () => {
  it('a unique sparse index admits one document with [] and refuses a second (E11000)', async () => {
    const coll = f.db.collection('sparse_empty');
    await coll.createIndex({ codes: 1 }, { unique: true, sparse: true });
    await coll.insertOne({ _id: 1 as never, codes: [] });
    await coll.insertOne({ _id: 2 as never });
    await coll.insertOne({ _id: 3 as never });
    const err = await rejection(coll.insertOne({ _id: 4 as never, codes: [] }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ codes: 1 });
  });

  it('a missing field and [] are different keys under a unique index', async () => {
    const coll = f.db.collection('unique_empty');
    await coll.createIndex({ codes: 1 }, { unique: true });
    await coll.insertOne({ _id: 1 as never });
    await coll.insertOne({ _id: 2 as never, codes: [] });
    expect((await rejection(coll.insertOne({ _id: 3 as never, codes: null }))).code).toBe(11000);
    expect((await rejection(coll.insertOne({ _id: 4 as never, codes: [] }))).code).toBe(11000);
  });

  it('the product model (externalCodes: [String] default [] under unique sparse) refuses a second instrument without codes', async () => {
    const conn = await mongoose.createConnection(f.mongo.uri, { dbName: f.db.databaseName }).asPromise();
    try {
      const schema = new mongoose.Schema({ code: String, externalCodes: { type: [String], default: [] } });
      schema.index({ externalCodes: 1 }, { unique: true, sparse: true });
      const Instrument = conn.model('Instrument', schema, 'model_instruments');
      await Instrument.init();
      await Instrument.create({ code: 'A' });
      expect((await rejection(Instrument.create({ code: 'B' }))).code).toBe(11000);
    } finally {
      await conn.close();
    }
  });

  it('{a: null} does not match [] and {a: []} does, with or without an index', async () => {
    const docs = [{ _id: 1, a: [] }, { _id: 2, a: null }, { _id: 3 }, { _id: 4, a: [null] }, { _id: 5, a: [[]] }, { _id: 6, a: 1 }];
    const indexed = f.db.collection('null_indexed');
    const sparse = f.db.collection('null_sparse');
    const plain = f.db.collection('null_plain');
    await indexed.createIndex({ a: 1 });
    await sparse.createIndex({ a: 1 }, { sparse: true });
    for (const coll of [indexed, sparse, plain]) await coll.insertMany(docs.map((d) => ({ ...d })) as never);
    for (const coll of [indexed, sparse, plain]) {
      const ids = async (filter: Filter<Document>) => (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(await ids({ a: null })).toEqual([2, 3, 4]);
      expect(await ids({ a: [] })).toEqual([1, 5]);
      expect(await ids({ a: { $exists: true } })).toEqual([1, 2, 4, 5, 6]);
    }
  });
});

/** Instrument-like documents with a mix of types in `v` and arrays in `tags`. */
function rangeDocuments(): Document[] {
  const values: unknown[] = [1, 2, 2.5, 10, -3, '1', '10', 'abc', 'abd', 'ab', 'b', 'ABC', null, new Date(1000), true, [], { x: 1 }];
  return Array.from({ length: 120 }, (_, i) => {
    const doc: Document = { _id: i, region: `37${String(i % 7).padStart(2, '0')}${String(i % 5).padStart(2, '0')}`, code: `C${(i * 37) % 120}`, n: (i * 13) % 17 };
    if (i % 11 !== 0) doc.v = values[i % values.length];
    doc.tags = i % 3 === 0 ? [i % 4, 20 + (i % 3)] : i % 4;
    return doc;
  });
}

describe('ranges, prefix regexes and sorts through an index', () => {
  let indexed: Collection;
  let plain: Collection;

  beforeAll(async () => {
    indexed = f.db.collection('ranges_indexed');
    plain = f.db.collection('ranges_plain');
    await indexed.createIndex({ region: 1, n: 1 });
    await indexed.createIndex({ code: 1 }, { unique: true });
    await indexed.createIndex({ v: 1 });
    await indexed.createIndex({ tags: 1 });
    await indexed.createIndex({ n: -1, code: 1 });
    const docs = rangeDocuments();
    await indexed.insertMany(docs.map((d) => ({ ...d })));
    await plain.insertMany(docs.map((d) => ({ ...d })));
  });

  async function expectSame(filter: Filter<Document>, sort: Sort = { _id: 1 }, skip = 0, limit = 0): Promise<Document[]> {
    const run = (coll: Collection) => coll.find(filter, { sort, skip, limit }).toArray();
    const found = await run(indexed);
    expect(found).toEqual(await run(plain));
    expect(await indexed.countDocuments(filter)).toBe(await plain.countDocuments(filter));
    return found;
  }

  it('a range stays within its type: $gt on a number never matches a string, a date or null', async () => {
    const found = await expectSame({ v: { $gt: 2 } });
    expect(found.map((d) => d.v)).toEqual(expect.arrayContaining([2.5, 10]));
    expect(found.every((d) => typeof d.v === 'number')).toBe(true);
    await expectSame({ v: { $gte: 2, $lt: 10 } });
    await expectSame({ v: { $lte: 'ab' } });
    await expectSame({ v: { $gt: 'ab', $lte: 'b' } });
    await expectSame({ v: { $gt: new Date(0) } });
    await expectSame({ v: { $gte: null } });
    await expectSame({ v: { $lt: null } });
    await expectSame({ v: { $gt: 5, $lt: 'z' } });
  });

  it('an anchored regex is a range of strings; flags, alternations and unanchored patterns still match as regexes', async () => {
    expect((await expectSame({ region: /^3701/ })).length).toBeGreaterThan(0);
    await expectSame({ region: { $regex: '^370' } });
    await expectSame({ v: /^ab/ });
    await expectSame({ v: /^ab/i });
    await expectSame({ v: /^a|b/ });
    await expectSame({ v: /^ab?c/ });
    await expectSame({ v: /bc/ });
    await expectSame({ $and: [{ region: /^37/ }, { region: /^3702/ }] });
  });

  it('a range on a multikey field matches a document whose elements meet the bounds separately', async () => {
    const found = await expectSame({ tags: { $gt: 1, $lt: 20 } });
    expect(found.some((d) => Array.isArray(d.tags))).toBe(true);
    await expectSame({ tags: { $gte: 21 } });
  });

  it('a sorted page with skip and limit walks an index in order and equals the scan', async () => {
    await expectSame({ region: /^3701/ }, { code: 1 }, 2, 5);
    await expectSame({ region: /^370/ }, { code: -1 }, 40, 20);
    await expectSame({ region: '370102' }, { n: 1, _id: 1 }, 0, 3);
    await expectSame({}, { n: -1, code: 1 }, 10, 10);
    await expectSame({ n: { $gte: 3 } }, { n: 1, code: -1 }, 0, 7);
    await expectSame({ n: 5 }, { code: 1 });
  });
});

describe('a partial index serves a query that states its filter', () => {
  it('external codes: {externalCodes: x, "externalCodes.0": {$exists: true}} equals the scan, $in and [] included', async () => {
    const indexed = f.db.collection('partial_indexed');
    const plain = f.db.collection('partial_plain');
    const hasCodes = { 'externalCodes.0': { $exists: true } };
    await indexed.createIndex({ externalCodes: 1 }, { unique: true, partialFilterExpression: hasCodes });
    const docs = Array.from({ length: 30 }, (_, i) => ({ _id: i, externalCodes: i % 3 === 0 ? [] : [`E${i}`, `F${i}`] }));
    for (const coll of [indexed, plain]) await coll.insertMany(docs.map((d) => ({ ...d })) as never);
    for (const filter of [
      { externalCodes: 'E4', ...hasCodes },
      { externalCodes: { $in: ['F5', 'E7', 'nobody'] }, ...hasCodes },
      { externalCodes: { $gte: 'F2' }, ...hasCodes },
      { externalCodes: /^E1/, ...hasCodes },
      { externalCodes: [] },
      { externalCodes: 'E4' },
    ] as Filter<Document>[]) {
      const run = (coll: Collection) => coll.find(filter).sort({ _id: 1 }).toArray();
      expect(await run(indexed)).toEqual(await run(plain));
    }
    expect((await indexed.find({ externalCodes: { $gte: 'F2' }, ...hasCodes }).sort({ externalCodes: 1 }).limit(3).toArray()).length).toBe(3);
    expect((await rejection(indexed.insertOne({ _id: 99, externalCodes: ['X', 'E4'] } as never))).code).toBe(11000);
    await indexed.insertOne({ _id: 100, externalCodes: [] } as never);
  });
});

describe('the _id index orders _id ranges and sorts', () => {
  it('a page sorted by _id, a range of _ids and their count agree with the order MongoDB defines', async () => {
    const coll = f.db.collection<{ _id: number | string; region: string }>('by_id');
    // Inserted out of order, with _ids of three types: numbers sort before strings, strings before ObjectIds.
    const numbers = Array.from({ length: 300 }, (_, i) => (i * 7919) % 300);
    const docs = [
      ...numbers.map((n) => ({ _id: n, region: n % 3 ? '370102' : '370200' })),
      ...['b', 'a', 'c'].map((s) => ({ _id: s, region: '370102' })),
    ];
    await coll.insertMany(docs);
    const ids = async (filter: Filter<{ _id: number | string; region: string }>, sort: Sort, skip = 0, limit = 0) =>
      (await coll.find(filter).sort(sort).skip(skip).limit(limit).toArray()).map((d) => d._id);
    const inCity = numbers.filter((n) => n % 3).sort((a, b) => a - b);
    expect(await ids({ region: /^3701/ }, { _id: -1 }, 0, 4)).toEqual(['c', 'b', 'a', inCity[inCity.length - 1]]);
    expect(await ids({ region: /^3701/ }, { _id: 1 }, 5, 3)).toEqual(inCity.slice(5, 8));
    expect(await ids({ _id: { $gt: 295 } }, { _id: 1 })).toEqual([296, 297, 298, 299]);
    expect(await ids({ _id: { $gte: 'b' } }, { _id: -1 })).toEqual(['c', 'b']);
    expect(await coll.countDocuments({ _id: { $lt: 10 } })).toBe(10);
    await coll.deleteMany({ _id: { $in: ['c', 299] } });
    await coll.updateOne({ _id: 298 }, { $set: { region: '370102' } });
    expect(await ids({ region: '370102' }, { _id: -1 }, 0, 3)).toEqual(['b', 'a', 298]);
  });
});
