/**
 * The `$geoNear` stage as the product's nearby search uses it (bff/src/services/businessSearch.ts),
 * through the wire: first stage only, one 2dsphere index or a `key`, `distanceField` required,
 * great-circle metres for a GeoJSON point, `maxDistance` in metres, the other filters in `query`,
 * documents without a location never returned.
 */
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('geonear');
const SQUARE = [117.0209, 36.6612];
const point = (coordinates: number[]) => ({ type: 'Point', coordinates });

beforeAll(async () => {
  const shops = f.db.collection('shops');
  await shops.insertMany([
    { _id: 'fruit' as any, name: '泉城路水果店', grade: 'A', at: point([117.022, 36.662]), home: point([117.12, 36.7]) },
    { _id: 'fish' as any, name: '大明湖鱼摊', grade: null, at: point([117.035, 36.668]), home: point([117.0209, 36.6613]) },
    { _id: 'fuel' as any, name: '东风加油站', at: point([117.12, 36.7]), home: point([117.035, 36.668]) },
    { _id: 'nowhere' as any, name: '无定位小店', grade: 'A' },
    { _id: 'nulled' as any, name: '空定位小店', at: null },
  ]);
  await shops.createIndex({ at: '2dsphere' });
  const one = f.db.collection('oneIndex');
  await one.insertMany([{ _id: 'a' as any, at: point([117.022, 36.662]) }, { _id: 'b' as any }]);
  await one.createIndex({ at: '2dsphere' });
});

const nearSquare = (extra: Record<string, unknown> = {}) => ({ $geoNear: { near: point(SQUARE), spherical: true, distanceField: 'distance', ...extra } });

describe('$geoNear', () => {
  test('uses the only 2dsphere index without a key, and skips documents without a location', async () => {
    const out = await f.db.collection('oneIndex').aggregate([nearSquare()]).toArray();
    expect(out.map((d) => d._id)).toEqual(['a']);
    expect(out[0].distance).toBeGreaterThan(100);
    expect(out[0].distance).toBeLessThan(170);
  });

  test('needs a key when a collection has two 2dsphere indexes (IndexNotFound, 27), and follows the key', async () => {
    const shops = f.db.collection('shops');
    await shops.createIndex({ home: '2dsphere' });
    try {
      expect((await rejection(shops.aggregate([nearSquare()]).toArray())).code).toBe(27);
      expect((await shops.aggregate([nearSquare({ key: 'at' })]).toArray()).map((d) => d._id)).toEqual(['fruit', 'fish', 'fuel']);
      expect((await shops.aggregate([nearSquare({ key: 'home' })]).toArray()).map((d) => d._id)).toEqual(['fish', 'fuel', 'fruit']);
    } finally {
      await shops.dropIndex('home_2dsphere');
    }
  });

  test('is refused anywhere but first (40603)', async () => {
    const err = await rejection(f.db.collection('shops').aggregate([{ $match: { grade: 'A' } }, nearSquare({ key: 'at' })]).toArray());
    expect(err.code).toBe(40603);
  });

  test('requires distanceField (16606)', async () => {
    const err = await rejection(f.db.collection('shops').aggregate([{ $geoNear: { near: point(SQUARE), spherical: true, key: 'at' } }]).toArray());
    expect(err.code).toBe(16606);
  });

  test('measures great-circle metres from a GeoJSON point; maxDistance is in metres too', async () => {
    const all = await f.db.collection('shops').aggregate([nearSquare({ key: 'at' })]).toArray();
    expect(all.map((d) => Math.round(d.distance / 100) * 100)).toEqual([100, 1500, 9800]);
    const within = await f.db.collection('shops').aggregate([nearSquare({ key: 'at', maxDistance: 5000 })]).toArray();
    expect(within.map((d) => d._id)).toEqual(['fruit', 'fish']);
  });

  test('applies its query (regex, $in with null for a missing field) before the distance limit', async () => {
    const shops = f.db.collection('shops');
    const pending = await shops.aggregate([nearSquare({ key: 'at', query: { grade: { $in: ['B', null] } } })]).toArray();
    expect(pending.map((d) => d._id)).toEqual(['fish', 'fuel']);
    const named = await shops.aggregate([nearSquare({ key: 'at', query: { name: { $regex: '鱼', $options: 'i' } } })]).toArray();
    expect(named.map((d) => d._id)).toEqual(['fish']);
  });
});
