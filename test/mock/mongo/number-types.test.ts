import { Double, Int32, Long } from 'mongodb';
import { useDriverFixture } from './fixture';

const f = useDriverFixture('numtypes');

/** Reads documents without the driver's promotion, so each number shows its BSON type. */
async function raw(collection: string, filter: object = {}) {
  return f.db.collection(collection).find(filter, { promoteValues: false, promoteLongs: false }).sort({ _id: 1 }).toArray();
}

function typeOf(value: unknown): string {
  return (value as { _bsontype?: string })._bsontype ?? typeof value;
}

describe('BSON number types are kept', () => {
  test('an Int64 comes back as Int64 and an integral double as a double', async () => {
    await f.db.collection('kept').insertOne({ _id: 1 as any, i: 5, l: Long.fromNumber(5), d: new Double(1), f: 2.5, big: 2 ** 40 });
    const [doc] = await raw('kept');
    expect(typeOf(doc.i)).toBe('Int32');
    expect(typeOf(doc.l)).toBe('Long');
    expect(typeOf(doc.d)).toBe('Double');
    expect(typeOf(doc.f)).toBe('Double');
    expect(typeOf(doc.big)).toBe('Double');
    expect(Number(doc.l)).toBe(5);
    expect(Number(doc.d)).toBe(1);
  });

  test('$type tells int, long and double apart', async () => {
    const kept = f.db.collection('kept');
    const count = (filter: object) => kept.countDocuments(filter);
    expect(await count({ l: { $type: 'long' } })).toBe(1);
    expect(await count({ l: { $type: 'int' } })).toBe(0);
    expect(await count({ d: { $type: 'double' } })).toBe(1);
    expect(await count({ d: { $type: 'int' } })).toBe(0);
    expect(await count({ i: { $type: 'int' } })).toBe(1);
    expect(await count({ big: { $type: 'double' } })).toBe(1);
    expect(await count({ d: { $type: 'number' }, l: { $type: 'number' } })).toBe(1);
  });

  test('numbers of different types are still equal in queries and indexes', async () => {
    const kept = f.db.collection('kept');
    expect(await kept.countDocuments({ l: 5, d: 1 })).toBe(1);
    expect(await kept.countDocuments({ i: Long.fromNumber(5) })).toBe(1);
    await kept.createIndex({ l: 1 });
    expect(await kept.countDocuments({ l: new Int32(5) })).toBe(1);
    expect(await kept.countDocuments({ l: { $gt: 4.5, $lt: new Double(6) } })).toBe(1);
  });

  test('$inc and $mul follow mongod: a long stays a long, an overflowing int becomes a long, a double wins', async () => {
    const c = f.db.collection('arith');
    await c.insertOne({ _id: 1 as any, l: Long.fromNumber(5), i: 2147483647, j: 1, k: 3, m: Long.fromNumber(7) });
    await c.updateOne({ _id: 1 as any }, { $inc: { l: 1, i: 1, j: new Double(1), n: Long.fromNumber(2) }, $mul: { k: 2, m: 3 } });
    const [doc] = await raw('arith');
    expect(typeOf(doc.l)).toBe('Long');
    expect(Number(doc.l)).toBe(6);
    expect(typeOf(doc.i)).toBe('Long');
    expect(Number(doc.i)).toBe(2147483648);
    expect(typeOf(doc.j)).toBe('Double');
    expect(Number(doc.j)).toBe(2);
    expect(typeOf(doc.n)).toBe('Long');
    expect(typeOf(doc.k)).toBe('Int32');
    expect(Number(doc.k)).toBe(6);
    expect(typeOf(doc.m)).toBe('Long');
    expect(Number(doc.m)).toBe(21);
  });

  test('a fractional $inc makes a double even when the sum is whole', async () => {
    const c = f.db.collection('arith');
    await c.insertOne({ _id: 2 as any, x: 0.5 });
    await c.updateOne({ _id: 2 as any }, { $inc: { x: 0.5 } });
    const [doc] = await raw('arith', { _id: 2 });
    expect(typeOf(doc.x)).toBe('Double');
    expect(Number(doc.x)).toBe(1);
    expect(await c.countDocuments({ _id: 2 as any, x: { $type: 'double' } })).toBe(1);
  });
});

describe('aggregation over Int64 and integral doubles', () => {
  test('$sum, $add and $expr compute with them as numbers', async () => {
    const c = f.db.collection('aggregated');
    await c.insertMany([
      { _id: 1 as any, l: Long.fromNumber(2), d: new Double(1) },
      { _id: 2 as any, l: Long.fromNumber(3), d: new Double(2) },
    ]);
    const [sums] = await c.aggregate([{ $group: { _id: null, l: { $sum: '$l' }, d: { $sum: '$d' } } }]).toArray();
    expect(Number(sums.l)).toBe(5);
    expect(Number(sums.d)).toBe(3);
    const added = await c.aggregate([{ $sort: { _id: 1 } }, { $project: { x: { $add: ['$l', '$d'] } } }]).toArray();
    expect(added.map((d) => Number(d.x))).toEqual([3, 5]);
    expect(await c.countDocuments({ $expr: { $gt: ['$l', '$d'] } })).toBe(2);
  });

  test('a $match-only pipeline returns the stored types', async () => {
    const [doc] = await f.db
      .collection('aggregated')
      .aggregate([{ $match: { _id: 1 } }], { promoteValues: false, promoteLongs: false })
      .toArray();
    expect(typeOf(doc.l)).toBe('Long');
    expect(typeOf(doc.d)).toBe('Double');
  });
});

describe('changing only a number type is a modification', () => {
  test('$set of Long 5 over Int32 5 is stored and counted as modified', async () => {
    const c = f.db.collection('retyped');
    await c.insertOne({ _id: 1 as any, n: 5 });
    const result = await c.updateOne({ _id: 1 as any }, { $set: { n: Long.fromNumber(5) } });
    expect(result.modifiedCount).toBe(1);
    const [doc] = await raw('retyped');
    expect(typeOf(doc.n)).toBe('Long');
    const again = await c.updateOne({ _id: 1 as any }, { $set: { n: Long.fromNumber(5) } });
    expect(again.modifiedCount).toBe(0);
  });
});

describe('pipeline updates over Int64 and integral doubles', () => {
  test('compute with them as numbers and keep the fields they do not change', async () => {
    const c = f.db.collection('piped');
    await c.insertOne({ _id: 1 as any, l: Long.fromNumber(5), d: new Double(1) });
    await c.updateOne({ _id: 1 as any }, [{ $set: { total: { $add: ['$l', '$d'] } } }]);
    const [doc] = await raw('piped');
    expect(Number(doc.total)).toBe(6);
    expect(typeOf(doc.l)).toBe('Long');
    expect(typeOf(doc.d)).toBe('Double');
  });
});
