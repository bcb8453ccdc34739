import { useDriverFixture } from './fixture';

const f = useDriverFixture('agg');
beforeAll(async () => {
  await f.db.collection('scans').insertMany([
    { _id: 1 as any, shop: 's1', kind: 'scale', n: 3, day: new Date('2026-01-01') },
    { _id: 2 as any, shop: 's1', kind: 'meter', n: 5, day: new Date('2026-01-02') },
    { _id: 3 as any, shop: 's2', kind: 'scale', n: 1, day: new Date('2026-01-02') },
    { _id: 4 as any, shop: 's3', kind: 'pump', n: 7, day: new Date('2026-01-03'), tags: ['x', 'y'] },
  ]);
  await f.db.collection('shops').insertMany([
    { _id: 's1' as any, name: '一号店' },
    { _id: 's2' as any, name: '二号店' },
  ]);
});

describe('aggregate', () => {
  test('$match, $group with accumulators and $sort', async () => {
    const result = await f.db
      .collection('scans')
      .aggregate([{ $match: { n: { $gte: 1 } } }, { $group: { _id: '$shop', total: { $sum: '$n' }, count: { $sum: 1 } } }, { $sort: { total: -1 } }])
      .toArray();
    expect(result).toEqual([
      { _id: 's1', total: 8, count: 2 },
      { _id: 's3', total: 7, count: 1 },
      { _id: 's2', total: 1, count: 1 },
    ]);
  });

  test('$lookup joins another collection of the same database', async () => {
    const result = await f.db
      .collection('scans')
      .aggregate([
        { $match: { kind: 'scale' } },
        { $lookup: { from: 'shops', localField: 'shop', foreignField: '_id', as: 'shop' } },
        { $unwind: '$shop' },
        { $project: { _id: 1, shopName: '$shop.name' } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(result).toEqual([
      { _id: 1, shopName: '一号店' },
      { _id: 3, shopName: '二号店' },
    ]);
  });

  test('aggregation stages do not change the stored documents', async () => {
    await f.db.collection('shops').aggregate([{ $set: { name: 'changed' } }, { $unset: '_id' }]).toArray();
    expect(await f.db.collection('shops').findOne({ _id: 's1' as any })).toEqual({ _id: 's1', name: '一号店' });
  });

  test('$unwind, $count, $skip, $limit, $facet and date operators', async () => {
    const coll = f.db.collection('scans');
    expect(await coll.aggregate([{ $unwind: '$tags' }, { $count: 'n' }]).toArray()).toEqual([{ n: 2 }]);
    expect(await coll.aggregate([{ $sort: { _id: 1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 1 } }]).toArray()).toEqual([{ _id: 2 }, { _id: 3 }]);
    const [facets] = await coll
      .aggregate([{ $facet: { byKind: [{ $group: { _id: '$kind', c: { $sum: 1 } } }, { $sort: { _id: 1 } }], total: [{ $count: 'n' }] } }])
      .toArray();
    expect(facets).toEqual({ byKind: [{ _id: 'meter', c: 1 }, { _id: 'pump', c: 1 }, { _id: 'scale', c: 2 }], total: [{ n: 4 }] });
    const days = await coll.aggregate([{ $match: { _id: 1 } }, { $project: { _id: 0, d: { $dateToString: { format: '%Y-%m-%d', date: '$day' } } } }]).toArray();
    expect(days).toEqual([{ d: '2026-01-01' }]);
  });

  test('$out writes the result into a collection', async () => {
    await f.db.collection('scans').aggregate([{ $match: { shop: 's1' } }, { $project: { n: 1 } }, { $out: 'scan_copy' }]).toArray();
    expect(await f.db.collection('scan_copy').find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1, n: 3 }, { _id: 2, n: 5 }]);
  });
});

describe('count, countDocuments, estimatedDocumentCount and distinct', () => {
  test('countDocuments honours filter, skip and limit', async () => {
    const coll = f.db.collection('scans');
    expect(await coll.countDocuments({ shop: 's1' })).toBe(2);
    expect(await coll.countDocuments({}, { skip: 1, limit: 2 })).toBe(2);
    expect(await coll.countDocuments({}, { skip: 3 })).toBe(1);
    expect(await coll.countDocuments({ shop: 'none' })).toBe(0);
    expect(await f.db.collection('does_not_exist').countDocuments()).toBe(0);
  });

  test('the count command and estimatedDocumentCount', async () => {
    expect(await f.db.collection('scans').estimatedDocumentCount()).toBe(4);
    expect((await f.db.command({ count: 'scans', query: { kind: 'scale' } })).n).toBe(2);
    expect((await f.db.command({ count: 'scans', skip: 1, limit: 2 })).n).toBe(2);
  });

  test('distinct returns each value once, unwinding arrays, and honours the query', async () => {
    const coll = f.db.collection('scans');
    expect((await coll.distinct('shop')).sort()).toEqual(['s1', 's2', 's3']);
    expect((await coll.distinct('kind', { shop: 's1' })).sort()).toEqual(['meter', 'scale']);
    expect((await coll.distinct('tags')).sort()).toEqual(['x', 'y']);
    expect(await coll.distinct('nothing')).toEqual([]);
  });
});
