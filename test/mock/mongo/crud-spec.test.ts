/**
 * CRUD behaviours MongoDB's driver specification tests (source/crud/tests/unified) pin for a
 * 7.0 server: `let` variables, `_id: null`, `$`-prefixed fields inside `_id`, `sort` on
 * updates (8.0+ only), unacknowledged writes. Our own tests of the same behaviours.
 */
import type { Collection, Document } from 'mongodb';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('crudspec');

let counter = 0;
/** A fresh collection holding `docs`, so each test starts from known data. */
async function seeded(docs: Document[]): Promise<Collection<any>> {
  const coll = f.db.collection<any>(`c${++counter}`);
  if (docs.length) await coll.insertMany(docs);
  return coll;
}

const byIdExpr = { $expr: { $eq: ['$_id', '$$id'] } };

async function contents(coll: Collection<any>): Promise<Document[]> {
  return coll.find({}).sort({ _id: 1 }).toArray();
}

describe('let variables on CRUD commands', () => {
  test('find binds let variables for $expr in the filter', async () => {
    const coll = await seeded([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as Document[]);
    expect(await coll.find(byIdExpr, { let: { id: 2 } }).toArray()).toEqual([{ _id: 2 }]);
  });

  test('find evaluates let expressions once ($literal keeps a $-string)', async () => {
    const coll = await seeded([{ _id: 1, s: '$x' }, { _id: 2, s: 'x' }] as Document[]);
    const found = await coll.find({ $expr: { $eq: ['$s', '$$s'] } }, { let: { s: { $literal: '$x' } } }).toArray();
    expect(found).toEqual([{ _id: 1, s: '$x' }]);
  });

  test('updateOne binds let in the filter and in a pipeline update', async () => {
    const coll = await seeded([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as Document[]);
    const result = await coll.updateOne(byIdExpr, [{ $set: { x: '$$x', y: { $concat: ['$$x', '!'] } } }], { let: { id: 1, x: 'foo' } });
    expect(result.modifiedCount).toBe(1);
    expect(await contents(coll)).toEqual([{ _id: 1, x: 'foo', y: 'foo!' }, { _id: 2 }, { _id: 3 }]);
  });

  test('updateMany binds let variables for every matched document', async () => {
    const coll = await seeded([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as Document[]);
    await coll.updateMany({ $expr: { $gte: ['$_id', '$$min'] } }, [{ $set: { x: '$$x' } }], { let: { min: 2, x: 'bar' } });
    expect(await contents(coll)).toEqual([{ _id: 1 }, { _id: 2, x: 'bar' }, { _id: 3, x: 'bar' }]);
  });

  test('replaceOne binds let variables in the filter', async () => {
    const coll = await seeded([{ _id: 1 }, { _id: 2 }] as Document[]);
    await coll.replaceOne(byIdExpr, { x: 'new' }, { let: { id: 2 } });
    expect(await contents(coll)).toEqual([{ _id: 1 }, { _id: 2, x: 'new' }]);
  });

  test('an upsert with let binds the variables in its pipeline', async () => {
    const coll = await seeded([]);
    await coll.updateOne({ _id: 7 as any, $expr: { $eq: [1, '$$one'] } }, [{ $set: { x: '$$x' } }], { upsert: true, let: { one: 1, x: 'up' } });
    expect(await contents(coll)).toEqual([{ _id: 7, x: 'up' }]);
  });

  test('deleteOne and deleteMany bind let variables', async () => {
    const coll = await seeded([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as Document[]);
    expect((await coll.deleteOne(byIdExpr, { let: { id: 1 } })).deletedCount).toBe(1);
    expect((await coll.deleteMany({ $expr: { $gt: ['$_id', '$$id'] } }, { let: { id: 2 } })).deletedCount).toBe(1);
    expect(await contents(coll)).toEqual([{ _id: 2 }]);
  });

  test('findOneAndUpdate, findOneAndReplace and findOneAndDelete bind let variables', async () => {
    const coll = await seeded([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as Document[]);
    const updated = await coll.findOneAndUpdate(byIdExpr, [{ $set: { x: '$$x' } }], { let: { id: 1, x: 'foo' }, returnDocument: 'after' });
    expect(updated).toEqual({ _id: 1, x: 'foo' });
    const replaced = await coll.findOneAndReplace(byIdExpr, { y: 1 }, { let: { id: 2 }, returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 2, y: 1 });
    expect(await coll.findOneAndDelete(byIdExpr, { let: { id: 3 } })).toEqual({ _id: 3 });
    expect(await contents(coll)).toEqual([{ _id: 1, x: 'foo' }, { _id: 2, y: 1 }]);
  });

  test('a bulkWrite with let applies the variables to every statement', async () => {
    const coll = await seeded([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as Document[]);
    await coll.bulkWrite(
      [
        { updateOne: { filter: byIdExpr, update: [{ $set: { x: '$$x' } }] } },
        { deleteOne: { filter: { $expr: { $eq: ['$_id', { $add: ['$$id', 2] }] } } } },
      ],
      { let: { id: 1, x: 'bulk' } },
    );
    expect(await contents(coll)).toEqual([{ _id: 1, x: 'bulk' }, { _id: 2 }]);
  });

  test('a variable used but not defined is an error', async () => {
    const coll = await seeded([{ _id: 1 }] as Document[]);
    const err = await rejection(coll.find({ $expr: { $eq: ['$_id', '$$nope'] } }).toArray());
    expect(err.code).toBe(17276);
  });
});

describe('_id values', () => {
  // The node driver replaces a null _id by an ObjectId in insertOne, so these insert raw commands.
  test('null is a legal _id for insert and find, and a second null _id is a duplicate', async () => {
    const coll = await seeded([]);
    const inserted = await f.db.command({ insert: coll.collectionName, documents: [{ _id: null, a: 1 }] });
    expect(inserted).toMatchObject({ n: 1, ok: 1 });
    expect(await coll.countDocuments({ _id: { $type: 'null' } as any })).toBe(1);
    expect(await coll.findOne({ _id: null as any })).toEqual({ _id: null, a: 1 });
    const again = await f.db.command({ insert: coll.collectionName, documents: [{ _id: null }] });
    expect(again.writeErrors[0].code).toBe(11000);
  });

  test('an upsert on {_id: null} and a replacement upsert with _id null store a null _id', async () => {
    const updated = await seeded([]);
    await updated.updateOne({ _id: null as any }, { $unset: { a: '' } }, { upsert: true });
    expect(await updated.countDocuments({ _id: { $type: 'null' } as any })).toBe(1);
    const replaced = await seeded([]);
    await replaced.replaceOne({}, { _id: null as any }, { upsert: true });
    expect(await replaced.countDocuments({ _id: { $type: 'null' } as any })).toBe(1);
  });

  test('a $-prefixed field inside _id is refused on insert (DollarPrefixedFieldName)', async () => {
    const coll = await seeded([]);
    const err = await rejection(coll.insertOne({ _id: { $a: 1 } as any }));
    expect(err.code).toBe(52);
    const nested = await rejection(coll.insertOne({ _id: { a: 1, $b: 1 } as any }));
    expect(nested.code).toBe(52);
    expect(await coll.countDocuments({})).toBe(0);
  });

  test('a $-prefixed field inside _id is refused on replace and on upsert', async () => {
    const coll = await seeded([]);
    const replaced = await rejection(coll.replaceOne({ x: 1 }, { _id: { $invalid: 1 } } as any, { upsert: true }));
    expect(replaced.code).toBe(52);
    const set = await rejection(coll.updateOne({ x: 1 }, { $set: { _id: { $invalid: 1 } } } as any, { upsert: true }));
    expect(set.code).toBe(52);
    const onInsert = await rejection(coll.updateOne({ x: 1 }, { $setOnInsert: { _id: { $invalid: 1 } } } as any, { upsert: true }));
    expect(onInsert.code).toBe(52);
    expect(await coll.countDocuments({})).toBe(0);
  });

  test('dotted names and $-prefixed names outside _id are stored as given', async () => {
    const coll = await seeded([]);
    await coll.insertOne({ _id: { 'a.b': 1 } as any, x: { $b: 1 } });
    expect(await coll.findOne({})).toEqual({ _id: { 'a.b': 1 }, x: { $b: 1 } });
  });
});

describe('sort on update statements (MongoDB 8.0+)', () => {
  test('updateOne with sort is refused by a 7.0 server and changes nothing', async () => {
    const coll = await seeded([{ _id: 1, x: 11 }, { _id: 2, x: 22 }, { _id: 3, x: 33 }] as Document[]);
    const err = await rejection(coll.updateOne({ _id: { $gt: 1 } }, { $inc: { x: 1 } }, { sort: { _id: -1 } }));
    expect(err.code).toBe(40415);
    expect(err.message).toContain("'update.updates.sort' is an unknown field");
    expect(await contents(coll)).toEqual([{ _id: 1, x: 11 }, { _id: 2, x: 22 }, { _id: 3, x: 33 }]);
  });

  test('replaceOne and bulkWrite updateOne with sort are refused too', async () => {
    const coll = await seeded([{ _id: 1, x: 11 }, { _id: 2, x: 22 }] as Document[]);
    const replaced = await rejection(coll.replaceOne({}, { x: 1 }, { sort: { _id: -1 } }));
    expect(replaced.code).toBe(40415);
    const bulk = await rejection(coll.bulkWrite([{ updateOne: { filter: {}, update: { $set: { x: 1 } }, sort: { _id: -1 } } }]));
    expect(bulk.code).toBe(40415);
    expect(await contents(coll)).toEqual([{ _id: 1, x: 11 }, { _id: 2, x: 22 }]);
  });
});

/** Unacknowledged writes get no reply: read until the effect is visible (or give up). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 50 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 20));
    value = await read();
  }
  return value;
}

describe('unacknowledged (w: 0) writes', () => {
  test('insert, update and delete with w: 0 are applied and acknowledged: false', async () => {
    const coll = await seeded([{ _id: 1, n: 0 }, { _id: 2 }] as Document[]);
    const w0 = { writeConcern: { w: 0 } };
    expect((await coll.insertOne({ _id: 3 as any }, w0)).acknowledged).toBe(false);
    await coll.updateOne({ _id: 1 }, { $inc: { n: 1 } }, w0);
    await coll.deleteOne({ _id: 2 }, w0);
    const docs = await eventually(() => contents(coll), (d) => d.length === 2 && d[0].n === 1);
    expect(docs).toEqual([{ _id: 1, n: 1 }, { _id: 3 }]);
  });

  test('findOneAndUpdate with w: 0 is applied', async () => {
    const coll = await seeded([{ _id: 1, n: 0 }] as Document[]);
    await coll.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } }, { writeConcern: { w: 0 } });
    const doc = await eventually(() => coll.findOne({ _id: 1 }), (d) => d?.n === 1);
    expect(doc).toEqual({ _id: 1, n: 1 });
    // the connection still answers in order afterwards
    expect(await coll.countDocuments({})).toBe(1);
  });
});

describe('find cursors', () => {
  test('skip, limit, projection and small batches return the same documents as one batch', async () => {
    const coll = await seeded(Array.from({ length: 20 }, (_, i) => ({ _id: i, n: i, pad: 'x' })));
    const expected = Array.from({ length: 7 }, (_, i) => ({ n: 3 + i }));
    const options = { skip: 3, limit: 7, projection: { _id: 0, n: 1 }, sort: { n: 1 } as const };
    expect(await coll.find({}, { ...options, batchSize: 2 }).toArray()).toEqual(expected);
    expect(await coll.find({}, options).toArray()).toEqual(expected);
    expect(await coll.find({ n: { $gte: 18 } }, { skip: 1, projection: { pad: 0 } }).toArray()).toEqual([{ _id: 19, n: 19 }]);
  });
});

describe('malformed write and aggregate commands are refused', () => {
  test('a multi update with a replacement document is a FailedToParse write error', async () => {
    const coll = await seeded([{ _id: 1 }, { _id: 2 }] as Document[]);
    const reply = await f.db.command({ update: coll.collectionName, updates: [{ q: {}, u: { a: 1 }, multi: true }] });
    expect(reply.writeErrors[0].code).toBe(9);
    expect(await contents(coll)).toEqual([{ _id: 1 }, { _id: 2 }]);
  });

  test('a delete limit other than 0 or 1 is refused and deletes nothing', async () => {
    const coll = await seeded([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as Document[]);
    const outcome = await f.db.command({ delete: coll.collectionName, deletes: [{ q: {}, limit: 2 }] }).catch((err) => err);
    expect(outcome.code ?? outcome.writeErrors?.[0]?.code).toBe(9);
    expect(await coll.countDocuments({})).toBe(3);
  });

  test('findAndModify refuses remove together with update or new', async () => {
    const coll = await seeded([{ _id: 1 }] as Document[]);
    const both = await rejection(f.db.command({ findAndModify: coll.collectionName, query: {}, remove: true, update: { $set: { a: 1 } } }));
    expect(both.code).toBe(9);
    const withNew = await rejection(f.db.command({ findAndModify: coll.collectionName, query: {}, remove: true, new: true }));
    expect(withNew.code).toBe(9);
    expect(await contents(coll)).toEqual([{ _id: 1 }]);
  });

  test('aggregate without a cursor option is refused', async () => {
    const coll = await seeded([{ _id: 1 }] as Document[]);
    const err = await rejection(f.db.command({ aggregate: coll.collectionName, pipeline: [] }));
    expect(err.code).toBe(9);
  });
});

describe('error responses', () => {
  test('a findOneAndUpdate upsert hitting a unique index reports keyPattern and keyValue', async () => {
    const coll = await seeded([{ _id: 1, x: 'foo' }] as Document[]);
    await coll.createIndex({ x: 1 }, { unique: true });
    const err = await rejection(coll.findOneAndUpdate({ _id: 2 }, { $set: { x: 'foo' } }, { upsert: true }));
    expect(err.code).toBe(11000);
    expect(err.errorResponse).toMatchObject({ keyPattern: { x: 1 }, keyValue: { x: 'foo' } });
  });

  test('an unordered bulkWrite reports each duplicate and applies the rest', async () => {
    const coll = await seeded([{ _id: 1 }] as Document[]);
    const err = await rejection(
      coll.bulkWrite([{ insertOne: { document: { _id: 1 } } }, { insertOne: { document: { _id: 2 } } }, { insertOne: { document: { _id: 1 } } }], { ordered: false }),
    );
    expect(err.code).toBe(11000);
    expect(err.writeErrors.map((e: { index: number }) => e.index)).toEqual([0, 2]);
    expect(await contents(coll)).toEqual([{ _id: 1 }, { _id: 2 }]);
  });
});
