/**
 * Retryable writes (manual: core/retryable-writes; spec: source/retryable-writes of
 * mongodb/specifications). A write sent twice with the same lsid and txnNumber is applied once
 * and the retry gets the first attempt's result; raw commands here, so the test decides what
 * is resent. Runs against a real replica set too (MONGODB_URI).
 */
import { Long, type ClientSession, type Document } from 'mongodb';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('retry');
let session: ClientSession;
let txnNumber = 0;

beforeEach(() => {
  session = f.client.startSession();
});
afterEach(() => session.endSession());

/** Runs `command` as a retryable write of this test's session with the given txnNumber. */
function write(command: Document, number: number): Promise<Document> {
  return f.db.command({ ...command, txnNumber: Long.fromNumber(number) }, { session });
}

/** The parts of a write reply a client reads (a real server adds opTime, $clusterTime …). */
function outcome(reply: Document): Document {
  const { n, nModified, upserted, writeErrors, ok } = reply;
  return JSON.parse(JSON.stringify({ n, nModified, upserted, writeErrors, ok }));
}

function nextTxn(): number {
  txnNumber += 10;
  return txnNumber;
}

describe('retryable writes', () => {
  test('an insert retried with the same txnNumber is applied once and answers the first reply', async () => {
    const number = nextTxn();
    const insert = { insert: 'ins', documents: [{ _id: 'a1', v: 1 }, { _id: 'a2', v: 2 }] };
    const first = await write(insert, number);
    const retry = await write(insert, number);
    expect(outcome(retry)).toEqual(outcome(first));
    expect(first.n).toBe(2);
    expect(retry.retriedStmtIds).toEqual([0, 1]);
    expect(await f.db.collection('ins').countDocuments({ _id: { $in: ['a1', 'a2'] } as any })).toBe(2);
  });

  test('a new txnNumber is a new write: the same insert then fails with E11000', async () => {
    const insert = { insert: 'ins2', documents: [{ _id: 'b1' }] };
    expect((await write(insert, nextTxn())).n).toBe(1);
    const again = await write(insert, nextTxn());
    expect(again.n).toBe(0);
    expect(again.writeErrors[0].code).toBe(11000);
  });

  test('an update with $inc retried is applied once and reports n 1, nModified 1 both times', async () => {
    await f.db.collection('upd').insertOne({ _id: 'c' as any, count: 0 });
    const number = nextTxn();
    const update = { update: 'upd', updates: [{ q: { _id: 'c' }, u: { $inc: { count: 1 } } }] };
    const first = await write(update, number);
    const retry = await write(update, number);
    expect(outcome(first)).toEqual({ n: 1, nModified: 1, ok: 1 });
    expect(outcome(retry)).toEqual(outcome(first));
    expect(retry.retriedStmtIds).toEqual([0]);
    expect((await f.db.collection('upd').findOne({ _id: 'c' as any }))!.count).toBe(1);
  });

  test('an upsert retried reports the same upserted _id and leaves one document', async () => {
    const number = nextTxn();
    const update = { update: 'ups', updates: [{ q: { code: 'k' }, u: { $inc: { hits: 1 } }, upsert: true }] };
    const first = await write(update, number);
    const retry = await write(update, number);
    expect(first.upserted).toHaveLength(1);
    expect(outcome(retry)).toEqual(outcome(first));
    expect(await f.db.collection('ups').find({ code: 'k' }).toArray()).toEqual([{ _id: first.upserted[0]._id, code: 'k', hits: 1 }]);
  });

  test('findAndModify retried returns the same document and applies $inc once', async () => {
    await f.db.collection('fam').insertOne({ _id: 'seq' as any, next: 5 });
    const number = nextTxn();
    const command = { findAndModify: 'fam', query: { _id: 'seq' }, update: { $inc: { next: 1 } }, new: true };
    const first = await write(command, number);
    const retry = await write(command, number);
    expect(first.value).toEqual({ _id: 'seq', next: 6 });
    expect(retry.value).toEqual(first.value);
    expect(retry.lastErrorObject).toEqual(first.lastErrorObject);
    expect(retry.retriedStmtId).toBe(0);
    expect((await f.db.collection('fam').findOne({ _id: 'seq' as any }))!.next).toBe(6);
  });

  test('a deleteOne retried deletes one document, not a second match', async () => {
    await f.db.collection('del').insertMany([{ kind: 'x' }, { kind: 'x' }]);
    const number = nextTxn();
    const command = { delete: 'del', deletes: [{ q: { kind: 'x' }, limit: 1 }] };
    const first = await write(command, number);
    const retry = await write(command, number);
    expect(outcome(first)).toEqual({ n: 1, ok: 1 });
    expect(outcome(retry)).toEqual(outcome(first));
    expect(await f.db.collection('del').countDocuments({ kind: 'x' })).toBe(1);
  });

  test('a retry runs only the statements the first attempt did not execute', async () => {
    await f.db.collection('part').insertOne({ _id: 'p2' as any, taken: true });
    const number = nextTxn();
    const insert = { insert: 'part', documents: [{ _id: 'p1' }, { _id: 'p2' }, { _id: 'p3' }] };
    const first = await write(insert, number);
    expect(first.n).toBe(1);
    expect(first.writeErrors.map((e: Document) => [e.index, e.code])).toEqual([[1, 11000]]);
    await f.db.collection('part').deleteOne({ _id: 'p2' as any });
    const retry = await write(insert, number);
    expect(retry.n).toBe(3);
    expect(retry.writeErrors).toBeUndefined();
    expect(retry.retriedStmtIds).toEqual([0]);
    expect((await f.db.collection('part').find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['p1', 'p2', 'p3']);
  });

  test('an older txnNumber than the session has used is TransactionTooOld (225) and changes nothing', async () => {
    const newer = nextTxn();
    await write({ insert: 'old', documents: [{ _id: 'o1' }] }, newer);
    const err = await rejection(write({ insert: 'old', documents: [{ _id: 'o2' }] }, newer - 1));
    expect(err.code).toBe(225);
    expect(err.codeName).toBe('TransactionTooOld');
    expect(await f.db.collection('old').countDocuments()).toBe(1);
  });

  test('a multi:true update statement is refused with InvalidOptions (72), the other statements run', async () => {
    await f.db.collection('multi').insertMany([{ g: 1 }, { g: 1 }, { g: 2 }]);
    const reply = await write(
      {
        update: 'multi',
        updates: [
          { q: { g: 2 }, u: { $set: { seen: true } } },
          { q: { g: 1 }, u: { $set: { seen: true } }, multi: true },
        ],
        ordered: false,
      },
      nextTxn(),
    );
    expect(reply.n).toBe(1);
    expect(reply.writeErrors.map((e: Document) => [e.index, e.code])).toEqual([[1, 72]]);
    expect(await f.db.collection('multi').countDocuments({ seen: true })).toBe(1);
  });

  test('a delete with limit 0 is refused with InvalidOptions (72) and deletes nothing', async () => {
    await f.db.collection('multidel').insertMany([{ g: 1 }, { g: 1 }]);
    const reply = await write({ delete: 'multidel', deletes: [{ q: { g: 1 }, limit: 0 }] }, nextTxn());
    expect(reply.n).toBe(0);
    expect(reply.writeErrors[0].code).toBe(72);
    expect(await f.db.collection('multidel').countDocuments()).toBe(2);
  });

  test('the same update without txnNumber is applied on every send', async () => {
    await f.db.collection('plain').insertOne({ _id: 'p' as any, count: 0 });
    const update = { update: 'plain', updates: [{ q: { _id: 'p' }, u: { $inc: { count: 1 } } }] };
    await f.db.command(update, { session });
    await f.db.command(update, { session });
    expect((await f.db.collection('plain').findOne({ _id: 'p' as any }))!.count).toBe(2);
  });

  test('transactions and retryable writes share the session’s numbers: an older one of either is TransactionTooOld', async () => {
    await f.db.createCollection('shared').catch(() => undefined);
    const retryable = nextTxn();
    await write({ insert: 'shared', documents: [{ _id: 's1' }] }, retryable);
    const start = await rejection(
      f.db.command({ insert: 'shared', documents: [{ _id: 's2' }], txnNumber: Long.fromNumber(retryable - 1), startTransaction: true, autocommit: false }, { session }),
    );
    expect(start.code).toBe(225);
    const transaction = nextTxn();
    await f.db.command({ insert: 'shared', documents: [{ _id: 's3' }], txnNumber: Long.fromNumber(transaction), startTransaction: true, autocommit: false }, { session });
    const older = await rejection(write({ insert: 'shared', documents: [{ _id: 's4' }] }, transaction - 1));
    expect(older.code).toBe(225);
    // A newer retryable write aborts the open transaction: its insert never lands.
    expect((await write({ insert: 'shared', documents: [{ _id: 's5' }] }, nextTxn())).n).toBe(1);
    expect((await f.db.collection('shared').find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['s1', 's5']);
  });
});
