import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('colloptions');

async function optionsOf(name: string) {
  const [info] = await f.db.listCollections({ name }).toArray();
  return (info as any).options;
}

const personSchema = {
  $jsonSchema: {
    bsonType: 'object',
    required: ['name', 'age'],
    properties: {
      name: { bsonType: 'string', minLength: 2 },
      age: { bsonType: 'int', minimum: 0, maximum: 150 },
      tags: { bsonType: 'array', items: { bsonType: 'string' } },
      status: { enum: ['active', 'retired'] },
    },
  },
};

describe('create options', () => {
  test("an option mongod does not know is refused (40415 \"BSON field 'create.x' is an unknown field\")", async () => {
    const err = await rejection(f.db.command({ create: 'unknownOpt', notAnOption: true }));
    expect(err.code).toBe(40415);
    expect(err.message).toContain("BSON field 'create.notAnOption' is an unknown field");
    expect((await f.db.listCollections({ name: 'unknownOpt' }).toArray()).length).toBe(0);
  });

  test("capped without size is InvalidOptions (72), and so is size or max without capped", async () => {
    const noSize = await rejection(f.db.command({ create: 'cappedNoSize', capped: true, max: 10 }));
    expect(noSize.code).toBe(72);
    expect(noSize.message).toContain("the 'size' field is required when 'capped' is true");
    const notCapped = await rejection(f.db.command({ create: 'sizeNoCapped', size: 4096 }));
    expect(notCapped.code).toBe(72);
  });

  test('listCollections shows the options a collection was created with, and no others', async () => {
    await f.db.createCollection('plain');
    expect(await optionsOf('plain')).toEqual({});
    await f.db.createCollection('cappedListed', { capped: true, size: 4096, max: 3 });
    expect(await optionsOf('cappedListed')).toEqual({ capped: true, size: 4096, max: 3 });
    await f.db.createCollection('validated', { validator: personSchema });
    expect(await optionsOf('validated')).toEqual({ validator: personSchema });
    await f.db.createCollection('leveled', { validator: { qty: { $gte: 0 } }, validationLevel: 'moderate', validationAction: 'warn' });
    expect(await optionsOf('leveled')).toEqual({ validator: { qty: { $gte: 0 } }, validationLevel: 'moderate', validationAction: 'warn' });
  });

  test('a time-series create makes a time-series collection or fails, never a plain collection', async () => {
    const outcome = await f.db.createCollection('series', { timeseries: { timeField: 'at' } }).then(
      () => 'created',
      (err) => err,
    );
    const [info] = await f.db.listCollections({ name: 'series' }).toArray();
    if (outcome === 'created') expect(info.type).toBe('timeseries');
    else {
      expect(outcome.code).toBeGreaterThan(0);
      expect(info).toBeUndefined();
    }
  });

  test('an invalid validationLevel is refused', async () => {
    const err = await rejection(f.db.command({ create: 'badLevel', validator: { a: 1 }, validationLevel: 'sometimes' }));
    expect(err.code).toBe(2);
  });
});

describe('capped collections', () => {
  test('keep at most max documents, dropping the oldest, in insertion order', async () => {
    const log = await f.db.createCollection('cappedMax', { capped: true, size: 100_000, max: 3 });
    for (let i = 1; i <= 5; i++) await log.insertOne({ _id: i as any, i });
    expect((await log.find().toArray()).map((d) => d._id)).toEqual([3, 4, 5]);
    expect((await log.find().sort({ $natural: -1 }).toArray()).map((d) => d._id)).toEqual([5, 4, 3]);
  });

  test('keep at most size bytes of documents, dropping the oldest', async () => {
    const log = await f.db.createCollection('cappedSize', { capped: true, size: 4096 });
    const filler = 'x'.repeat(1000);
    for (let i = 1; i <= 10; i++) await log.insertOne({ _id: i as any, filler });
    const ids = (await log.find().toArray()).map((d) => d._id);
    expect(ids.length).toBeLessThanOrEqual(4);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(ids).toEqual([10 - ids.length + 1, 10 - ids.length + 2, 10 - ids.length + 3, 10 - ids.length + 4].slice(0, ids.length));
  });
});

describe('document validation', () => {
  test('an insert failing a $jsonSchema validator is DocumentValidationFailure (121) with errInfo', async () => {
    const people = await f.db.createCollection('people', { validator: personSchema });
    await people.insertOne({ _id: 1 as any, name: 'Ann', age: 30 });
    const err = await rejection(people.insertOne({ _id: 2 as any, name: 'Bob' }));
    expect(err.code).toBe(121);
    expect(err.errInfo.failingDocumentId).toBe(2);
    expect(err.errInfo.details.operatorName).toBe('$jsonSchema');
    const required = err.errInfo.details.schemaRulesNotSatisfied.find((r: any) => r.operatorName === 'required');
    expect(required.missingProperties).toEqual(['age']);
    for (const bad of [
      { name: 'Cy', age: 'old' },
      { name: 'D', age: 20 },
      { name: 'Eve', age: 200 },
      { name: 'Fay', age: 40, tags: ['a', 3] },
      { name: 'Gus', age: 40, status: 'lost' },
    ]) {
      expect((await rejection(people.insertOne(bad))).code).toBe(121);
    }
    expect(await people.countDocuments()).toBe(1);
  });

  test('an update whose result fails the validator is refused and changes nothing', async () => {
    const people = f.db.collection('people');
    const err = await rejection(people.updateOne({ _id: 1 as any }, { $unset: { age: '' } }));
    expect(err.code).toBe(121);
    const replace = await rejection(people.replaceOne({ _id: 1 as any }, { name: 'Ann' }));
    expect(replace.code).toBe(121);
    expect(await people.findOne({ _id: 1 as any })).toEqual({ _id: 1, name: 'Ann', age: 30 });
    await people.updateOne({ _id: 1 as any }, { $set: { age: 31 } });
    expect((await people.findOne({ _id: 1 as any }))!.age).toBe(31);
  });

  test('query-operator validators apply too', async () => {
    const stock = await f.db.createCollection('stock', { validator: { qty: { $gte: 0 }, sku: { $type: 'string' } } });
    await stock.insertOne({ sku: 'a', qty: 1 });
    const negative = await rejection(stock.insertOne({ sku: 'b', qty: -1 }));
    expect(negative.code).toBe(121);
    expect(negative.errInfo.details.operatorName).toBe('$and');
    expect(negative.errInfo.details.clausesNotSatisfied).toEqual([
      { index: 0, details: { operatorName: '$gte', specifiedAs: { qty: { $gte: 0 } }, reason: 'comparison failed', consideredValue: -1 } },
    ]);
    expect((await rejection(stock.insertOne({ sku: 3, qty: 1 }))).code).toBe(121);
    expect((await rejection(stock.updateOne({ sku: 'a' }, { $inc: { qty: -5 } }))).code).toBe(121);
  });

  test('bypassDocumentValidation lets an invalid document in', async () => {
    const stock = f.db.collection('stock');
    await stock.insertOne({ sku: 'c', qty: -3 }, { bypassDocumentValidation: true });
    expect(await stock.countDocuments({ sku: 'c' })).toBe(1);
  });

  test("validationAction 'warn' accepts invalid documents", async () => {
    const loose = await f.db.createCollection('loose', { validator: { qty: { $gte: 0 } }, validationAction: 'warn' });
    await loose.insertOne({ qty: -1 });
    expect(await loose.countDocuments()).toBe(1);
  });

  test("validationLevel 'moderate' lets already-invalid documents be updated, but not valid ones broken", async () => {
    const items = await f.db.createCollection('moderate');
    await items.insertMany([
      { _id: 'old' as any, qty: -1 },
      { _id: 'good' as any, qty: 1 },
    ]);
    await f.db.command({ collMod: 'moderate', validator: { qty: { $gte: 0 } }, validationLevel: 'moderate' });
    await items.updateOne({ _id: 'old' as any }, { $set: { qty: -2 } });
    expect((await items.findOne({ _id: 'old' as any }))!.qty).toBe(-2);
    expect((await rejection(items.updateOne({ _id: 'good' as any }, { $set: { qty: -1 } }))).code).toBe(121);
    expect((await rejection(items.insertOne({ qty: -5 }))).code).toBe(121);
  });

  test('collMod sets a validator on an existing collection, and listCollections shows it', async () => {
    const later = await f.db.createCollection('later');
    await later.insertOne({ qty: -1 });
    await f.db.command({ collMod: 'later', validator: { qty: { $gte: 0 } } });
    expect(await optionsOf('later')).toEqual({ validator: { qty: { $gte: 0 } } });
    expect((await rejection(later.insertOne({ qty: -2 }))).code).toBe(121);
    const strict = await rejection(later.updateOne({ qty: -1 }, { $set: { note: 'x' } }));
    expect(strict.code).toBe(121);
  });

  test('collMod of a missing collection is NamespaceNotFound (26); of an unknown field 40415', async () => {
    expect((await rejection(f.db.command({ collMod: 'nowhere', validator: {} }))).code).toBe(26);
    expect((await rejection(f.db.command({ collMod: 'later', bogusOption: 1 }))).code).toBe(40415);
  });

  test('$jsonSchema additionalProperties, pattern, anyOf and not are enforced', async () => {
    const codes = await f.db.createCollection('codes', {
      validator: {
        $jsonSchema: {
          bsonType: 'object',
          additionalProperties: false,
          properties: {
            _id: { bsonType: 'objectId' },
            code: { bsonType: 'string', pattern: '^[A-Z]{2}[0-9]{3}$' },
            qty: { anyOf: [{ bsonType: 'int' }, { bsonType: 'null' }] },
            note: { not: { enum: ['forbidden'] } },
          },
        },
      },
    });
    await codes.insertOne({ code: 'AB123', qty: null, note: 'fine' });
    const extra = await rejection(codes.insertOne({ code: 'AB124', other: 1 }));
    expect(extra.code).toBe(121);
    const rule = extra.errInfo.details.schemaRulesNotSatisfied.find((r: any) => r.operatorName === 'additionalProperties');
    expect(rule.additionalProperties).toEqual(['other']);
    expect((await rejection(codes.insertOne({ code: 'ab123' }))).code).toBe(121);
    expect((await rejection(codes.insertOne({ code: 'AB125', qty: 'many' }))).code).toBe(121);
    expect((await rejection(codes.insertOne({ code: 'AB126', note: 'forbidden' }))).code).toBe(121);
    expect(await codes.countDocuments()).toBe(1);
  });

  test('an unknown $jsonSchema keyword is refused at create', async () => {
    const err = await rejection(f.db.createCollection('badSchema', { validator: { $jsonSchema: { bsonType: 'object', wibble: 1 } } }));
    expect(err.code).toBe(9);
  });
});

describe('the 16 MiB document limit', () => {
  const nineMiB = 'y'.repeat(9 * 1024 * 1024);

  test('an update whose result exceeds 16 MiB is refused and the document is unchanged', async () => {
    const big = f.db.collection('big');
    await big.insertOne({ _id: 1 as any, a: nineMiB });
    const err = await rejection(big.updateOne({ _id: 1 as any }, { $set: { b: nineMiB } }));
    expect([17419, 10334]).toContain(err.code);
    expect(err.message).toContain('Resulting document after update is larger than 16777216');
    const doc = await big.findOne({ _id: 1 as any }, { projection: { b: 1 } });
    expect(doc).toEqual({ _id: 1 });
  });

  test('an upsert whose new document exceeds 16 MiB is refused and inserts nothing', async () => {
    const big = f.db.collection('big');
    const err = await rejection(big.updateOne({ _id: 3 as any }, { $set: { a: 'u'.repeat(16 * 1024 * 1024 + 10) } }, { upsert: true }));
    expect([17420, 10334]).toContain(err.code);
    expect(err.message).toContain('Document to upsert is larger than 16777216');
    expect(await big.countDocuments({ _id: 3 as any })).toBe(0);
  });

  test('an insert of a document over 16 MiB is BSONObjectTooLarge (10334)', async () => {
    const big = f.db.collection('big');
    const err = await rejection(big.insertOne({ _id: 2 as any, a: 'z'.repeat(16 * 1024 * 1024 + 10) }));
    expect(err.code).toBe(10334);
    expect(err.message).toContain('object to insert too large');
    expect(await big.countDocuments({ _id: 2 as any })).toBe(0);
  });
});

describe('hint', () => {
  const NO_INDEX = 'hint provided does not correspond to an existing index';

  async function seedHinted() {
    const coll = f.db.collection('hinted');
    await coll.insertMany([
      { _id: 1 as any, a: 3, b: 'x' },
      { _id: 2 as any, a: 1, b: 'z' },
      { _id: 3 as any, a: 2, b: 'y' },
    ]);
    await coll.createIndex({ a: 1 }, { name: 'a_up' });
    await coll.createIndex({ b: -1 });
    return coll;
  }

  test('a hinted find without sort returns documents in the index order', async () => {
    const coll = await seedHinted();
    expect((await coll.find({}).hint({ a: 1 }).toArray()).map((d) => d._id)).toEqual([2, 3, 1]);
    expect((await coll.find({}).hint('a_up').toArray()).map((d) => d._id)).toEqual([2, 3, 1]);
    expect((await coll.find({}).hint({ b: -1 }).toArray()).map((d) => d._id)).toEqual([2, 3, 1]);
    expect((await coll.find({}).hint({ a: 1 }).limit(1).toArray()).map((d) => d._id)).toEqual([2]);
    expect((await coll.find({}).hint({ $natural: -1 }).toArray()).map((d) => d._id)).toEqual([3, 2, 1]);
    expect((await coll.find({}).hint({ a: 1 }).sort({ _id: -1 }).toArray()).map((d) => d._id)).toEqual([3, 2, 1]);
    const aggregated = await coll.aggregate([{ $match: {} }], { hint: { a: 1 } }).toArray();
    expect(aggregated.map((d) => d._id)).toEqual([2, 3, 1]);
  });

  test('a hint naming no index is BadValue (2) for find, count, aggregate, update and delete', async () => {
    const coll = f.db.collection('hinted');
    const find = await rejection(coll.find({}).hint({ c: 1 }).toArray());
    expect(find.code).toBe(2);
    expect(find.message).toContain(NO_INDEX);
    expect((await rejection(coll.find({}).hint('no_such_index').toArray())).message).toContain(NO_INDEX);
    expect((await rejection(coll.countDocuments({}, { hint: { c: 1 } }))).message).toContain(NO_INDEX);
    expect((await rejection(f.db.command({ count: 'hinted', query: {}, hint: { c: 1 } }))).message).toContain(NO_INDEX);
    expect((await rejection(coll.aggregate([{ $match: {} }], { hint: { c: 1 } }).toArray())).message).toContain(NO_INDEX);
    const update = await rejection(coll.updateOne({}, { $set: { u: 1 } }, { hint: { c: 1 } }));
    expect(update.code).toBe(2);
    expect(update.message).toContain(NO_INDEX);
    expect((await rejection(coll.deleteOne({}, { hint: { c: 1 } }))).message).toContain(NO_INDEX);
    expect((await rejection(coll.findOneAndUpdate({}, { $set: { u: 1 } }, { hint: { c: 1 } }))).message).toContain(NO_INDEX);
    expect(await coll.countDocuments({ u: 1 })).toBe(0);
  });

  test('a hinted updateOne and deleteOne take the first document in the index order', async () => {
    const coll = f.db.collection('hinted');
    await coll.updateOne({}, { $set: { first: true } }, { hint: { a: 1 } });
    expect((await coll.findOne({ first: true }))!._id).toBe(2);
    await coll.deleteOne({}, { hint: { b: -1 } });
    expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 3]);
  });
});

describe('capped collections and transactions', () => {
  test('a transaction may not write to a capped collection (OperationNotSupportedInTransaction, 263)', async () => {
    const log = await f.db.createCollection('cappedTxn', { capped: true, size: 4096 });
    const session = f.client.startSession();
    try {
      session.startTransaction();
      const err = await rejection(log.insertOne({ a: 1 }, { session }));
      expect(err.code).toBe(263);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await log.countDocuments()).toBe(0);
  });
});
