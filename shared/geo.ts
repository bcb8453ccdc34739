/**
 * Coordinates. Everything the platform stores and sends is `[lng, lat]` in GCJ-02, the datum
 * China's maps use; a browser's geolocation (and a GPS) gives WGS-84, converted here first.
 *
 * WGS-84 → GCJ-02, the datum China's maps use (WeChat's map component, Tencent, AMap), by the
 * widely published formula of the offset: a smooth, deliberately irregular shift of a few
 * hundred metres, computed on the Krasovsky 1940 ellipsoid. Good to a few metres inside China.
 */
const KRASOVSKY_SEMI_MAJOR_AXIS = 6378245.0;
const KRASOVSKY_ECCENTRICITY_SQUARED = 0.00669342162296594323;

/** `[lng, lat]` in WGS-84 degrees to `[lng, lat]` in GCJ-02 degrees. */
export function wgs84ToGcj02([lng, lat]: readonly [number, number]): [number, number] {
  const x = lng - 105.0;
  const y = lat - 35.0;
  const radLat = (lat / 180.0) * Math.PI;
  const sinLat = Math.sin(radLat);
  const magic = 1 - KRASOVSKY_ECCENTRICITY_SQUARED * sinLat * sinLat;
  const sqrtMagic = Math.sqrt(magic);
  const metresPerRadianLat = (KRASOVSKY_SEMI_MAJOR_AXIS * (1 - KRASOVSKY_ECCENTRICITY_SQUARED)) / (magic * sqrtMagic);
  const metresPerRadianLng = (KRASOVSKY_SEMI_MAJOR_AXIS / sqrtMagic) * Math.cos(radLat);
  const dLat = (latitudeShift(x, y) * 180.0) / (metresPerRadianLat * Math.PI);
  const dLng = (longitudeShift(x, y) * 180.0) / (metresPerRadianLng * Math.PI);
  return [lng + dLng, lat + dLat];
}

/** The wavy term both shifts share. */
function ripple(x: number): number {
  return ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
}

function latitudeShift(x: number, y: number): number {
  let shift = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  shift += ripple(x);
  shift += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  shift += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return shift;
}

function longitudeShift(x: number, y: number): number {
  let shift = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  shift += ripple(x);
  shift += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  shift += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return shift;
}

/**
 * The city the public pages are set in and the point shown when the visitor's own location is
 * unknown: 济南市's centre as AMap publishes it for adcode 370100 (already GCJ-02).
 */
export const HOME_CITY = { code: '3701', name: '济南市', centre: [117.000923, 36.675807] as [number, number] } as const;

/** A distance in metres as a person reads it: 850 米, 1.2 公里, 12 公里. */
export function distanceText(metres: number): string {
  if (metres < 1000) return `${Math.max(1, Math.round(metres))} 米`;
  const km = metres / 1000;
  return `${km < 10 ? km.toFixed(1) : Math.round(km)} 公里`;
}

/**
 * Web Mercator tile math (the XYZ scheme of AMap/Tencent/OSM tiles, 256 px tiles): a `[lng, lat]`
 * in the tiles' own datum (GCJ-02 for AMap/Tencent) to a position in world pixels at zoom `z`.
 * The world at zoom z is 256·2^z pixels square; x grows east from 180°W, y grows south from 85.0511°N.
 */
export const TILE_SIZE = 256;
const MAX_MERCATOR_LATITUDE = 85.05112878;

export function worldPixel([lng, lat]: readonly [number, number], z: number): { x: number; y: number } {
  const size = TILE_SIZE * 2 ** z;
  const clamped = Math.max(-MAX_MERCATOR_LATITUDE, Math.min(MAX_MERCATOR_LATITUDE, lat));
  const sin = Math.sin((clamped * Math.PI) / 180);
  return {
    x: ((lng + 180) / 360) * size,
    y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size,
  };
}

/** The tile `{x, y}` at zoom z that holds a point. */
export function tileOf(point: readonly [number, number], z: number): { x: number; y: number } {
  const { x, y } = worldPixel(point, z);
  return { x: Math.floor(x / TILE_SIZE), y: Math.floor(y / TILE_SIZE) };
}

export interface TileView {
  z: number;
  /** The tiles to draw, row by row, each with its offset from the view's top-left corner in px. */
  tiles: { x: number; y: number; z: number; left: number; top: number }[];
  width: number;
  height: number;
  /** Where a point falls in the view, px from its top-left corner (may be outside for far points). */
  place(point: readonly [number, number]): { left: number; top: number };
}

/**
 * A block of `span`×`span` tiles (odd) at zoom z with the tile holding `centre` in the middle:
 * what the H5 nearby page draws as absolutely positioned images.
 */
export function tileView(centre: readonly [number, number], z: number, span = 3): TileView {
  const middle = tileOf(centre, z);
  const half = Math.floor(span / 2);
  const originX = (middle.x - half) * TILE_SIZE;
  const originY = (middle.y - half) * TILE_SIZE;
  const count = 2 ** z;
  const tiles: TileView['tiles'] = [];
  for (let row = 0; row < span; row += 1) {
    for (let col = 0; col < span; col += 1) {
      const x = middle.x - half + col;
      const y = middle.y - half + row;
      if (y < 0 || y >= count) continue;
      tiles.push({ x: ((x % count) + count) % count, y, z, left: col * TILE_SIZE, top: row * TILE_SIZE });
    }
  }
  return {
    z,
    tiles,
    width: span * TILE_SIZE,
    height: span * TILE_SIZE,
    place(point) {
      const p = worldPixel(point, z);
      return { left: p.x - originX, top: p.y - originY };
    },
  };
}

/** A tile template's URL for one tile: `{x}` `{y}` `{z}` replaced. */
export function tileUrl(template: string, tile: { x: number; y: number; z: number }): string {
  return template.replace(/\{x\}/g, String(tile.x)).replace(/\{y\}/g, String(tile.y)).replace(/\{z\}/g, String(tile.z));
}
