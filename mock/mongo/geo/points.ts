/** Reading points out of documents (stored values) and out of queries (validated operands). */
import type { Document } from 'bson';
import { badValue } from './errors';
import { isValidLngLat, type Point } from './sphere';

/** A point found in a document, with the value it came from (what $geoNear's includeLocs returns). */
export interface StoredPoint {
  point: Point;
  source: unknown;
}

/** A plain number, or a BSON numeric wrapper (Double, Int32, Long) when values are not promoted. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value !== null && typeof value === 'object' && '_bsontype' in value) {
    const tagged = value as { _bsontype: string; value?: unknown; toNumber?: () => number };
    if (tagged._bsontype === 'Long' && tagged.toNumber) return tagged.toNumber();
    if ((tagged._bsontype === 'Double' || tagged._bsontype === 'Int32') && typeof tagged.value === 'number') {
      return tagged.value;
    }
  }
  return undefined;
}

export function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `[x, y, ...]` or `{ x: .., y: .., ... }` whose first two values are numbers: MongoDB's legacy coordinate pair. */
export function legacyPair(value: unknown): Point | undefined {
  const items = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : undefined;
  if (!items || items.length < 2) return undefined;
  const x = asNumber(items[0]);
  const y = asNumber(items[1]);
  return x === undefined || y === undefined ? undefined : [x, y];
}

export function isGeoJsonObject(value: unknown): value is Document {
  return isPlainObject(value) && typeof value.type === 'string';
}

/** Coordinates of a stored GeoJSON Point, or undefined for any other value. */
function geoJsonPointCoordinates(value: unknown): Point | undefined {
  if (!isGeoJsonObject(value) || value.type !== 'Point' || !Array.isArray(value.coordinates)) return undefined;
  if (value.coordinates.length !== 2) return undefined;
  return legacyPair(value.coordinates);
}

/** One stored location: a GeoJSON Point or a legacy pair. Anything else (lines, polygons, junk) is not a point. */
export function storedPoint(value: unknown): Point | undefined {
  if (isGeoJsonObject(value)) return geoJsonPointCoordinates(value);
  return legacyPair(value);
}

/**
 * Every point a field value holds: one point, or an array of points, possibly nested (a document may
 * carry several locations, as a 2dsphere index allows, and a path through an array of subdocuments
 * yields an array per subdocument). Non-finite coordinates are dropped.
 */
export function storedPoints(value: unknown): StoredPoint[] {
  const single = storedPoint(value);
  if (single) return Number.isFinite(single[0]) && Number.isFinite(single[1]) ? [{ point: single, source: value }] : [];
  return Array.isArray(value) ? value.flatMap(storedPoints) : [];
}

/** The values at a dotted path, descending through arrays of subdocuments as MongoDB's field paths do. */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  return collect(doc, path.split('.'));
}

function collect(value: unknown, parts: string[]): unknown[] {
  if (parts.length === 0) return value === undefined ? [] : [value];
  const [head, ...tail] = parts;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(head) && Number(head) < value.length) return collect(value[Number(head)], tail);
    return value.flatMap((item) => (isPlainObject(item) ? collect(item, parts) : []));
  }
  if (value !== null && typeof value === 'object') return collect((value as Document)[head], tail);
  return [];
}

/** All points stored at a (dotted) field path of a document. */
export function pointsAtPath(doc: Document, path: string): StoredPoint[] {
  return valuesAtPath(doc, path).flatMap(storedPoints);
}

/** MongoDB's wording for bounds errors, e.g. "longitude/latitude is out of bounds, lng: 200 lat: 0". */
export function outOfBoundsMessage([lng, lat]: Point): string {
  return `longitude/latitude is out of bounds, lng: ${lng} lat: ${lat}`;
}

/** A short rendering of an operand for error messages, in the spirit of BSON's toString. */
export function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A GeoJSON Point operand of a query (`$geometry`, `near`), checked as mongod checks it. */
export function parseGeoJsonPointOperand(value: unknown, context: string): Point {
  if (!isPlainObject(value)) throw badValue(`${context}: geometry must be an object`);
  if (value.type !== 'Point') {
    throw badValue(`${context}: ${describe(value)} Expected geojson geometry with type Point, but got type ${String(value.type)}`);
  }
  const coordinates = value.coordinates;
  const point = Array.isArray(coordinates) && coordinates.length === 2 ? legacyPair(coordinates) : undefined;
  if (!point) throw badValue(`${context}: ${describe(value)} Point must only contain numeric elements`);
  if (!isValidLngLat(point)) throw badValue(`${context}: ${describe(value)}  ${outOfBoundsMessage(point)}`);
  return point;
}

/** A legacy pair operand (`[x, y]` or `{x, y}`), which must hold exactly two finite numbers. */
export function parseLegacyPairOperand(value: unknown, context: string): Point {
  const point = legacyPair(value);
  const size = Array.isArray(value) ? value.length : isPlainObject(value) ? Object.keys(value).length : 0;
  if (!point || size !== 2 || !Number.isFinite(point[0]) || !Number.isFinite(point[1])) {
    throw badValue(`${context}: Point must only contain two numeric elements: ${describe(value)}`);
  }
  return point;
}
