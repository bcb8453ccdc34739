import { useDriverFixture } from './fixture';

const f = useDriverFixture('geoshapes');

type Ring = number[][];
const square = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const polygon = (...rings: Ring[]) => ({ type: 'Polygon', coordinates: rings });
const line = (...coordinates: number[][]) => ({ type: 'LineString', coordinates });

/** The query square: longitude and latitude 0..10. Every shape below is far from its edges unless it is meant to cross them. */
const QUERY_SQUARE = polygon(square(0, 0, 10, 10));

const SHAPES: Record<string, object> = {
  lineInside: line([2, 2], [8, 8]),
  lineLeaving: line([2, 2], [20, 2]),
  lineCrossing: line([-5, 5], [15, 5]),
  lineFar: line([20, 20], [30, 30]),
  polygonInside: polygon(square(2, 2, 4, 4)),
  polygonAround: polygon(square(-5, -5, 15, 15)),
  polygonOverlapping: polygon(square(5, 5, 15, 15)),
  polygonFar: polygon(square(20, 20, 25, 25)),
  squareInHole: polygon(square(-20, -20, 30, 30), square(-5, -5, 15, 15)),
  multiPointInside: { type: 'MultiPoint', coordinates: [[1, 1], [9, 9]] },
  multiPointHalf: { type: 'MultiPoint', coordinates: [[1, 1], [20, 20]] },
  multiLineInside: { type: 'MultiLineString', coordinates: [[[1, 1], [2, 2]], [[3, 3], [4, 4]]] },
  multiPolygonHalf: { type: 'MultiPolygon', coordinates: [[square(2, 2, 4, 4)], [square(20, 20, 25, 25)]] },
  collectionInside: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [5, 5] }, line([1, 1], [3, 3])] },
  collectionHalf: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [5, 5] }, { type: 'Point', coordinates: [50, 50] }] },
  point: { type: 'Point', coordinates: [5, 5] },
};

async function names(filter: object): Promise<string[]> {
  const docs = await f.db.collection('shapes').find(filter).toArray();
  return docs.map((d) => String(d._id)).sort();
}

beforeAll(async () => {
  await f.db.collection('shapes').insertMany(Object.entries(SHAPES).map(([name, geo]) => ({ _id: name as any, geo })));
});

describe('$geoWithin matches stored lines, polygons and collections wholly inside', () => {
  test('a $geometry Polygon', async () => {
    expect(await names({ geo: { $geoWithin: { $geometry: QUERY_SQUARE } } })).toEqual(
      ['collectionInside', 'lineInside', 'multiLineInside', 'multiPointInside', 'point', 'polygonInside'].sort(),
    );
  });

  test('a $geometry MultiPolygon holds a shape whose parts lie in different polygons', async () => {
    const two = { type: 'MultiPolygon', coordinates: [[square(0, 0, 10, 10)], [square(19, 19, 26, 26)]] };
    const found = await names({ geo: { $geoWithin: { $geometry: two } } });
    expect(found).toContain('multiPolygonHalf');
    expect(found).toContain('multiPointHalf');
    expect(found).toContain('polygonFar');
    expect(found).not.toContain('lineFar');
    expect(found).not.toContain('lineCrossing');
  });

  test('a $centerSphere cap', async () => {
    const cap = { $centerSphere: [[5, 5], (8 * Math.PI) / 180] };
    expect(await names({ geo: { $geoWithin: cap } })).toEqual(
      ['collectionInside', 'lineInside', 'multiLineInside', 'multiPointInside', 'point', 'polygonInside'].sort(),
    );
  });

  test('a flat $box contains single points only, as in mongod', async () => {
    expect(await names({ geo: { $geoWithin: { $box: [[0, 0], [10, 10]] } } })).toEqual(['point']);
  });
});

describe('$geoIntersects matches any stored geometry that touches the query geometry', () => {
  test('a Polygon', async () => {
    expect(await names({ geo: { $geoIntersects: { $geometry: QUERY_SQUARE } } })).toEqual(
      [
        'collectionHalf', 'collectionInside', 'lineCrossing', 'lineInside', 'lineLeaving', 'multiLineInside', 'multiPointHalf',
        'multiPointInside', 'multiPolygonHalf', 'point', 'polygonAround', 'polygonInside', 'polygonOverlapping',
      ].sort(),
    );
  });

  test('a Point finds the polygons containing it and the lines through it', async () => {
    const found = await names({ geo: { $geoIntersects: { $geometry: { type: 'Point', coordinates: [3, 3] } } } });
    expect(found).toEqual(['collectionInside', 'multiLineInside', 'multiPolygonHalf', 'polygonAround', 'polygonInside'].sort());
  });

  test('a LineString crossing a stored polygon without a vertex inside it', async () => {
    const found = await names({ geo: { $geoIntersects: { $geometry: line([-4, 3], [14, 3]) } } });
    expect(found).toContain('polygonInside');
    expect(found).toContain('polygonAround');
    expect(found).not.toContain('polygonOverlapping');
    expect(found).not.toContain('squareInHole');
    expect(found).not.toContain('polygonFar');
  });
});

describe('$near and $geoNear place stored lines and polygons by their nearest point', () => {
  beforeAll(async () => {
    const placed = f.db.collection('placed');
    await placed.createIndex({ geo: '2dsphere' });
    await placed.insertMany([
      { _id: 'pointA' as any, geo: { type: 'Point', coordinates: [0, 1] } },
      { _id: 'lineB' as any, geo: line([-1, 0.5], [1, 0.5]) },
      { _id: 'polygonC' as any, geo: polygon(square(-1, -1, 1, 1)) },
      { _id: 'lineD' as any, geo: line([5, 5], [6, 6]) },
    ]);
  });

  test('$near orders them nearest first, a polygon around the point at distance 0', async () => {
    const near = (extra: object) => f.db.collection('placed').find({ geo: { $near: { $geometry: { type: 'Point', coordinates: [0, 0] }, ...extra } } }).toArray();
    expect((await near({})).map((d) => d._id)).toEqual(['polygonC', 'lineB', 'pointA', 'lineD']);
    expect((await near({ $maxDistance: 60_000 })).map((d) => d._id)).toEqual(['polygonC', 'lineB']);
  });

  test('$geoNear reports the distance to the nearest point of a line', async () => {
    const placed = await f.db
      .collection('placed')
      .aggregate([{ $geoNear: { near: { type: 'Point', coordinates: [0, 0] }, distanceField: 'd', includeLocs: 'at' } }, { $limit: 3 }])
      .toArray();
    expect(placed.map((d) => d._id)).toEqual(['polygonC', 'lineB', 'pointA']);
    expect(placed[0].d).toBe(0);
    expect(placed[1].d).toBeGreaterThan(55_000);
    expect(placed[1].d).toBeLessThan(56_000);
    expect(placed[1].at).toEqual(line([-1, 0.5], [1, 0.5]));
    expect(placed[2].d).toBeGreaterThan(110_000);
  });
});
