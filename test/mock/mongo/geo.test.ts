import { ObjectId, type Document } from 'bson';
import { Query } from 'mingo';
import {
  applyNear,
  EARTH_RADIUS_METRES,
  extractNear,
  GeoError,
  geoIntersects,
  geoNearStage,
  geoWithin,
  haversineMetres,
  type NearQuery,
} from '@mock/mongo/geo';

/** Written out here, apart from the module, so the module's distances are checked against a second derivation. */
function textbookHaversineMetres([lng1, lat1]: number[], [lng2, lat2]: number[]): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6378100 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

const QUANCHENG_SQUARE = [117.0198, 36.6612];
const JINAN_WEST_STATION = [116.8917, 36.669];
const DAMING_LAKE = [117.0216, 36.6749];
const BAOTU_SPRING = [117.0139, 36.6613];

const point = (coordinates: number[]) => ({ type: 'Point', coordinates });
const matches = (query: Document, doc: Document) => new Query(query).test(doc);

function expectGeoError(run: () => unknown, code: number, message: string | RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GeoError);
  expect((caught as GeoError).code).toBe(code);
  expect((caught as GeoError).message).toMatch(message);
}

describe('great-circle distances on the sphere MongoDB uses (R = 6378100 m)', () => {
  test('泉城广场 to 济南西站 agrees with an independent haversine to within 1 m', () => {
    const expected = textbookHaversineMetres(QUANCHENG_SQUARE, JINAN_WEST_STATION);
    expect(expected).toBeGreaterThan(11_000);
    expect(expected).toBeLessThan(12_000);
    expect(Math.abs(haversineMetres([117.0198, 36.6612], [116.8917, 36.669]) - expected)).toBeLessThan(1);
  });

  test('one degree of latitude is R·π/180 ≈ 111,318.8 m and a quarter meridian is R·π/2', () => {
    expect(EARTH_RADIUS_METRES).toBe(6378100);
    expect(haversineMetres([0, 0], [0, 1])).toBeCloseTo(111_318.845, 2);
    expect(haversineMetres([117, 36], [117, 37])).toBeCloseTo(111_318.845, 2);
    expect(haversineMetres([0, 0], [0, 90])).toBeCloseTo((6378100 * Math.PI) / 2, 3);
    expect(haversineMetres([0, 0], [180, 0])).toBeCloseTo(6378100 * Math.PI, 3);
  });

  test('a degree of longitude shrinks with the cosine of the latitude', () => {
    expect(haversineMetres([116, 60], [117, 60])).toBeCloseTo(textbookHaversineMetres([116, 60], [117, 60]), 3);
    expect(haversineMetres([116, 60], [117, 60])).toBeLessThan(111_318.845 / 2 + 10);
  });
});

describe('extractNear', () => {
  test('takes a top-level $near with $geometry and leaves the other conditions', () => {
    const { near, rest } = extractNear({
      status: 'active',
      location: { $near: { $geometry: point(QUANCHENG_SQUARE), $maxDistance: 5000, $minDistance: 10 } },
    });
    expect(near).toEqual({ field: 'location', point: [117.0198, 36.6612], spherical: true, minDistance: 10, maxDistance: 5000 });
    expect(rest).toEqual({ status: 'active' });
  });

  test('finds the clause inside a top-level $and and drops the emptied clause', () => {
    const { near, rest } = extractNear({
      $and: [{ 'address.geo': { $nearSphere: { $geometry: point(QUANCHENG_SQUARE), $maxDistance: 300 } } }, { kind: 'shop' }],
    });
    expect(near).toEqual({ field: 'address.geo', point: [117.0198, 36.6612], spherical: true, maxDistance: 300 });
    expect(rest).toEqual({ $and: [{ kind: 'shop' }] });
  });

  test('a bare GeoJSON point with sibling bounds is measured in metres, as mongod\'s legacy form allows', () => {
    expect(extractNear({ location: { $near: point(QUANCHENG_SQUARE), $maxDistance: 800, $minDistance: 5 } }).near).toEqual({
      field: 'location', point: [117.0198, 36.6612], spherical: true, minDistance: 5, maxDistance: 800,
    });
  });

  test('legacy $nearSphere measures in radians and legacy $near on the plane', () => {
    expect(extractNear({ loc: { $nearSphere: [117, 36], $maxDistance: 0.01 } }).near).toEqual({
      field: 'loc', point: [117, 36], spherical: true, inRadians: true, maxDistance: 0.01,
    });
    expect(extractNear({ loc: { $near: { x: 3, y: 4 }, $maxDistance: 2 } }).near).toEqual({
      field: 'loc', point: [3, 4], spherical: false, maxDistance: 2,
    });
    expect(extractNear({ loc: { $near: [3, 4, 2] } }).near).toEqual({ field: 'loc', point: [3, 4], spherical: false, maxDistance: 2 });
  });

  test('a filter without a near clause comes back unchanged', () => {
    const filter = { a: 1, $or: [{ b: 2 }, { c: { $geoWithin: { $box: [[0, 0], [1, 1]] } } }] };
    expect(extractNear(filter)).toEqual({ near: null, rest: filter });
  });

  test('rejects what mongod rejects, with BadValue or TypeMismatch', () => {
    expectGeoError(() => extractNear({ location: { $near: { $geometry: point([117, 100]) } } }), 2,
      /invalid point in geo near query \$geometry argument.*longitude\/latitude is out of bounds, lng: 117 lat: 100/);
    expectGeoError(() => extractNear({ a: { $near: [0, 0] }, b: { $near: [1, 1] } }), 2, 'Too many geoNear expressions');
    expectGeoError(() => extractNear({ $or: [{ a: { $near: [0, 0] } }, { b: 1 }] }), 2, 'geoNear must be top-level expr');
    expectGeoError(() => extractNear({ a: { $near: { $geometry: point([117, 36]), $maxDistance: -1 } } }), 16900, '$maxDistance must be non-negative');
    expectGeoError(() => extractNear({ a: { $near: [117, 36], $minDistance: 'far' } }), 16893, '$minDistance must be a number');
    expectGeoError(() => extractNear({ a: { $near: { $geometry: point([117, 36]) }, $maxDistance: 5 } }), 2,
      'geo near accepts just one argument when querying for a GeoJSON point. Extra field found: $maxDistance: 5');
    expectGeoError(() => extractNear({ a: { $near: [117, 36], $exists: true } }), 34413, 'invalid argument in geo near query: $exists');
    expectGeoError(() => extractNear({ a: { $nearSphere: [200, 36] } }), 17444, 'Legacy point is out of bounds for spherical query');
    expectGeoError(() => extractNear({ a: { $near: { $geometry: [117, 36] } } }), 16681, '$near requires geojson point');
    expectGeoError(() => extractNear({ a: { $near: { $maxDistance: 5 } } }), 2, '$geometry is required for geo near query');
    expectGeoError(() => extractNear({ a: { $near: { $geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } } } }), 2,
      'Expected geojson geometry with type Point');
  });
});

describe('applyNear', () => {
  const places = [
    { _id: 'west-station', location: point(JINAN_WEST_STATION) },
    { _id: 'daming-lake', location: point(DAMING_LAKE) },
    { _id: 'no-location' },
    { _id: 'baotu-spring', location: [117.0139, 36.6613] },
    { _id: 'square', location: { lng: 117.0198, lat: 36.6612 } },
    { _id: 'broken', location: point([300, 10]) },
  ];
  const fromSquare = (bounds: Partial<NearQuery> = {}): NearQuery => ({
    field: 'location', point: [117.0198, 36.6612], spherical: true, ...bounds,
  });

  test('orders nearest first with metre distances, skipping documents without a valid point', () => {
    const result = applyNear(places, fromSquare());
    expect(result.map((r) => r.doc._id)).toEqual(['square', 'baotu-spring', 'daming-lake', 'west-station']);
    expect(result[0].distance).toBe(0);
    expect(Math.abs(result[3].distance - textbookHaversineMetres(QUANCHENG_SQUARE, JINAN_WEST_STATION))).toBeLessThan(1);
  });

  test('maxDistance and minDistance bound the distance in metres, inclusively', () => {
    const toLake = textbookHaversineMetres(QUANCHENG_SQUARE, DAMING_LAKE);
    expect(applyNear(places, fromSquare({ maxDistance: 2000 })).map((r) => r.doc._id)).toEqual(['square', 'baotu-spring', 'daming-lake']);
    expect(applyNear(places, fromSquare({ minDistance: 1, maxDistance: toLake - 1 })).map((r) => r.doc._id)).toEqual(['baotu-spring']);
    expect(applyNear(places, fromSquare({ minDistance: 5000 })).map((r) => r.doc._id)).toEqual(['west-station']);
  });

  test('a document with several points is placed by its nearest one, also under a dotted path', () => {
    const chains = [
      { _id: 'far-chain', address: { geo: [point(JINAN_WEST_STATION)] } },
      { _id: 'near-chain', address: { geo: [point(JINAN_WEST_STATION), point(BAOTU_SPRING)] } },
    ];
    const result = applyNear(chains, { ...fromSquare(), field: 'address.geo' });
    expect(result.map((r) => r.doc._id)).toEqual(['near-chain', 'far-chain']);
    expect(Math.abs(result[0].distance - textbookHaversineMetres(QUANCHENG_SQUARE, BAOTU_SPRING))).toBeLessThan(1);
  });

  test('legacy $nearSphere distances are radians and legacy $near distances are flat', () => {
    const docs = [{ _id: 1, loc: [0, 1] }, { _id: 2, loc: [3, 4] }];
    const radians = applyNear(docs, { field: 'loc', point: [0, 0], spherical: true, inRadians: true, maxDistance: 0.02 });
    expect(radians).toEqual([{ doc: docs[0], distance: expect.closeTo(Math.PI / 180, 12) }]);
    const flat = applyNear(docs, { field: 'loc', point: [0, 0], spherical: false });
    expect(flat.map((r) => r.distance)).toEqual([1, 5]);
  });
});

describe('$geoWithin', () => {
  test('$centerSphere includes a point just inside its radius and excludes one just outside', () => {
    const radius = textbookHaversineMetres(QUANCHENG_SQUARE, JINAN_WEST_STATION) / 6378100;
    const station = point(JINAN_WEST_STATION);
    // A relative margin of 1e-6 is about 1 cm at this distance.
    expect(geoWithin(station, { $centerSphere: [QUANCHENG_SQUARE, radius * (1 + 1e-6)] })).toBe(true);
    expect(geoWithin(station, { $centerSphere: [QUANCHENG_SQUARE, radius * (1 - 1e-6)] })).toBe(false);
    expect(geoWithin([116.8917, 36.669], { $centerSphere: [QUANCHENG_SQUARE, 12 / 6378.1] })).toBe(true);
    expect(geoWithin(station, { $centerSphere: [QUANCHENG_SQUARE, 11 / 6378.1] })).toBe(false);
  });

  test('$box includes its edges and corners, whichever corners are given', () => {
    const box = { $box: [[117.1, 36.7], [117.0, 36.6]] };
    expect(geoWithin(point(QUANCHENG_SQUARE), box)).toBe(true);
    expect(geoWithin([117.0, 36.65], box)).toBe(true);
    expect(geoWithin([117.1, 36.7], box)).toBe(true);
    expect(geoWithin(point(JINAN_WEST_STATION), box)).toBe(false);
    expect(geoWithin([117.05, 36.7001], box)).toBe(false);
  });

  test('$polygon and $center are flat shapes with their boundary included', () => {
    const triangle = { $polygon: [[0, 0], [4, 0], [0, 4]] };
    expect(geoWithin([1, 1], triangle)).toBe(true);
    expect(geoWithin([2, 2], triangle)).toBe(true);
    expect(geoWithin([2.1, 2], triangle)).toBe(false);
    expect(geoWithin([3, 4], { $center: [[0, 0], 5] })).toBe(true);
    expect(geoWithin([3, 4.01], { $center: [[0, 0], 5] })).toBe(false);
  });

  describe('$geometry Polygon with a hole', () => {
    const shell = [[116.9, 36.6], [117.1, 36.6], [117.1, 36.7], [116.9, 36.7], [116.9, 36.6]];
    const hole = [[117.01, 36.65], [117.03, 36.65], [117.03, 36.67], [117.01, 36.67], [117.01, 36.65]];
    const withHole = { $geometry: { type: 'Polygon', coordinates: [shell, hole] } };

    test('matches points in the shell but not in the hole', () => {
      expect(geoWithin(point([116.95, 36.62]), withHole)).toBe(true);
      expect(geoWithin(point(QUANCHENG_SQUARE), withHole)).toBe(false);
      expect(geoWithin(point(JINAN_WEST_STATION), withHole)).toBe(false);
    });

    test('counts the edges of the shell and of the hole as inside, as mongod does', () => {
      expect(geoWithin(point([116.9, 36.65]), withHole)).toBe(true);
      expect(geoWithin(point([117.01, 36.66]), withHole)).toBe(true);
      expect(geoWithin(point([117.1, 36.7]), withHole)).toBe(true);
    });
  });

  test('polygon edges are great-circle arcs: an east-west edge bows toward the pole', () => {
    const ring = [[110, 36.5], [120, 36.5], [120, 40], [110, 40], [110, 36.5]];
    // The southern edge's arc reaches latitude 36.6045 at 115°E, so 36.55 lies south of it.
    expect(geoWithin(point([115, 36.55]), { $geometry: { type: 'Polygon', coordinates: [ring] } })).toBe(false);
    expect(geoWithin(point([115, 36.62]), { $geometry: { type: 'Polygon', coordinates: [ring] } })).toBe(true);
    expect(geoWithin([115, 36.55], { $polygon: ring.slice(0, 4) })).toBe(true);
  });

  test('a polygon is the smaller region: the antipode of a point inside is outside', () => {
    const around = { $geometry: { type: 'Polygon', coordinates: [[[116.9, 36.6], [117.1, 36.6], [117.1, 36.7], [116.9, 36.7], [116.9, 36.6]]] } };
    expect(geoWithin(point(QUANCHENG_SQUARE), around)).toBe(true);
    expect(geoWithin(point([117.0198 - 180, -36.6612]), around)).toBe(false);
  });

  test('MultiPolygon matches a point in any of its polygons', () => {
    const around = ([lng, lat]: number[]) => [[[lng - 0.01, lat - 0.01], [lng + 0.01, lat - 0.01], [lng + 0.01, lat + 0.01], [lng - 0.01, lat + 0.01], [lng - 0.01, lat - 0.01]]];
    const both = { $geometry: { type: 'MultiPolygon', coordinates: [around(JINAN_WEST_STATION), around(DAMING_LAKE)] } };
    expect(geoWithin(point(JINAN_WEST_STATION), both)).toBe(true);
    expect(geoWithin(point(DAMING_LAKE), both)).toBe(true);
    expect(geoWithin(point(QUANCHENG_SQUARE), both)).toBe(false);
  });

  test('an array of points matches when any of them is inside; non-points never match', () => {
    const circle = { $centerSphere: [QUANCHENG_SQUARE, 1 / 6378.1] };
    expect(geoWithin([point(JINAN_WEST_STATION), point(BAOTU_SPRING)], circle)).toBe(true);
    expect(geoWithin([point(JINAN_WEST_STATION)], circle)).toBe(false);
    expect(geoWithin([[point(JINAN_WEST_STATION)], [[117.0139, 36.6613]]], circle)).toBe(true);
    expect(geoWithin(undefined, circle)).toBe(false);
    expect(geoWithin('117,36', circle)).toBe(false);
  });

  test('rejects malformed shapes with BadValue and mongod-like messages', () => {
    expectGeoError(() => geoWithin(point([0, 0]), { $square: [[0, 0], 1] }), 2, 'unknown geo specifier');
    expectGeoError(() => geoWithin(point([0, 0]), { $centerSphere: [[0, 0], -1] }), 2, 'Radius must be a non-negative number');
    expectGeoError(() => geoWithin(point([0, 0]), { $centerSphere: [[200, 0], 1] }), 2, 'longitude/latitude is out of bounds, lng: 200 lat: 0');
    expectGeoError(() => geoWithin(point([0, 0]), { $polygon: [[0, 0], [1, 1]] }), 2, 'Polygon must have at least 3 points');
    expectGeoError(() => geoWithin(point([0, 0]), { $geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1]]] } }), 2,
      'Loop is not closed, first vertex does not equal last vertex');
    expectGeoError(() => geoWithin(point([0, 0]), { $geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] } }), 2,
      'Loop must have at least 3 different vertices');
    expectGeoError(() => geoWithin(point([0, 0]), { $geometry: { type: 'Polygon', coordinates: [] } }), 2, 'Polygon has no loops.');
    expectGeoError(() => geoWithin(point([0, 0]), { $geometry: point([0, 0]) }), 2, '$within not supported with provided geometry');
    expectGeoError(() => geoWithin(point([0, 0]), { $geometry: { type: 'Circle' } }), 2, 'unknown GeoJSON type');
  });
});

describe('$geoIntersects', () => {
  const district = { $geometry: { type: 'Polygon', coordinates: [[[116.95, 36.6], [117.1, 36.6], [117.1, 36.7], [116.95, 36.7], [116.95, 36.6]]] } };

  test('a point intersects a polygon it lies in or on', () => {
    expect(geoIntersects(point(QUANCHENG_SQUARE), district)).toBe(true);
    expect(geoIntersects([117.1, 36.65], district)).toBe(true);
    expect(geoIntersects(point(JINAN_WEST_STATION), district)).toBe(false);
  });

  test('a point intersects an equal point and a line through it', () => {
    expect(geoIntersects(point(QUANCHENG_SQUARE), { $geometry: point(QUANCHENG_SQUARE) })).toBe(true);
    expect(geoIntersects(point(BAOTU_SPRING), { $geometry: point(QUANCHENG_SQUARE) })).toBe(false);
    expect(geoIntersects([117, 36.5], { $geometry: { type: 'LineString', coordinates: [[117, 36], [117, 37]] } })).toBe(true);
  });

  test('requires $geometry', () => {
    expectGeoError(() => geoIntersects(point([0, 0]), { $box: [[0, 0], [1, 1]] }), 2, 'must take an object with $geometry');
  });
});

describe('$geoNear stage', () => {
  const shops = [
    { _id: new ObjectId(), name: 'west', kind: 'scale', location: point(JINAN_WEST_STATION) },
    { _id: new ObjectId(), name: 'lake', kind: 'pump', location: point(DAMING_LAKE) },
    { _id: new ObjectId(), name: 'spring', kind: 'scale', location: point(BAOTU_SPRING) },
    { _id: new ObjectId(), name: 'unplaced', kind: 'scale' },
  ];
  const names = (docs: Document[]) => docs.map((d) => d.name);

  test('adds the metre distance at a dotted distanceField and orders nearest first', () => {
    const out = geoNearStage(shops, { near: point(QUANCHENG_SQUARE), distanceField: 'dist.metres', spherical: true }, 'location', matches);
    expect(names(out)).toEqual(['spring', 'lake', 'west']);
    expect(Math.abs(out[2].dist.metres - textbookHaversineMetres(QUANCHENG_SQUARE, JINAN_WEST_STATION))).toBeLessThan(1);
    expect(out[0]._id).toBeInstanceOf(ObjectId);
    expect(out[0]._id.equals(shops[2]._id)).toBe(true);
    expect(shops[2]).not.toHaveProperty('dist');
  });

  test('query, maxDistance and minDistance narrow the result', () => {
    const spec = { near: point(QUANCHENG_SQUARE), distanceField: 'd', spherical: true, query: { kind: 'scale' } };
    expect(names(geoNearStage(shops, spec, 'location', matches))).toEqual(['spring', 'west']);
    expect(names(geoNearStage(shops, { ...spec, maxDistance: 5000 }, 'location', matches))).toEqual(['spring']);
    expect(names(geoNearStage(shops, { ...spec, minDistance: 1000 }, 'location', matches))).toEqual(['west']);
  });

  test('distanceMultiplier scales the reported distance but not maxDistance', () => {
    const spec = { near: point(QUANCHENG_SQUARE), distanceField: 'km', spherical: true, distanceMultiplier: 0.001, maxDistance: 12_000 };
    const out = geoNearStage(shops, spec, 'location', matches);
    expect(names(out)).toEqual(['spring', 'lake', 'west']);
    expect(out[2].km).toBeCloseTo(textbookHaversineMetres(QUANCHENG_SQUARE, JINAN_WEST_STATION) / 1000, 3);
  });

  test('includeLocs reports the location that was measured', () => {
    const docs = [{ _id: 1, stops: [point(JINAN_WEST_STATION), point(DAMING_LAKE)] }];
    const [out] = geoNearStage(docs, { near: point(QUANCHENG_SQUARE), distanceField: 'd', includeLocs: 'loc.used', spherical: true }, 'stops', matches);
    expect(out.loc.used).toEqual(point(DAMING_LAKE));
  });

  test('a legacy pair measures radians when spherical and coordinate units when not', () => {
    const docs = [{ _id: 1, loc: [0, 1] }, { _id: 2, loc: [3, 4] }];
    const spherical = geoNearStage(docs, { near: [0, 0], distanceField: 'd', spherical: true }, 'loc', matches);
    expect(spherical[0].d).toBeCloseTo(Math.PI / 180, 12);
    const flat = geoNearStage(docs, { near: [0, 0], distanceField: 'd' }, 'loc', matches);
    expect(flat.map((d) => d.d)).toEqual([1, 5]);
  });

  test('rejects bad specs with the codes mongod uses', () => {
    const run = (spec: Document) => () => geoNearStage(shops, spec, 'location', matches);
    expectGeoError(run({ near: point(QUANCHENG_SQUARE) }), 16606, "$geoNear requires a 'distanceField' option as a String");
    expectGeoError(run({ distanceField: 'd' }), 5860400, "$geoNear requires a 'near' argument");
    expectGeoError(run({ near: 5, distanceField: 'd' }), 5860401, 'GeoJSON object or a legacy point');
    expectGeoError(run({ near: point([117, 91]), distanceField: 'd', spherical: true }), 2, 'longitude/latitude is out of bounds, lng: 117 lat: 91');
    expectGeoError(run({ near: point(QUANCHENG_SQUARE), distanceField: 'd', maxDistance: -5 }), 2, 'maxDistance must be nonnegative');
    expectGeoError(run({ near: point(QUANCHENG_SQUARE), distanceField: 'd', distanceMultiplier: '2' }), 14, 'distanceMultiplier must be a number');
    expectGeoError(run({ near: point(QUANCHENG_SQUARE), distanceField: 'd', limit: 5 }), 50858, "no longer supports the 'limit' parameter");
    expectGeoError(run({ near: point(QUANCHENG_SQUARE), distanceField: 'd', includeLocs: 1 }), 16607, "'includeLocs' option is a String");
  });
});
