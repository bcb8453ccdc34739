import { Decimal128, Long, ObjectId } from 'mongodb';
import { useDriverFixture } from './fixture';

const f = useDriverFixture('types');

const oid = new ObjectId('650000000000000000000001');
const date = new Date('2026-01-02T03:04:05Z');

async function seedMixed() {
  const coll = f.db.collection('mixed');
  await coll.insertMany([
    { _id: 'date' as any, v: date },
    { _id: 'bool' as any, v: true },
    { _id: 'oid' as any, v: oid },
    { _id: 'obj' as any, v: { x: 1 } },
    { _id: 'str' as any, v: 'abc' },
    { _id: 'dec' as any, v: Decimal128.fromString('10.5') },
    { _id: 'long' as any, v: Long.fromNumber(3) },
    { _id: 'int' as any, v: 20 },
    { _id: 'dbl' as any, v: 2.5 },
    { _id: 'null' as any, v: null },
    { _id: 'missing' as any },
  ]);
  return coll;
}

describe('MongoDB type ordering', () => {
  test('sorting mixed types follows null < numbers < string < object < ObjectId < boolean < Date', async () => {
    const coll = await seedMixed();
    const asc = (await coll.find({}).sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
    expect(asc).toEqual(['missing', 'null', 'dbl', 'long', 'dec', 'int', 'str', 'obj', 'oid', 'bool', 'date']);
    const desc = (await coll.find({}).sort({ v: -1, _id: 1 }).toArray()).map((d) => d._id);
    expect(desc).toEqual(['date', 'bool', 'oid', 'obj', 'str', 'int', 'dec', 'long', 'dbl', 'missing', 'null']);
  });

  test('range queries stay inside one type bracket and compare numbers across BSON types', async () => {
    const coll = f.db.collection('mixed');
    const ids = async (filter: object) => (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ v: { $gt: 2.9 } })).toEqual(['dec', 'int', 'long']);
    expect(await ids({ v: { $gt: Decimal128.fromString('9.75') } })).toEqual(['dec', 'int']);
    expect(await ids({ v: { $lte: Long.fromNumber(3) } })).toEqual(['dbl', 'long']);
    expect(await ids({ v: { $gte: 'a' } })).toEqual(['str']);
    expect(await ids({ v: { $lt: new Date('2030-01-01') } })).toEqual(['date']);
    expect(await ids({ v: 3 })).toEqual(['long']);
    expect(await ids({ v: Decimal128.fromString('20') })).toEqual(['int']);
    expect(await ids({ v: { $in: [oid, 'abc'] } })).toEqual(['oid', 'str']);
  });

  test('Decimal128 values sort numerically, not as text', async () => {
    const coll = f.db.collection('decimals');
    await coll.insertMany(['9', '10', '100.25', '-3', '2.5'].map((s) => ({ price: Decimal128.fromString(s) })));
    const sorted = (await coll.find({}).sort({ price: 1 }).toArray()).map((d) => d.price.toString());
    expect(sorted).toEqual(['-3', '2.5', '9', '10', '100.25']);
    const max = await coll.aggregate([{ $sort: { price: -1 } }, { $limit: 1 }]).toArray();
    expect(max[0].price.toString()).toBe('100.25');
  });

  test('$inc and $mul on Decimal128 are exact', async () => {
    const coll = f.db.collection('money');
    await coll.insertOne({ _id: 1 as any, balance: Decimal128.fromString('0.10') });
    await coll.updateOne({ _id: 1 as any }, { $inc: { balance: Decimal128.fromString('0.20') } });
    expect((await coll.findOne({ _id: 1 as any }))!.balance.toString()).toBe('0.30');
    await coll.updateOne({ _id: 1 as any }, { $mul: { balance: Decimal128.fromString('3') }, $inc: { fresh: Decimal128.fromString('1.5') } });
    const doc = await coll.findOne({ _id: 1 as any });
    expect(doc!.balance.toString()).toBe('0.90');
    expect(doc!.fresh.toString()).toBe('1.5');
  });

  test('ObjectIds sort by creation order and Dates chronologically', async () => {
    const coll = f.db.collection('created');
    const ids = [1, 2, 3].map((s) => ObjectId.createFromTime(1_700_000_000 + s));
    await coll.insertMany([
      { _id: ids[2], at: new Date('2026-03-01') },
      { _id: ids[0], at: new Date('2026-01-01') },
      { _id: ids[1], at: new Date('2025-12-31') },
    ]);
    expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id.toHexString())).toEqual(ids.map((i) => i.toHexString()));
    expect((await coll.find({ at: { $gte: new Date('2026-01-01') } }).sort({ at: -1 }).toArray()).map((d) => d._id.toHexString())).toEqual([
      ids[2].toHexString(),
      ids[0].toHexString(),
    ]);
  });

  test('arrays sort by their smallest element ascending and largest descending', async () => {
    const coll = f.db.collection('arrays');
    await coll.insertMany([
      { _id: 'a' as any, v: [5, 1] },
      { _id: 'b' as any, v: 3 },
      { _id: 'c' as any, v: [2, 9] },
    ]);
    expect((await coll.find().sort({ v: 1 }).toArray()).map((d) => d._id)).toEqual(['a', 'c', 'b']);
    expect((await coll.find().sort({ v: -1 }).toArray()).map((d) => d._id)).toEqual(['c', 'a', 'b']);
  });

  test('$type names BSON types, including objectId, date, decimal and number', async () => {
    const coll = f.db.collection('mixed');
    const ids = async (filter: object) => (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ v: { $type: 'objectId' } })).toEqual(['oid']);
    expect(await ids({ v: { $type: 'date' } })).toEqual(['date']);
    expect(await ids({ v: { $type: 'decimal' } })).toEqual(['dec']);
    expect(await ids({ v: { $type: 'number' } })).toEqual(['dbl', 'dec', 'int', 'long']);
    expect(await ids({ v: { $type: ['string', 'bool'] } })).toEqual(['bool', 'str']);
    expect(await ids({ v: { $type: 7 } })).toEqual(['oid']);
  });

  test('large Longs keep their precision through a round trip', async () => {
    const coll = f.db.collection('longs');
    const big = Long.fromString('9007199254740993');
    await coll.insertOne({ _id: 1 as any, big });
    const back = await coll.findOne({ big }, { promoteLongs: false });
    expect(back!.big.toString()).toBe('9007199254740993');
  });
});
