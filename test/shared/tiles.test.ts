import fc from 'fast-check';
import { HOME_CITY, TILE_SIZE, tileOf, tileUrl, tileView, worldPixel } from '@shared/geo';

/** The OpenStreetMap wiki's "Slippy map tilenames" formula, written independently of shared/geo.ts. */
function osmTile(lng: number, lat: number, z: number) {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { x: Math.floor(((lng + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

describe('Web Mercator tile math', () => {
  it('puts the whole world in tile 0/0/0 and splits it in four at zoom 1', () => {
    expect(tileOf([0, 0], 0)).toEqual({ x: 0, y: 0 });
    expect(tileOf([-179.9, 85], 1)).toEqual({ x: 0, y: 0 });
    expect(tileOf([179.9, -85], 1)).toEqual({ x: 1, y: 1 });
    expect(tileOf([0.0001, -0.0001], 1)).toEqual({ x: 1, y: 1 });
    expect(worldPixel([0, 0], 2)).toEqual({ x: 2 * TILE_SIZE, y: 2 * TILE_SIZE });
  });

  it('puts 济南市 centre at zoom 15 in tile 27033/12791', () => {
    expect(tileOf(HOME_CITY.centre, 15)).toEqual({ x: 27033, y: 12791 });
  });

  it('agrees with the OpenStreetMap wiki formula everywhere tiles exist', () => {
    fc.assert(
      fc.property(fc.double({ min: -179.999, max: 179.999, noNaN: true }), fc.double({ min: -85, max: 85, noNaN: true }), fc.integer({ min: 0, max: 19 }), (lng, lat, z) => {
        const ours = worldPixel([lng, lat], z);
        const theirs = osmTile(lng, lat, z);
        // Equal tiles, unless the point sits within a hair of a tile edge (float rounding of two formulas).
        const nearEdge = (v: number) => Math.abs(v / TILE_SIZE - Math.round(v / TILE_SIZE)) < 1e-6;
        if (!nearEdge(ours.x)) expect(Math.floor(ours.x / TILE_SIZE)).toBe(theirs.x);
        if (!nearEdge(ours.y)) expect(Math.floor(ours.y / TILE_SIZE)).toBe(theirs.y);
      }),
    );
  });

  it('draws a 3×3 block around the point, the point inside the middle tile', () => {
    const view = tileView(HOME_CITY.centre, 15);
    expect(view.tiles.map((t) => `${t.z}/${t.x}/${t.y}@${t.left},${t.top}`)).toEqual([
      '15/27032/12790@0,0', '15/27033/12790@256,0', '15/27034/12790@512,0',
      '15/27032/12791@0,256', '15/27033/12791@256,256', '15/27034/12791@512,256',
      '15/27032/12792@0,512', '15/27033/12792@256,512', '15/27034/12792@512,512',
    ]);
    expect([view.width, view.height]).toEqual([768, 768]);
    const at = view.place(HOME_CITY.centre);
    expect(at.left).toBeGreaterThanOrEqual(256);
    expect(at.left).toBeLessThan(512);
    expect(at.top).toBeGreaterThanOrEqual(256);
    expect(at.top).toBeLessThan(512);
  });

  it('places a point east and north of another to the right and above it, by the metres between them', () => {
    const view = tileView(HOME_CITY.centre, 15);
    const centre = view.place(HOME_CITY.centre);
    const northEast = view.place([HOME_CITY.centre[0] + 0.01, HOME_CITY.centre[1] + 0.01]);
    // At zoom 15 one pixel is 156543.03 · cos(lat) / 2^15 m ≈ 3.83 m here; 0.01° of longitude ≈ 893 m ≈ 233 px.
    expect(northEast.left - centre.left).toBeCloseTo((0.01 / 360) * TILE_SIZE * 2 ** 15, 6);
    expect(northEast.top).toBeLessThan(centre.top);
    expect(centre.top - northEast.top).toBeGreaterThan(280);
    expect(centre.top - northEast.top).toBeLessThan(300);
  });

  it('fills a template with the tile coordinates', () => {
    expect(tileUrl('https://t.example.cn/a?x={x}&y={y}&z={z}', { x: 1, y: 2, z: 3 })).toBe('https://t.example.cn/a?x=1&y=2&z=3');
    expect(tileUrl('http://127.0.0.1:9/{z}/{x}/{y}.png', { x: 27033, y: 12791, z: 15 })).toBe('http://127.0.0.1:9/15/27033/12791.png');
  });
});
