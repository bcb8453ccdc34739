/**
 * A transaction's unique keys are checked per statement against its own view (its snapshot
 * plus its earlier writes), as mongod does; the commit then applies the end state as a whole,
 * so an order of statements that is legal at every step also commits.
 */
import type { ClientSession } from 'mongodb';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('txn_atomic');
const codes = () => f.db.collection<{ _id: string; code: string }>('codes');

beforeAll(async () => {
  // Created up front: creating collections inside a transaction needs MongoDB 4.4+.
  await f.db.createCollection('codes');
  await codes().createIndex({ code: 1 }, { unique: true });
});

beforeEach(async () => {
  await codes().deleteMany({});
  await codes().insertMany([
    { _id: 'a', code: 'x' },
    { _id: 'b', code: 'y' },
  ]);
});

async function inTransaction(work: (session: ClientSession) => Promise<void>): Promise<void> {
  const session = f.client.startSession();
  try {
    await session.withTransaction(() => work(session));
  } finally {
    await session.endSession();
  }
}

async function allCodes(): Promise<Array<{ _id: string; code: string }>> {
  return codes().find().sort({ _id: 1 }).toArray();
}

describe('transactions: unique keys and atomic commit', () => {
  test('two documents swap unique codes through a temporary value and the swap commits', async () => {
    await inTransaction(async (session) => {
      await codes().updateOne({ _id: 'a' }, { $set: { code: 'tmp' } }, { session });
      await codes().updateOne({ _id: 'b' }, { $set: { code: 'x' } }, { session });
      await codes().updateOne({ _id: 'a' }, { $set: { code: 'y' } }, { session });
    });
    expect(await allCodes()).toEqual([
      { _id: 'a', code: 'y' },
      { _id: 'b', code: 'x' },
    ]);
  });

  test('a unique code moves from an existing document to one the transaction inserted', async () => {
    await inTransaction(async (session) => {
      await codes().insertOne({ _id: 'c', code: 'new' }, { session });
      await codes().updateOne({ _id: 'a' }, { $set: { code: 'retired' } }, { session });
      await codes().updateOne({ _id: 'c' }, { $set: { code: 'x' } }, { session });
    });
    expect(await allCodes()).toEqual([
      { _id: 'a', code: 'retired' },
      { _id: 'b', code: 'y' },
      { _id: 'c', code: 'x' },
    ]);
  });

  test('a direct swap fails with E11000 at the statement that makes the duplicate, and nothing of the transaction lands', async () => {
    const session = f.client.startSession();
    try {
      session.startTransaction();
      await codes().updateOne({ _id: 'b' }, { $set: { note: 'first write' } }, { session });
      const err = await rejection(codes().updateOne({ _id: 'a' }, { $set: { code: 'y' } }, { session }));
      expect(err.code).toBe(11000);
      expect(err.keyValue).toEqual({ code: 'y' });
      // Drivers ignore abortTransaction's errors, so this holds whether or not the failure already ended it.
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(await allCodes()).toEqual([
      { _id: 'a', code: 'x' },
      { _id: 'b', code: 'y' },
    ]);
  });

  test('a transaction may delete the holder of a unique code and give the code to another document', async () => {
    await inTransaction(async (session) => {
      await codes().insertOne({ _id: 'c', code: 'placeholder' }, { session });
      await codes().deleteOne({ _id: 'a' }, { session });
      await codes().updateOne({ _id: 'c' }, { $set: { code: 'x' } }, { session });
    });
    expect(await allCodes()).toEqual([
      { _id: 'b', code: 'y' },
      { _id: 'c', code: 'x' },
    ]);
  });
});

describe('transactions: reads see the data as of the first operation', () => {
  const others = () => f.db.collection<{ _id: string; n: number }>('others');
  beforeAll(() => f.db.createCollection('others'));
  beforeEach(async () => {
    await others().deleteMany({});
    await others().insertOne({ _id: 'o', n: 1 });
  });

  test('writes committed by others after the first operation stay invisible, in every collection', async () => {
    const session = f.client.startSession();
    try {
      session.startTransaction({ readConcern: { level: 'snapshot' } });
      expect(await codes().findOne({ _id: 'a' }, { session })).toEqual({ _id: 'a', code: 'x' });
      await codes().updateOne({ _id: 'a' }, { $set: { code: 'changed' } });
      await codes().insertOne({ _id: 'late', code: 'late' });
      await codes().deleteOne({ _id: 'b' });
      await others().updateOne({ _id: 'o' }, { $set: { n: 2 } });
      expect(await codes().find({}, { session }).sort({ _id: 1 }).toArray()).toEqual([
        { _id: 'a', code: 'x' },
        { _id: 'b', code: 'y' },
      ]);
      expect(await codes().findOne({ code: 'y' }, { session })).toEqual({ _id: 'b', code: 'y' });
      expect(await others().findOne({ _id: 'o' }, { session })).toEqual({ _id: 'o', n: 1 });
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect(await others().findOne({ _id: 'o' })).toEqual({ _id: 'o', n: 2 });
  });

  test('writing a document someone changed after the first operation is a WriteConflict', async () => {
    const session = f.client.startSession();
    try {
      session.startTransaction({ readConcern: { level: 'snapshot' } });
      await others().findOne({ _id: 'o' }, { session });
      await codes().updateOne({ _id: 'a' }, { $set: { code: 'outside' } });
      const err = await rejection(codes().updateOne({ _id: 'a' }, { $set: { code: 'inside' } }, { session }));
      expect(err.code).toBe(112);
      expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(await codes().findOne({ _id: 'a' })).toEqual({ _id: 'a', code: 'outside' });
  });

  test('two overlapping transactions each keep their own moment when the first one ends', async () => {
    const first = f.client.startSession();
    const second = f.client.startSession();
    try {
      first.startTransaction({ readConcern: { level: 'snapshot' } });
      await codes().findOne({ _id: 'a' }, { session: first });
      await codes().updateOne({ _id: 'a' }, { $set: { code: 'after first began' } });
      second.startTransaction({ readConcern: { level: 'snapshot' } });
      await others().findOne({ _id: 'o' }, { session: second });
      await codes().updateOne({ _id: 'a' }, { $set: { code: 'after second began' } });
      expect(await codes().findOne({ _id: 'a' }, { session: first })).toEqual({ _id: 'a', code: 'x' });
      await first.commitTransaction();
      expect(await codes().findOne({ _id: 'a' }, { session: second })).toEqual({ _id: 'a', code: 'after first began' });
      await second.commitTransaction();
    } finally {
      await first.endSession();
      await second.endSession();
    }
    expect(await codes().findOne({ _id: 'a' })).toEqual({ _id: 'a', code: 'after second began' });
  });
});
