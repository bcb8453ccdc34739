import mongoose, { Schema, type Connection } from 'mongoose';
import { testMongo, uniqueDbName, type TestMongo } from '../../helpers/mongo';

let mongo: TestMongo;
let conn: Connection;

const shopSchema = new Schema({
  code: { type: String, required: true, unique: true },
  name: String,
  grade: { type: String, enum: ['A', 'B', 'C'] },
  likes: { type: Number, default: 0 },
  tags: [String],
});
shopSchema.index({ grade: 1, likes: -1 });

const instrumentSchema = new Schema({
  serial: { type: String, required: true, unique: true },
  shop: { type: Schema.Types.ObjectId, ref: 'Shop', required: true },
  verifiedAt: Date,
});

const dailySchema = new Schema({ shop: String, day: String, scans: Number, firstAt: Date });
dailySchema.index({ shop: 1, day: 1 }, { unique: true });

beforeAll(async () => {
  mongo = await testMongo();
  conn = await mongoose.createConnection(mongo.uri, { dbName: uniqueDbName('mongoose') }).asPromise();
  conn.model('Shop', shopSchema);
  conn.model('Instrument', instrumentSchema);
  conn.model('Daily', dailySchema);
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
});
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
  await mongo.stop();
});

describe('mongoose against the server', () => {
  test('schema indexes are created as declared', async () => {
    const indexes = await conn.model('Shop').listIndexes();
    expect(indexes.map((i: any) => i.name).sort()).toEqual(['_id_', 'code_1', 'grade_1_likes_-1']);
    expect(indexes.find((i: any) => i.name === 'code_1')).toMatchObject({ unique: true });
  });

  test('create, find, update, delete through a model', async () => {
    const Shop = conn.model('Shop');
    const created = await Shop.create({ code: 'S-001', name: '泉城计量', grade: 'A', tags: ['scale'] });
    expect(created._id).toBeInstanceOf(mongoose.Types.ObjectId);
    const found = await Shop.findOne({ code: 'S-001' }).lean<any>();
    expect(found).toMatchObject({ code: 'S-001', name: '泉城计量', grade: 'A', likes: 0, tags: ['scale'], __v: 0 });
    await Shop.updateOne({ code: 'S-001' }, { $inc: { likes: 2 }, $push: { tags: 'pump' } });
    expect(await Shop.findById(created._id).lean<any>()).toMatchObject({ likes: 2, tags: ['scale', 'pump'] });
    const doc = await Shop.findById(created._id);
    doc!.set('name', '新名字');
    await doc!.save();
    expect((await Shop.findById(created._id).lean<any>()).name).toBe('新名字');
    await Shop.deleteOne({ _id: created._id });
    expect(await Shop.countDocuments({ code: 'S-001' })).toBe(0);
  });

  test('a duplicate unique key surfaces as a MongoServerError 11000 with keyValue', async () => {
    const Shop = conn.model('Shop');
    await Shop.create({ code: 'DUP' });
    const err: any = await Shop.create({ code: 'DUP' }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ code: 'DUP' });
    expect(err.keyPattern).toEqual({ code: 1 });
  });

  test('populate follows ObjectId references', async () => {
    const Shop = conn.model('Shop');
    const Instrument = conn.model('Instrument');
    const shop = await Shop.create({ code: 'POP', name: '引用店' });
    await Instrument.create({ serial: 'I-1', shop: shop._id, verifiedAt: new Date('2026-01-01') });
    const instrument = await Instrument.findOne({ serial: 'I-1' }).populate('shop').lean<any>();
    expect(instrument.shop.name).toBe('引用店');
    expect(instrument.verifiedAt).toEqual(new Date('2026-01-01'));
  });

  test('findOneAndUpdate upsert with $setOnInsert counts per shop and day', async () => {
    const Daily = conn.model('Daily');
    const bump = () =>
      Daily.findOneAndUpdate(
        { shop: 's1', day: '2026-01-01' },
        { $inc: { scans: 1 }, $setOnInsert: { firstAt: new Date('2026-01-01T08:00:00Z') } },
        { upsert: true, returnDocument: 'after' },
      ).lean<any>();
    await bump();
    const second = await bump();
    expect(second).toMatchObject({ shop: 's1', day: '2026-01-01', scans: 2, firstAt: new Date('2026-01-01T08:00:00Z') });
    expect(await Daily.countDocuments()).toBe(1);
  });

  test('sort, skip, limit, select and aggregate', async () => {
    const Shop = conn.model('Shop');
    await Shop.insertMany([
      { code: 'G1', grade: 'B', likes: 5 },
      { code: 'G2', grade: 'B', likes: 9 },
      { code: 'G3', grade: 'C', likes: 1 },
    ]);
    const top = await Shop.find({ grade: 'B' }).sort({ likes: -1 }).limit(1).select('code -_id').lean();
    expect(top).toEqual([{ code: 'G2' }]);
    const byGrade = await Shop.aggregate([{ $match: { code: /^G/ } }, { $group: { _id: '$grade', likes: { $sum: '$likes' } } }, { $sort: { _id: 1 } }]);
    expect(byGrade).toEqual([{ _id: 'B', likes: 14 }, { _id: 'C', likes: 1 }]);
  });

  test('a mongoose transaction commits or rolls back as a whole', async () => {
    const Shop = conn.model('Shop');
    await conn.transaction(async (session) => {
      await Shop.create([{ code: 'T-1' }], { session });
      await Shop.updateOne({ code: 'T-1' }, { $set: { name: 'in txn' } }, { session });
    });
    expect((await Shop.findOne({ code: 'T-1' }).lean<any>()).name).toBe('in txn');
    const err = await conn
      .transaction(async (session) => {
        await Shop.create([{ code: 'T-2' }], { session });
        throw new Error('rollback please');
      })
      .catch((e) => e);
    expect(err.message).toBe('rollback please');
    expect(await Shop.countDocuments({ code: 'T-2' })).toBe(0);
  });
});
