/**
 * `$facet` as mongod runs it: each sub-pipeline sees the same input and behaves as it would at
 * the top level ($lookup and $sort included), one output document even for no input, and
 * mongod's parse errors. The product's nearby search ($geoNear, then a page and its count in one
 * $facet) depends on it.
 */
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('facet');

beforeAll(async () => {
  await f.db.collection('shops').insertMany([
    { _id: 1 as any, name: 'fruit', location: { type: 'Point', coordinates: [117.022, 36.662] } },
    { _id: 2 as any, name: 'fish', location: { type: 'Point', coordinates: [117.035, 36.668] } },
    { _id: 3 as any, name: 'bakery', location: { type: 'Point', coordinates: [117.03, 36.645] } },
  ]);
  await f.db.collection('shops').createIndex({ location: '2dsphere' });
  await f.db.collection('scales').insertMany([
    { _id: 10 as any, shop: 1, inUse: true },
    { _id: 11 as any, shop: 1, inUse: true },
    { _id: 12 as any, shop: 1, inUse: false },
    { _id: 13 as any, shop: 2, inUse: true },
  ]);
  await f.db.collection('scales').createIndex({ shop: 1 });
});

const shops = () => f.db.collection('shops');

describe('$lookup inside $facet joins as it does outside', () => {
  const lookups = {
    'localField/foreignField': { $lookup: { from: 'scales', localField: '_id', foreignField: 'shop', as: 'scales' } },
    'localField/foreignField with a pipeline': {
      $lookup: { from: 'scales', localField: '_id', foreignField: 'shop', pipeline: [{ $match: { inUse: true } }, { $count: 'n' }], as: 'scales' },
    },
    'let and pipeline': {
      $lookup: { from: 'scales', let: { id: '$_id' }, pipeline: [{ $match: { $expr: { $eq: ['$shop', '$$id'] } } }, { $project: { _id: 1 } }], as: 'scales' },
    },
  };

  for (const [form, lookup] of Object.entries(lookups)) {
    test(form, async () => {
      const pipeline = [{ $sort: { _id: 1 } }, lookup, { $project: { location: 0 } }];
      const outside = await shops().aggregate(pipeline).toArray();
      const [inside] = await shops().aggregate([{ $facet: { joined: pipeline } }]).toArray();
      expect(inside).toEqual({ joined: outside });
    });
  }

  test('the join with a pipeline counts only the matching foreign documents of each shop', async () => {
    const [out] = await shops()
      .aggregate([{ $facet: { counts: [{ $sort: { _id: 1 } }, lookups['localField/foreignField with a pipeline'], { $project: { scales: 1 } }] } }])
      .toArray();
    expect(out.counts).toEqual([
      { _id: 1, scales: [{ n: 2 }] },
      { _id: 2, scales: [{ n: 1 }] },
      { _id: 3, scales: [] },
    ]);
  });
});

describe('$facet after $geoNear', () => {
  test('a page and the total come from the same nearest-first stream', async () => {
    const near = { $geoNear: { near: { type: 'Point', coordinates: [117.0209, 36.6612] }, key: 'location', spherical: true, maxDistance: 5000, distanceField: 'distance' } };
    const page = (skip: number) =>
      shops()
        .aggregate([near, { $facet: { items: [{ $sort: { distance: 1, _id: 1 } }, { $skip: skip }, { $limit: 2 }, { $project: { name: 1 } }], total: [{ $count: 'n' }] } }])
        .toArray();
    expect(await page(0)).toEqual([{ items: [{ _id: 1, name: 'fruit' }, { _id: 2, name: 'fish' }], total: [{ n: 3 }] }]);
    expect(await page(2)).toEqual([{ items: [{ _id: 3, name: 'bakery' }], total: [{ n: 3 }] }]);
  });
});

describe('$facet output', () => {
  test('is one document with an empty array per facet when nothing comes in', async () => {
    const out = await shops()
      .aggregate([{ $match: { name: 'nobody' } }, { $facet: { items: [{ $limit: 5 }], total: [{ $count: 'n' }] } }])
      .toArray();
    expect(out).toEqual([{ items: [], total: [] }]);
  });

  test('sorts inside a facet in MongoDB\'s type order', async () => {
    const [out] = await f.db.aggregate([{ $documents: [{ v: 'a' }, { v: 2 }, { v: null }, { v: true }, { v: { x: 1 } }] }, { $facet: { sorted: [{ $sort: { v: 1 } }] } }]).toArray();
    expect(out.sorted.map((d: { v: unknown }) => d.v)).toEqual([null, 2, 'a', { x: 1 }, true]);
  });
});

describe('$facet parse errors', () => {
  const fails = async (facet: unknown) => rejection(shops().aggregate([{ $facet: facet as any }]).toArray());

  test('an empty or non-object specification (40169)', async () => {
    expect((await fails({})).code).toBe(40169);
    expect((await fails([])).code).toBe(40169);
  });

  test('a facet that is not an array (40170), a stage that is not an object (40171)', async () => {
    expect((await fails({ a: { $limit: 1 } })).code).toBe(40170);
    expect((await fails({ a: [1] })).code).toBe(40171);
  });

  test('$facet, $geoNear and $out are not allowed inside $facet (40600)', async () => {
    const nested = await fails({ a: [{ $facet: { b: [] } }] });
    expect(nested.code).toBe(40600);
    expect(nested.message).toContain('$facet is not allowed to be used within a $facet stage');
    expect((await fails({ a: [{ $geoNear: { near: { type: 'Point', coordinates: [0, 0] }, distanceField: 'd' } }] })).code).toBe(40600);
    expect((await fails({ a: [{ $out: 'elsewhere' }] })).code).toBe(40600);
  });

  test('an unknown stage inside a facet (40324)', async () => {
    expect((await fails({ a: [{ $nonsense: 1 }] })).code).toBe(40324);
  });
});

describe('$count', () => {
  test('gives no document for no input, at the top level and inside a facet or a $lookup', async () => {
    expect(await shops().aggregate([{ $match: { name: 'nobody' } }, { $count: 'n' }]).toArray()).toEqual([]);
    expect(await shops().aggregate([{ $count: 'n' }]).toArray()).toEqual([{ n: 3 }]);
    const [bakery] = await shops()
      .aggregate([{ $match: { _id: 3 } }, { $lookup: { from: 'scales', localField: '_id', foreignField: 'shop', pipeline: [{ $count: 'n' }], as: 'scales' } }])
      .toArray();
    expect(bakery.scales).toEqual([]);
  });

  test('refuses a field that is not a plain non-empty name', async () => {
    for (const [field, code] of [[1, 40156], ['', 40157], ['$n', 40158], ['a.b', 40160]] as const) {
      const err = await rejection(shops().aggregate([{ $count: field as any }]).toArray());
      expect({ field, code: err.code }).toEqual({ field, code });
    }
  });
});
