/** Geo queries through the wire protocol (the geometry itself is tested in geo.test.ts). */
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('geo');

const QUANCHENG_SQUARE = [117.0198, 36.6612];
const DAMING_LAKE = [117.0216, 36.6749];
const JINAN_WEST_STATION = [116.8917, 36.669];

/** Great-circle distance in metres on MongoDB's sphere (radius 6378.1 km). */
function haversine([lng1, lat1]: number[], [lng2, lat2]: number[]): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6378100 * Math.asin(Math.sqrt(a));
}

beforeAll(async () => {
  const shops = f.db.collection('shops');
  await shops.insertMany([
    { _id: 'lake' as any, location: { type: 'Point', coordinates: DAMING_LAKE } },
    { _id: 'station' as any, location: { type: 'Point', coordinates: JINAN_WEST_STATION } },
  ]);
  await shops.createIndex({ location: '2dsphere' });
  await f.db.collection('unindexed').insertOne({ location: { type: 'Point', coordinates: DAMING_LAKE } });
});

const near = (maxDistance?: number) => ({
  location: { $near: { $geometry: { type: 'Point', coordinates: QUANCHENG_SQUARE }, ...(maxDistance ? { $maxDistance: maxDistance } : {}) } },
});

describe('geo queries through the server', () => {
  test('$near returns the nearest first and honours $maxDistance', async () => {
    const shops = f.db.collection('shops');
    expect((await shops.find(near()).toArray()).map((d) => d._id)).toEqual(['lake', 'station']);
    expect((await shops.find(near(5000)).toArray()).map((d) => d._id)).toEqual(['lake']);
  });

  test('$nearSphere orders like $near on a 2dsphere index', async () => {
    const filter = { location: { $nearSphere: { $geometry: { type: 'Point', coordinates: JINAN_WEST_STATION }, $maxDistance: 20_000 } } };
    expect((await f.db.collection('shops').find(filter).toArray()).map((d) => d._id)).toEqual(['station', 'lake']);
  });

  test('$geoNear reports the great-circle distance between two points in Jinan', async () => {
    const results = await f.db
      .collection('shops')
      .aggregate([{ $geoNear: { near: { type: 'Point', coordinates: QUANCHENG_SQUARE }, distanceField: 'metres', spherical: true } }])
      .toArray();
    expect(results.map((d) => d._id)).toEqual(['lake', 'station']);
    expect(results[0].metres).toBeCloseTo(haversine(QUANCHENG_SQUARE, DAMING_LAKE), -1);
    expect(results[1].metres).toBeCloseTo(haversine(QUANCHENG_SQUARE, JINAN_WEST_STATION), -1);
    expect(results[1].metres).toBeGreaterThan(11_000);
    expect(results[1].metres).toBeLessThan(12_000);
  });

  test('$geoWithin with $centerSphere counts, and works inside countDocuments', async () => {
    const within = { location: { $geoWithin: { $centerSphere: [QUANCHENG_SQUARE, 5000 / 6378100] } } };
    expect(await f.db.collection('shops').countDocuments(within)).toBe(1);
  });

  test('$near without a geo index fails with code 291', async () => {
    const err = await rejection(f.db.collection('unindexed').find(near()).toArray());
    expect(err.code).toBe(291);
  });

  test('$geoNear without a geo index fails with IndexNotFound (27)', async () => {
    const stage = { $geoNear: { near: { type: 'Point', coordinates: QUANCHENG_SQUARE }, distanceField: 'd', spherical: true } };
    const err = await rejection(f.db.collection('unindexed').aggregate([stage]).toArray());
    expect(err.code).toBe(27);
    expect(err.message).toBe('$geoNear requires a 2d or 2dsphere index, but none were found');
  });

  test('$near is refused inside countDocuments', async () => {
    const err = await rejection(f.db.collection('shops').countDocuments(near()));
    expect(err.message).toContain('not allowed in this context');
  });
});
