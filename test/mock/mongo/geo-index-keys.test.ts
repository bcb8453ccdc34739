/**
 * A 2dsphere index refuses documents whose indexed field is not a geometry (16755 "Can't extract
 * geo keys"), on every write and when it is built over existing documents; a missing, null or
 * empty field is simply not indexed.
 */
import { Decimal128, Double, Int32, Long, MongoBulkWriteError, MongoServerError, type Document } from 'mongodb';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('geokeys');

const JINAN: [number, number] = [117.0009, 36.6758];
const point = (coordinates: unknown) => ({ type: 'Point', coordinates });
const square = [[[117, 36], [118, 36], [118, 37], [117, 37], [117, 36]]];

let seq = 0;
async function geoCollection(key: Document = { loc: '2dsphere' }) {
  const coll = f.db.collection(`places${++seq}`);
  await coll.createIndex(key);
  return coll;
}

function expectGeoKeysError(err: any, reason: string | RegExp): void {
  expect(err).toBeInstanceOf(MongoServerError);
  expect(err.code).toBe(16755);
  expect(err.message).toMatch(/^Can't extract geo keys: /);
  expect(err.message).toMatch(reason);
}

describe('documents a 2dsphere index accepts', () => {
  test('GeoJSON points (with or without altitude) and legacy pairs as array or object', async () => {
    const coll = await geoCollection();
    await coll.insertMany([
      { loc: point(JINAN) },
      { loc: point([...JINAN, 30]) },
      { loc: JINAN },
      { loc: { lng: JINAN[0], lat: JINAN[1] } },
      { loc: point([180, -90]) },
    ]);
    expect(await coll.countDocuments()).toBe(5);
  });

  test('coordinates of every numeric BSON type (int, long, double, decimal) are numbers', async () => {
    const coll = await geoCollection();
    await coll.insertMany([
      { loc: point([new Int32(117), new Int32(36)]) },
      { loc: point([Long.fromNumber(117), new Double(36.5)]) },
      { loc: [Decimal128.fromString('117.25'), new Double(36.25)] },
    ]);
    expect(await coll.countDocuments()).toBe(3);
  });

  test('a missing, null, empty-array or empty-object field is not indexed and the document is stored', async () => {
    const coll = await geoCollection();
    await coll.insertMany([{ name: 'a' }, { name: 'b', loc: null }, { name: 'c', loc: [] }, { name: 'd', loc: {} }]);
    expect(await coll.countDocuments()).toBe(4);
    const near = await coll.find({ loc: { $near: { $geometry: point(JINAN) } } }).toArray();
    expect(near).toEqual([]);
  });

  test('lines, polygons (with a hole), multi-geometries and collections', async () => {
    const coll = await geoCollection();
    const hole = [[117.2, 36.2], [117.2, 36.4], [117.4, 36.4], [117.4, 36.2], [117.2, 36.2]];
    await coll.insertMany([
      { loc: { type: 'LineString', coordinates: [[117, 36], [117.5, 36.5]] } },
      { loc: { type: 'Polygon', coordinates: square } },
      { loc: { type: 'Polygon', coordinates: [square[0], hole] } },
      { loc: { type: 'MultiPoint', coordinates: [JINAN, [117.1, 36.7]] } },
      { loc: { type: 'MultiLineString', coordinates: [[[117, 36], [117.5, 36.5]]] } },
      { loc: { type: 'MultiPolygon', coordinates: [square] } },
      { loc: { type: 'GeometryCollection', geometries: [point(JINAN), { type: 'Polygon', coordinates: square }] } },
    ]);
    expect(await coll.countDocuments()).toBe(7);
  });

  test('an array of subdocuments along the path is multikey: each location is checked', async () => {
    const coll = await geoCollection({ 'branches.loc': '2dsphere' });
    await coll.insertOne({ branches: [{ loc: point(JINAN) }, { loc: point([117.1, 36.7]) }] });
    const err = await rejection(coll.insertOne({ branches: [{ loc: point(JINAN) }, { loc: { type: 'Point' } }] }));
    expectGeoKeysError(err, /Point must be an array or object/);
    const found = await coll.find({ 'branches.loc': { $geoWithin: { $geometry: { type: 'Polygon', coordinates: square } } } }).toArray();
    expect(found).toHaveLength(1);
  });

  test('a partial 2dsphere index does not look at documents its filter leaves out', async () => {
    const coll = await geoCollection();
    await coll.drop();
    await coll.createIndex({ loc: '2dsphere' }, { partialFilterExpression: { kind: 'shop' } });
    await coll.insertOne({ kind: 'draft', loc: { type: 'Point' } });
    const err = await rejection(coll.insertOne({ kind: 'shop', loc: { type: 'Point' } }));
    expectGeoKeysError(err, /Point must be an array or object/);
  });
});

describe('documents a 2dsphere index refuses with 16755', () => {
  test('a GeoJSON Point without coordinates (what mongoose writes for an unset nested GeoJSON path)', async () => {
    const coll = await geoCollection();
    const err = await rejection(coll.insertOne({ _id: 'b1' as any, loc: { type: 'Point' } }));
    expectGeoKeysError(err, /Point must be an array or object, instead got type missing$/);
    expect(err.message).toContain(`_id: "b1"`);
    expect(await coll.countDocuments()).toBe(0);
  });

  test.each([
    ['longitude out of range', point([200, 36]), /Longitude\/latitude is out of bounds, lng: 200 lat: 36/],
    ['latitude out of range', point([117, 91]), /Longitude\/latitude is out of bounds, lng: 117 lat: 91/],
    ['non-numeric coordinates', point(['117', '36']), /Point must only contain numeric elements/],
    ['a single coordinate', point([117]), /Point must only contain numeric elements/],
    ['a legacy pair out of range', [200, 36], /can't project geometry into spherical CRS/],
    ['a legacy pair of strings', ['a', 'b'], /Point must only contain numeric elements/],
    ['an array of points in the indexed field itself', [JINAN, [117.1, 36.7]], /Point must only contain numeric elements/],
    ['a string', 'Jinan', /geo element must be an array or object/],
    ['a number', 5, /geo element must be an array or object/],
    ['an unknown GeoJSON type', { type: 'Circle', coordinates: JINAN }, /unknown GeoJSON type/],
    ['an object without a type', { city: 'Jinan' }, /unknown GeoJSON type/],
    ['a LineString with one position', { type: 'LineString', coordinates: [JINAN] }, /GeoJSON LineString must have at least 2 vertices/],
    ['a LineString of one repeated position', { type: 'LineString', coordinates: [JINAN, JINAN] }, /GeoJSON LineString must have at least 2 vertices/],
    ['an open Polygon ring', { type: 'Polygon', coordinates: [square[0].slice(0, 4)] }, /Loop is not closed/],
    ['a Polygon ring of three positions', { type: 'Polygon', coordinates: [[[117, 36], [118, 36], [117, 36]]] }, /Loop must have at least 3 different vertices/],
    ['a Polygon with no rings', { type: 'Polygon', coordinates: [] }, /Polygon has no loops/],
    ['a self-crossing Polygon', { type: 'Polygon', coordinates: [[[117, 36], [118, 37], [118, 36], [117, 37], [117, 36]]] }, /Loop is not valid/],
    ['an empty MultiPoint', { type: 'MultiPoint', coordinates: [] }, /MultiPoint coordinates must have at least 1 element/],
    ['an unknown CRS', { ...point(JINAN), crs: { type: 'name', properties: { name: 'EPSG:3857' } } }, /Unknown CRS name: EPSG:3857/],
  ])('%s', async (_label, loc, reason) => {
    const coll = await geoCollection();
    expectGeoKeysError(await rejection(coll.insertOne({ loc })), reason);
  });

  test('an insertMany reports the bad document in writeErrors and keeps the ones before it', async () => {
    const coll = await geoCollection();
    const err = await rejection(coll.insertMany([{ loc: point(JINAN) }, { loc: { type: 'Point' } }, { loc: JINAN }]));
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(err.writeErrors[0].index).toBe(1);
    expect(err.writeErrors[0].code).toBe(16755);
    expect(await coll.countDocuments()).toBe(1);
  });

  test('an update, a replacement and a findOneAndUpdate that break the location are refused and change nothing', async () => {
    const coll = await geoCollection();
    await coll.insertOne({ _id: 1 as any, loc: point(JINAN), name: 'shop' });
    expectGeoKeysError(await rejection(coll.updateOne({ _id: 1 as any }, { $unset: { 'loc.coordinates': '' } })), /Point must be an array or object/);
    expectGeoKeysError(await rejection(coll.replaceOne({ _id: 1 as any }, { loc: point([0, 100]) })), /out of bounds/);
    expectGeoKeysError(await rejection(coll.findOneAndUpdate({ _id: 1 as any }, { $set: { 'loc.coordinates.0': 181 } })), /out of bounds/);
    expectGeoKeysError(await rejection(coll.updateOne({ _id: 2 as any }, { $set: { loc: 'here' } }, { upsert: true })), /geo element must be an array or object/);
    expect(await coll.find().toArray()).toEqual([{ _id: 1, loc: point(JINAN), name: 'shop' }]);
  });

  test('createIndex over a collection holding a malformed location fails, and no index is left behind', async () => {
    const coll = f.db.collection(`existing${++seq}`);
    await coll.insertMany([{ loc: point(JINAN) }, { loc: { type: 'Point' } }]);
    const err = await rejection(coll.createIndex({ loc: '2dsphere' }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(16755);
    expect(err.message).toContain("Can't extract geo keys");
    const names = (await coll.indexes()).map((i) => i.name);
    expect(names).toEqual(['_id_']);
  });

  test('a compound index with a 2dsphere field checks the geo field only', async () => {
    const coll = await geoCollection({ category: 1, loc: '2dsphere' });
    await coll.insertMany([{ category: ['a', 'b'], loc: point(JINAN) }, { category: 'c' }]);
    expectGeoKeysError(await rejection(coll.insertOne({ category: 'd', loc: { type: 'Point' } })), /Point must be an array or object/);
  });
});
