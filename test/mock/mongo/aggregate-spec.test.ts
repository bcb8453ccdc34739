/**
 * Aggregation behaviours of MongoDB 7.0 that the driver specification tests and the manual pin:
 * `let`, `$out`, `$merge` and its modes, `$lookup` with let/pipeline and with
 * localField/foreignField plus a pipeline, `$documents`, countDocuments. Our own tests.
 */
import type { Collection, Document } from 'mongodb';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('aggspec');

let counter = 0;
function fresh(prefix: string): Collection<any> {
  return f.db.collection<any>(`${prefix}${++counter}`);
}

async function seeded(prefix: string, docs: Document[]): Promise<Collection<any>> {
  const coll = fresh(prefix);
  if (docs.length) await coll.insertMany(docs);
  return coll;
}

async function contents(coll: Collection<any>): Promise<Document[]> {
  return coll.find({}).sort({ _id: 1 }).toArray();
}

describe('let on aggregate', () => {
  test('let variables reach $match $expr and $project, evaluated once', async () => {
    const coll = await seeded('let', [{ _id: 1 }, { _id: 2 }]);
    const result = await coll
      .aggregate([{ $match: { $expr: { $eq: ['$_id', '$$id'] } } }, { $project: { _id: 0, x: '$$x', y: '$$y', rand: '$$rand' } }], {
        let: { id: 1, x: 'foo', y: { $literal: '$bar' }, rand: { $rand: {} } },
      })
      .toArray();
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ x: 'foo', y: '$bar' });
    expect(typeof result[0].rand).toBe('number');
  });

  test('let variables reach a $match after other stages and an $out', async () => {
    const coll = await seeded('let', [{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
    const out = fresh('letout');
    await coll.aggregate([{ $sort: { _id: -1 } }, { $match: { $expr: { $lt: ['$_id', '$$max'] } } }, { $out: out.collectionName }], { let: { max: 3 } }).toArray();
    expect(await contents(out)).toEqual([{ _id: 1 }, { _id: 2 }]);
  });
});

describe('let variable names', () => {
  test('a let name must start with a lowercase letter and hold only letters, digits and _', async () => {
    const coll = await seeded('letname', [{ _id: 1 }]);
    const upper = await rejection(coll.aggregate([{ $match: {} }], { let: { Bad: 1 } }).toArray());
    expect(upper.code).toBe(16867);
    const dash = await rejection(coll.aggregate([{ $match: {} }], { let: { 'a-b': 1 } }).toArray());
    expect(dash.code).toBe(16868);
  });
});

describe('$out', () => {
  test('$out replaces the target collection with the results and returns no documents', async () => {
    const coll = await seeded('src', [{ _id: 1, x: 11 }, { _id: 2, x: 22 }, { _id: 3, x: 33 }]);
    const out = await seeded('out', [{ _id: 9, old: true }]);
    const returned = await coll.aggregate([{ $sort: { x: 1 } }, { $match: { _id: { $gt: 1 } } }, { $out: out.collectionName }], { batchSize: 0 }).toArray();
    expect(returned).toEqual([]);
    expect(await contents(out)).toEqual([{ _id: 2, x: 22 }, { _id: 3, x: 33 }]);
  });

  test('$out keeps the indexes of the collection it replaces', async () => {
    const coll = await seeded('src', [{ _id: 1, k: 'a' }]);
    const out = await seeded('out', [{ _id: 5, k: 'z' }]);
    await out.createIndex({ k: 1 }, { unique: true, name: 'k_unique' });
    await coll.aggregate([{ $out: out.collectionName }]).toArray();
    expect((await out.indexes()).map((i) => i.name).sort()).toEqual(['_id_', 'k_unique']);
    expect(await contents(out)).toEqual([{ _id: 1, k: 'a' }]);
  });

  test('a failing $out leaves the old target collection untouched', async () => {
    const coll = await seeded('src', [{ _id: 1, k: 'same' }, { _id: 2, k: 'same' }]);
    const out = await seeded('out', [{ _id: 7, k: 'old' }]);
    await out.createIndex({ k: 1 }, { unique: true });
    const err = await rejection(coll.aggregate([{ $out: out.collectionName }]).toArray());
    expect(err.code).toBe(11000);
    expect(await contents(out)).toEqual([{ _id: 7, k: 'old' }]);
  });

  test('$out accepts {db, coll} and creates the collection', async () => {
    const coll = await seeded('src', [{ _id: 1 }]);
    const name = `made${++counter}`;
    await coll.aggregate([{ $out: { db: f.db.databaseName, coll: name } }]).toArray();
    expect(await f.db.collection(name).find().toArray()).toEqual([{ _id: 1 }]);
  });

  test('$out and $merge must be the last stage', async () => {
    const coll = await seeded('src', [{ _id: 1 }]);
    const err = await rejection(coll.aggregate([{ $out: 'elsewhere' }, { $match: {} }]).toArray());
    expect(err.code).toBe(40601);
  });
});

describe('$merge', () => {
  async function target(docs: Document[]): Promise<Collection<any>> {
    return seeded('tgt', docs);
  }

  test('default modes: merge the fields of matched documents, insert the others', async () => {
    const src = await seeded('src', [{ _id: 1, a: 'new' }, { _id: 3, a: 'three' }]);
    const tgt = await target([{ _id: 1, a: 'old', b: 1 }, { _id: 2, a: 'two' }]);
    await src.aggregate([{ $merge: tgt.collectionName }]).toArray();
    expect(await contents(tgt)).toEqual([{ _id: 1, a: 'new', b: 1 }, { _id: 2, a: 'two' }, { _id: 3, a: 'three' }]);
  });

  test('whenMatched replace / keepExisting and whenNotMatched discard', async () => {
    const src = await seeded('src', [{ _id: 1, a: 'new' }, { _id: 3, a: 'three' }]);
    const replaced = await target([{ _id: 1, a: 'old', b: 1 }]);
    await src.aggregate([{ $merge: { into: replaced.collectionName, whenMatched: 'replace', whenNotMatched: 'discard' } }]).toArray();
    expect(await contents(replaced)).toEqual([{ _id: 1, a: 'new' }]);
    const kept = await target([{ _id: 1, a: 'old' }]);
    await src.aggregate([{ $merge: { into: kept.collectionName, whenMatched: 'keepExisting' } }]).toArray();
    expect(await contents(kept)).toEqual([{ _id: 1, a: 'old' }, { _id: 3, a: 'three' }]);
  });

  test('whenMatched fail is a duplicate key error naming the key', async () => {
    const tgt = await target([{ _id: 1, x: 1 }, { _id: 2, x: 1 }]);
    const err = await rejection(f.db.aggregate([{ $documents: [{ _id: 2, x: 1 }] }, { $merge: { into: tgt.collectionName, whenMatched: 'fail' } }]).toArray());
    expect(err.code).toBe(11000);
    expect(err.errorResponse).toMatchObject({ keyPattern: { _id: 1 }, keyValue: { _id: 2 } });
  });

  test('whenNotMatched fail is MergeStageNoMatchingDocument, after writing the matched documents before it', async () => {
    const src = await seeded('src', [{ _id: 1, a: 1 }, { _id: 2, a: 2 }]);
    const tgt = await target([{ _id: 1, b: 1 }]);
    const err = await rejection(src.aggregate([{ $sort: { _id: 1 } }, { $merge: { into: tgt.collectionName, whenMatched: 'replace', whenNotMatched: 'fail' } }]).toArray());
    expect(err.code).toBe(13113);
    expect(await contents(tgt)).toEqual([{ _id: 1, a: 1 }]);
  });

  test('a whenMatched pipeline sees the new document as $$new and its own let variables', async () => {
    const src = await seeded('src', [{ _id: 1, n: 5 }, { _id: 2, n: 7 }]);
    const tgt = await target([{ _id: 1, n: 10 }]);
    await src.aggregate([{ $merge: { into: tgt.collectionName, whenMatched: [{ $set: { n: { $add: ['$n', '$$new.n'] } } }] } }]).toArray();
    expect(await contents(tgt)).toEqual([{ _id: 1, n: 15 }, { _id: 2, n: 7 }]);
    await src.aggregate([{ $merge: { into: tgt.collectionName, let: { add: '$n' }, whenMatched: [{ $set: { n: { $add: ['$n', '$$add'] } } }], whenNotMatched: 'discard' } }]).toArray();
    expect(await contents(tgt)).toEqual([{ _id: 1, n: 20 }, { _id: 2, n: 14 }]);
  });

  test('on other fields needs a unique index on exactly those fields', async () => {
    const src = await seeded('src', [{ _id: 10, code: 'a', v: 1 }]);
    const tgt = await target([{ _id: 1, code: 'a', v: 0 }]);
    const err = await rejection(src.aggregate([{ $project: { _id: 0 } }, { $merge: { into: tgt.collectionName, on: 'code' } }]).toArray());
    expect(err.code).toBe(51183);
    await tgt.createIndex({ code: 1 }, { unique: true });
    await src.aggregate([{ $project: { _id: 0 } }, { $merge: { into: tgt.collectionName, on: 'code' } }]).toArray();
    expect(await contents(tgt)).toEqual([{ _id: 1, code: 'a', v: 1 }]);
  });

  test('unsupported mode combinations and let outside pipeline mode are refused', async () => {
    const src = await seeded('src', [{ _id: 1 }]);
    const combination = await rejection(src.aggregate([{ $merge: { into: 'x', whenMatched: 'keepExisting', whenNotMatched: 'discard' } }]).toArray());
    expect(combination.code).toBe(51181);
    const letMode = await rejection(src.aggregate([{ $merge: { into: 'x', whenMatched: 'merge', let: { a: 1 } } }]).toArray());
    expect(letMode.code).toBe(51199);
  });

  test('$merge and $out are refused inside a transaction', async () => {
    const src = await seeded('src', [{ _id: 1 }]);
    const session = f.client.startSession();
    try {
      session.startTransaction();
      const err = await rejection(src.aggregate([{ $merge: { into: 'x' } }], { session }).toArray());
      expect(err.code).toBe(263);
    } finally {
      await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
  });
});

describe('$lookup', () => {
  let orders: Collection<any>;
  let stock: Collection<any>;
  beforeAll(async () => {
    orders = await seeded('orders', [
      { _id: 1, item: 'almonds', qty: 12 },
      { _id: 2, item: 'pecans', qty: 1 },
      { _id: 3, tags: ['almonds', 'cookies'] },
    ]);
    stock = await seeded('stock', [
      { _id: 1, sku: 'almonds', instock: 120 },
      { _id: 2, sku: 'pecans', instock: 0 },
      { _id: 3, sku: 'cookies', instock: 60 },
      { _id: 4, instock: 5 },
    ]);
  });

  test('let and pipeline: a correlated subquery through $expr', async () => {
    const result = await orders
      .aggregate([
        { $match: { item: { $exists: true } } },
        {
          $lookup: {
            from: stock.collectionName,
            let: { item: '$item', qty: '$qty' },
            pipeline: [{ $match: { $expr: { $and: [{ $eq: ['$sku', '$$item'] }, { $gte: ['$instock', '$$qty'] }] } } }, { $project: { _id: 0, sku: 1 } }],
            as: 'available',
          },
        },
        { $project: { available: 1 } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(result).toEqual([
      { _id: 1, available: [{ sku: 'almonds' }] },
      { _id: 2, available: [] },
    ]);
  });

  test('localField/foreignField with a pipeline runs the pipeline on the equality matches', async () => {
    const result = await orders
      .aggregate([
        { $match: { _id: 3 } },
        { $lookup: { from: stock.collectionName, localField: 'tags', foreignField: 'sku', pipeline: [{ $match: { instock: { $gt: 100 } } }, { $project: { _id: 1 } }], as: 'rich' } },
      ])
      .toArray();
    expect(result).toEqual([{ _id: 3, tags: ['almonds', 'cookies'], rich: [{ _id: 1 }] }]);
  });

  test('an array localField joins by element, a missing localField matches a missing foreignField', async () => {
    const result = await orders
      .aggregate([{ $lookup: { from: stock.collectionName, localField: 'item', foreignField: 'sku', as: 'found' } }, { $project: { ids: '$found._id' } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(result).toEqual([
      { _id: 1, ids: [1] },
      { _id: 2, ids: [2] },
      { _id: 3, ids: [4] },
    ]);
    const byTags = await orders.aggregate([{ $match: { _id: 3 } }, { $lookup: { from: stock.collectionName, localField: 'tags', foreignField: 'sku', as: 'found' } }]).toArray();
    expect(byTags[0].found.map((d: Document) => d._id).sort()).toEqual([1, 3]);
  });

  test('an indexed foreignField gives the same join, numbers equal across BSON types', async () => {
    const indexed = await seeded('stock', [{ _id: 1, n: 1.0 }, { _id: 2, n: 2 }]);
    await indexed.createIndex({ n: 1 });
    const local = await seeded('local', [{ _id: 'a', n: 1 }, { _id: 'b', n: 3 }]);
    const result = await local.aggregate([{ $lookup: { from: indexed.collectionName, localField: 'n', foreignField: 'n', as: 'j' } }, { $sort: { _id: 1 } }]).toArray();
    expect(result).toEqual([
      { _id: 'a', n: 1, j: [{ _id: 1, n: 1 }] },
      { _id: 'b', n: 3, j: [] },
    ]);
  });

  test('a $lookup pipeline may start with $documents instead of naming a collection', async () => {
    const result = await orders
      .aggregate([{ $match: { _id: 1 } }, { $lookup: { let: { q: '$qty' }, pipeline: [{ $documents: [{ n: 1 }, { n: 20 }] }, { $match: { $expr: { $gt: ['$n', '$$q'] } } }], as: 'big' } }])
      .toArray();
    expect(result).toEqual([{ _id: 1, item: 'almonds', qty: 12, big: [{ n: 20 }] }]);
  });

  test('stages after a $lookup that change documents leave both collections as stored', async () => {
    await orders
      .aggregate([
        { $lookup: { from: stock.collectionName, localField: 'item', foreignField: 'sku', as: 'found' } },
        { $unwind: { path: '$found', includeArrayIndex: 'i' } },
        { $set: { 'found.instock': -1 } },
      ])
      .toArray();
    expect((await stock.findOne({ _id: 1 }))!.instock).toBe(120);
    expect(await orders.findOne({ _id: 1 })).toEqual({ _id: 1, item: 'almonds', qty: 12 });
  });
});

describe('$unionWith', () => {
  test('appends another collection after its own pipeline, leaving that collection as stored', async () => {
    const a = await seeded('ua', [{ _id: 1, v: { n: 1 } }]);
    const b = await seeded('ub', [{ _id: 2, v: { n: 2 } }, { _id: 3, v: { n: 3 } }]);
    const result = await a
      .aggregate([{ $unionWith: { coll: b.collectionName, pipeline: [{ $match: { _id: 3 } }, { $set: { 'v.n': 30 } }] } }, { $set: { 'v.seen': true } }])
      .toArray();
    expect(result).toEqual([
      { _id: 1, v: { n: 1, seen: true } },
      { _id: 3, v: { n: 30, seen: true } },
    ]);
    expect(await contents(b)).toEqual([{ _id: 2, v: { n: 2 } }, { _id: 3, v: { n: 3 } }]);
    expect(await contents(a)).toEqual([{ _id: 1, v: { n: 1 } }]);
  });
});

describe('documents and counts', () => {
  test('db.aggregate with $documents', async () => {
    const result = await f.db.aggregate([{ $documents: [{ x: 1 }, { x: 2 }] }, { $match: { x: { $gt: 1 } } }]).toArray();
    expect(result).toEqual([{ x: 2 }]);
  });

  test('countDocuments honours filter, skip and limit', async () => {
    const coll = await seeded('count', [{ _id: 1, k: 'a' }, { _id: 2, k: 'a' }, { _id: 3, k: 'b' }, { _id: 4, k: 'a' }]);
    expect(await coll.countDocuments({ k: 'a' })).toBe(3);
    expect(await coll.countDocuments({ k: 'a' }, { skip: 1 })).toBe(2);
    expect(await coll.countDocuments({ k: 'a' }, { skip: 1, limit: 1 })).toBe(1);
    expect(await coll.countDocuments({ k: 'a' }, { skip: 5 })).toBe(0);
    expect(await coll.countDocuments({})).toBe(4);
    expect(await coll.countDocuments({ k: 'zzz' })).toBe(0);
  });

  test('a $sort followed by $limit returns the first rows of the whole order', async () => {
    const coll = await seeded('top', Array.from({ length: 300 }, (_, i) => ({ _id: i, score: (i * 37) % 101 })));
    const top = await coll.aggregate([{ $sort: { score: -1, _id: 1 } }, { $limit: 3 }, { $project: { _id: 1 } }]).toArray();
    const all = (await coll.find({}).toArray()).sort((x, y) => y.score - x.score || x._id - y._id);
    expect(top).toEqual(all.slice(0, 3).map((d) => ({ _id: d._id })));
  });

  test('dotted $set and $unset in a pipeline do not change the stored documents', async () => {
    const coll = await seeded('mut', [{ _id: 1, a: { b: 1, c: 2 } }]);
    const result = await coll.aggregate([{ $set: { 'a.b': 9 } }, { $unset: 'a.c' }]).toArray();
    expect(result).toEqual([{ _id: 1, a: { b: 9 } }]);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, a: { b: 1, c: 2 } });
    const projected = await coll.aggregate([{ $project: { 'a.c': 0 } }]).toArray();
    expect(projected).toEqual([{ _id: 1, a: { b: 1 } }]);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, a: { b: 1, c: 2 } });
  });
});

describe('pipeline parsing', () => {
  test('an unknown stage name and a stage with two fields are refused as mongod refuses them', async () => {
    const coll = await seeded('parse', [{ _id: 1 }]);
    const unknown = await rejection(coll.aggregate([{ $noSuchStage: {} }]).toArray());
    expect(unknown.code).toBe(40324);
    const twoFields = await rejection(coll.aggregate([{ $match: {}, $limit: 1 }]).toArray());
    expect(twoFields.code).toBe(40323);
  });
});
