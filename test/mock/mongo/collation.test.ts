/**
 * Collation on each command that takes one: ICU order of a locale (pinyin for Chinese names),
 * strengths 1–3 for case- and accent-insensitive equality and ranges, numeric ordering.
 */
import mongoose, { Schema, type Connection } from 'mongoose';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('collation');
let conn: Connection;

const NAMES = ['张三', '李四', '王五', '阿明', '赵六'];
const PINYIN_ORDER = ['阿明', '李四', '王五', '张三', '赵六'];
const zh = { locale: 'zh' };
const caseless = { locale: 'en', strength: 2 };
const baseLetters = { locale: 'en', strength: 1 };

const personSchema = new Schema({ name: String, city: String });

beforeAll(async () => {
  conn = await mongoose.createConnection(f.mongo.uri, { dbName: f.db.databaseName }).asPromise();
  conn.model('Person', personSchema);
  await conn.model('Person').insertMany(NAMES.map((name) => ({ name, city: '济南' })));
});
afterAll(() => conn.close());

async function people(name: string, docs: object[]) {
  const coll = f.db.collection<any>(name);
  await coll.insertMany(docs);
  return coll;
}

describe('order under a locale', () => {
  test('mongoose find().sort().collation({locale: "zh"}) sorts names by pinyin', async () => {
    const Person = conn.model('Person');
    const sorted = await Person.find().sort({ name: 1 }).collation(zh).lean<any[]>();
    expect(sorted.map((p) => p.name)).toEqual(PINYIN_ORDER);
    const binary = await Person.find().sort({ name: 1 }).lean<any[]>();
    expect(binary.map((p) => p.name)).toEqual([...NAMES].sort());
  });

  test('aggregate with a collation sorts and matches under it', async () => {
    const Person = conn.model('Person');
    const rows = await Person.aggregate([{ $match: { city: '济南' } }, { $sort: { name: -1 } }, { $project: { _id: 0, name: 1 } }]).collation(zh);
    expect(rows.map((r: any) => r.name)).toEqual([...PINYIN_ORDER].reverse());
  });

  test('numericOrdering compares digits as numbers', async () => {
    const coll = await people('numeric', [{ code: '10' }, { code: '9' }, { code: '2' }]);
    const sorted = await coll.find({}, { collation: { locale: 'en', numericOrdering: true } }).sort({ code: 1 }).toArray();
    expect(sorted.map((d) => d.code)).toEqual(['2', '9', '10']);
    const gt = await coll.find({ code: { $gt: '5' } }, { collation: { locale: 'en', numericOrdering: true } }).sort({ code: 1 }).toArray();
    expect(gt.map((d) => d.code)).toEqual(['9', '10']);
  });
});

describe('equality and ranges under a strength', () => {
  const names = [{ _id: 1, name: 'Li' }, { _id: 2, name: 'li' }, { _id: 3, name: 'LI' }, { _id: 4, name: 'lí' }, { _id: 5, name: 'Wang' }];
  const ids = (docs: any[]) => docs.map((d) => d._id).sort();

  test('strength 2 ignores case, strength 1 also accents, the default (3) neither', async () => {
    const coll = await people('strength', names);
    expect(ids(await coll.find({ name: 'li' }, { collation: caseless }).toArray())).toEqual([1, 2, 3]);
    expect(ids(await coll.find({ name: 'li' }, { collation: baseLetters }).toArray())).toEqual([1, 2, 3, 4]);
    expect(ids(await coll.find({ name: 'li' }, { collation: { locale: 'en' } }).toArray())).toEqual([2]);
    expect(ids(await coll.find({ name: { $in: ['LI', 'wang'] } }, { collation: caseless }).toArray())).toEqual([1, 2, 3, 5]);
    expect(ids(await coll.find({ name: { $ne: 'li' } }, { collation: caseless }).toArray())).toEqual([4, 5]);
  });

  test('a unique index on the field does not narrow a collated equality to binary matches', async () => {
    const coll = await people('indexed', names);
    await coll.createIndex({ name: 1 }, { unique: true });
    expect(ids(await coll.find({ name: 'LI' }, { collation: caseless }).toArray())).toEqual([1, 2, 3]);
  });

  test('ranges compare by the collation: "Bob" lies between "b" and "c" in English', async () => {
    const coll = await people('range', [{ _id: 1, name: 'Bob' }, { _id: 2, name: 'amy' }, { _id: 3, name: 'bea' }]);
    expect(ids(await coll.find({ name: { $gte: 'b', $lt: 'c' } }, { collation: { locale: 'en' } }).toArray())).toEqual([1, 3]);
    expect(ids(await coll.find({ name: { $gte: 'b', $lt: 'c' } }).toArray())).toEqual([3]);
  });

  test('strings inside arrays and $elemMatch are compared under the collation', async () => {
    const coll = await people('arrays', [{ _id: 1, tags: ['ABC', 'x'] }, { _id: 2, tags: [{ t: 'Abc' }] }, { _id: 3, tags: ['abd'] }]);
    expect(ids(await coll.find({ tags: 'abc' }, { collation: caseless }).toArray())).toEqual([1]);
    expect(ids(await coll.find({ tags: { $elemMatch: { t: 'ABC' } } }, { collation: caseless }).toArray())).toEqual([2]);
  });
});

describe('every command that takes a collation', () => {
  const rows = () => [{ _id: 1, name: 'Li', n: 0 }, { _id: 2, name: 'li', n: 0 }, { _id: 3, name: 'Wang', n: 0 }];

  test('count, countDocuments and distinct', async () => {
    const coll = await people('counting', rows());
    expect(await coll.countDocuments({ name: 'LI' }, { collation: caseless })).toBe(2);
    expect(await coll.countDocuments({ name: 'LI' })).toBe(0);
    expect(await coll.distinct('name', { name: { $in: ['li', 'wang'] } }, { collation: caseless })).toHaveLength(2);
  });

  test('updateMany, deleteMany and findOneAndUpdate match under the collation', async () => {
    const coll = await people('writes', rows());
    const updated = await coll.updateMany({ name: 'LI' }, { $inc: { n: 1 } }, { collation: caseless });
    expect(updated.modifiedCount).toBe(2);
    const found = await coll.findOneAndUpdate({ name: 'WANG' }, { $set: { n: 5 } }, { collation: caseless, returnDocument: 'after' });
    expect(found).toMatchObject({ _id: 3, n: 5 });
    const deleted = await coll.deleteMany({ name: 'lI' }, { collation: caseless });
    expect(deleted.deletedCount).toBe(2);
    expect(await coll.countDocuments({})).toBe(1);
  });

  test('findOneAndUpdate sorts under the collation', async () => {
    const coll = await people('famsort', NAMES.map((name, i) => ({ _id: i, name })));
    const first = await coll.findOneAndUpdate({}, { $set: { first: true } }, { sort: { name: 1 }, collation: zh, returnDocument: 'after' });
    expect(first!.name).toBe(PINYIN_ORDER[0]);
  });

  test('$pull and $addToSet compare under the statement collation', async () => {
    const coll = await people('arrayops', [{ _id: 1, tags: ['Red', 'blue'] }]);
    await coll.updateOne({ _id: 1 }, { $pull: { tags: 'RED' }, $addToSet: { other: 'x' } } as never, { collation: caseless });
    await coll.updateOne({ _id: 1 }, { $addToSet: { tags: 'BLUE' } }, { collation: caseless });
    expect((await coll.findOne({ _id: 1 }))!.tags).toEqual(['blue']);
  });

  test('{locale: "simple"} is binary comparison', async () => {
    const coll = await people('simple', rows());
    expect(await coll.countDocuments({ name: 'LI' }, { collation: { locale: 'simple' } })).toBe(0);
  });

  test('an unknown locale is refused (BadValue)', async () => {
    const coll = await people('badlocale', rows());
    const err = await rejection(coll.find({}, { collation: { locale: 'xx' } }).toArray());
    expect(err.code).toBe(2);
  });
});
