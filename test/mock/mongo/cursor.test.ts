import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('cursor');
beforeAll(async () => {
  const docs = Array.from({ length: 10_000 }, (_, i) => ({ _id: i as any, i, pad: 'x'.repeat(50) }));
  await f.db.collection('big').insertMany(docs);
});

describe('cursors', () => {
  test('10,000 documents read with batchSize 100 arrive complete and in order', async () => {
    const seen: number[] = [];
    for await (const doc of f.db.collection('big').find({}, { batchSize: 100 }).sort({ i: 1 })) seen.push(doc.i);
    expect(seen).toHaveLength(10_000);
    expect(seen.every((v, idx) => v === idx)).toBe(true);
  });

  test('the raw find reply holds one batch and a Long cursor id that getMore continues', async () => {
    const first = await f.db.command({ find: 'big', filter: {}, sort: { _id: 1 }, batchSize: 100 }, { promoteLongs: false });
    expect(first.cursor.firstBatch).toHaveLength(100);
    expect(first.cursor.ns).toBe(`${f.db.databaseName}.big`);
    expect(first.cursor.id.constructor.name).toBe('Long');
    const next = await f.db.command({ getMore: first.cursor.id, collection: 'big', batchSize: 250 });
    expect(next.cursor.nextBatch).toHaveLength(250);
    expect(next.cursor.nextBatch[0]._id).toBe(100);
    await f.db.command({ killCursors: 'big', cursors: [first.cursor.id] });
    const err = await rejection(f.db.command({ getMore: first.cursor.id, collection: 'big' }));
    expect(err.code).toBe(43);
  });

  test('an aggregate cursor with batchSize 100 also pages through everything', async () => {
    const cursor = f.db.collection('big').aggregate([{ $match: { i: { $gte: 5000 } } }, { $project: { i: 1 } }], { batchSize: 100 });
    let count = 0;
    for await (const _doc of cursor) count++;
    expect(count).toBe(5000);
  });

  test('limit and a cursor closed early', async () => {
    expect(await f.db.collection('big').find({}).sort({ i: -1 }).limit(3).map((d) => d.i).toArray()).toEqual([9999, 9998, 9997]);
    const cursor = f.db.collection('big').find({}, { batchSize: 10 });
    expect((await cursor.next())!.i).toBe(0);
    await expect(cursor.close()).resolves.toBeUndefined();
    expect(await f.db.collection('big').countDocuments()).toBe(10_000);
  });
});
