import { MongoServerError } from 'mongodb';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('txn');
beforeAll(async () => {
  // Collections are created up front: creating them inside a transaction needs MongoDB 4.4+.
  await f.db.createCollection('accounts');
  await f.db.createCollection('ledger');
});

beforeEach(async () => {
  await f.db.collection('accounts').deleteMany({});
  await f.db.collection('ledger').deleteMany({});
  await f.db.collection('accounts').insertMany([{ _id: 'a' as any, balance: 100 }, { _id: 'b' as any, balance: 0 }]);
});

async function balances() {
  return (await f.db.collection('accounts').find().sort({ _id: 1 }).toArray()).map((d) => d.balance);
}

describe('transactions', () => {
  test('withTransaction commits writes to several collections together', async () => {
    await f.client.withSession(async (session) => {
    await session.withTransaction(async () => {
      await f.db.collection('accounts').updateOne({ _id: 'a' as any }, { $inc: { balance: -30 } }, { session });
      await f.db.collection('accounts').updateOne({ _id: 'b' as any }, { $inc: { balance: 30 } }, { session });
      await f.db.collection('ledger').insertOne({ from: 'a', to: 'b', amount: 30 }, { session });
    });
    });
    expect(await balances()).toEqual([70, 30]);
    expect(await f.db.collection('ledger').countDocuments()).toBe(1);
  });

  test('uncommitted writes are invisible outside and visible inside the transaction', async () => {
    await f.client.withSession(async (session) => {
    session.startTransaction();
    await f.db.collection('accounts').updateOne({ _id: 'a' as any }, { $set: { balance: 1 } }, { session });
    expect((await f.db.collection('accounts').findOne({ _id: 'a' as any }, { session }))!.balance).toBe(1);
    expect((await f.db.collection('accounts').findOne({ _id: 'a' as any }))!.balance).toBe(100);
    await session.commitTransaction();
    });
    expect((await f.db.collection('accounts').findOne({ _id: 'a' as any }))!.balance).toBe(1);
  });

  test('abortTransaction rolls every write back', async () => {
    await f.client.withSession(async (session) => {
    session.startTransaction();
    await f.db.collection('accounts').updateOne({ _id: 'a' as any }, { $inc: { balance: -50 } }, { session });
    await f.db.collection('accounts').deleteOne({ _id: 'b' as any }, { session });
    await f.db.collection('ledger').insertOne({ note: 'never' }, { session });
    await session.abortTransaction();
    });
    expect(await balances()).toEqual([100, 0]);
    expect(await f.db.collection('ledger').countDocuments()).toBe(0);
  });

  test('an exception inside withTransaction rolls back and reaches the caller', async () => {
    await f.client.withSession(async (session) => {
    const err = await rejection(
      session.withTransaction(async () => {
        await f.db.collection('accounts').updateOne({ _id: 'a' as any }, { $inc: { balance: -10 } }, { session });
        throw new Error('insufficient funds');
      }),
    );
    expect(err.message).toBe('insufficient funds');
    });
    expect(await balances()).toEqual([100, 0]);
  });

  test('unique indexes see a transaction’s keys only once it commits', async () => {
    const coll = f.db.collection('accounts');
    await coll.createIndex({ iban: 1 }, { unique: true, sparse: true });
    await f.client.withSession(async (session) => {
      session.startTransaction();
      await coll.insertOne({ _id: 'c' as any, iban: 'CN01' }, { session });
      await session.abortTransaction();
    });
    await coll.insertOne({ _id: 'd' as any, iban: 'CN01' });
    await f.client.withSession((session) =>
      session.withTransaction(async () => {
        await coll.updateOne({ _id: 'd' as any }, { $set: { iban: 'CN02' } }, { session });
        await coll.insertOne({ _id: 'e' as any, iban: 'CN01' }, { session });
      }),
    );
    expect((await rejection(coll.insertOne({ iban: 'CN02' }))).code).toBe(11000);
    expect((await rejection(coll.insertOne({ iban: 'CN01' }))).code).toBe(11000);
    expect(await coll.find({ iban: { $in: ['CN01', 'CN02'] } }).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'd', iban: 'CN02' },
      { _id: 'e', iban: 'CN01' },
    ]);
    await coll.dropIndex('iban_1');
  });

  test('a second transaction writing the same document gets WriteConflict (112, TransientTransactionError)', async () => {
    const first = f.client.startSession();
    const second = f.client.startSession();
    try {
      first.startTransaction();
      second.startTransaction();
      await f.db.collection('accounts').updateOne({ _id: 'a' as any }, { $inc: { balance: 1 } }, { session: first });
      const err = await rejection(f.db.collection('accounts').updateOne({ _id: 'a' as any }, { $inc: { balance: 2 } }, { session: second }));
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(112);
      expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
      await second.abortTransaction();
      await first.commitTransaction();
    } finally {
      await first.endSession();
      await second.endSession();
    }
    expect(await balances()).toEqual([101, 0]);
  });

  test('withTransaction retries after a conflict and both transfers land', async () => {
    const run = async (amount: number) => {
      const session = f.client.startSession();
      try {
        await session.withTransaction(async () => {
          const doc = await f.db.collection('accounts').findOne({ _id: 'a' as any }, { session });
          await f.db.collection('accounts').updateOne({ _id: 'a' as any }, { $set: { balance: doc!.balance - amount } }, { session });
        });
      } finally {
        await session.endSession();
      }
    };
    await Promise.all([run(10), run(20)]);
    expect((await balances())[0]).toBe(70);
  });
});
