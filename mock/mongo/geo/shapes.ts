/**
 * $geoWithin and $geoIntersects against point values.
 *
 * Choices, all MongoDB's:
 * - Boundaries are inside for every shape: $box, $polygon, $center and $centerSphere (the 2d code and
 *   S2Cap compare with <=), and GeoJSON polygons (mongod's containsPoint falls back to
 *   MayIntersect, which counts points on edges and vertices; a point on a hole's edge therefore matches).
 * - $geometry polygons are spherical: edges are great-circle arcs, as on a 2dsphere, so a point on a
 *   parallel between two vertices of an east-west edge lies outside a polygon north of that edge.
 * - $box, $polygon and $center are flat (2d) shapes on the raw coordinates; $centerSphere is a cap
 *   on the sphere with its radius in radians.
 * - Stored lines, polygons, multi-geometries and geometry collections match on the sphere
 *   (geo/geometry.ts): $geoWithin a $geometry polygon or a $centerSphere needs every part
 *   inside; the flat shapes contain only single points (a GeoJSON Point or a legacy pair), as
 *   in mongod; $geoIntersects needs any part to touch the query geometry.
 * Self-intersecting polygons are not rejected (mongod rejects them; we only check what queries use).
 */
import type { Document } from 'bson';
import { badValue } from './errors';
import {
  linePart,
  partsIntersect,
  polygonContainsLine,
  polygonContainsPoint,
  polygonContainsPolygon,
  polygonPart,
  storedGeometries,
  type Geometry,
  type LinePart,
  type Part,
  type PolygonPart,
} from './geometry';
import {
  asNumber,
  describe,
  isPlainObject,
  legacyPair,
  outOfBoundsMessage,
  parseGeoJsonPointOperand,
  parseLegacyPairOperand,
} from './points';
import { isValidLngLat, planarDistance, planarPolygonContains, sphericalCapContains, type Point } from './sphere';

/** A $geoWithin shape: what it contains, part by part. */
export interface Region {
  /** A flat (2d) shape, which contains only single points. */
  readonly flat: boolean;
  containsPoint(point: Point): boolean;
  containsLine(line: LinePart): boolean;
  containsPolygon(polygon: PolygonPart): boolean;
}

/** Parsed operands, keyed by the operand object: mingo calls the operator once per document. */
const withinCache = new WeakMap<object, Region>();
const intersectsCache = new WeakMap<object, Part[]>();

/** mingo operator $geoWithin: does one of the value's geometries lie wholly in the operand's shape? */
export function geoWithin(value: unknown, operand: Document): boolean {
  const region = cached(withinCache, operand, parseWithinOperand);
  return storedGeometries(value).some((geometry) => isWithin(geometry, region));
}

function isWithin(geometry: Geometry, region: Region): boolean {
  if (region.flat) return geometry.singlePoint !== undefined && region.containsPoint(geometry.singlePoint);
  return geometry.parts.length > 0 && geometry.parts.every((part) => regionContains(region, part));
}

function regionContains(region: Region, part: Part): boolean {
  if (part.kind === 'point') return region.containsPoint(part.point);
  return part.kind === 'line' ? region.containsLine(part) : region.containsPolygon(part);
}

/** mingo operator $geoIntersects: does any part of the value touch the operand's `$geometry`? */
export function geoIntersects(value: unknown, operand: Document): boolean {
  const query = cached(intersectsCache, operand, parseIntersectsOperand);
  return storedGeometries(value).some(({ parts }) => parts.some((part) => query.some((q) => partsIntersect(part, q))));
}

function cached<T>(cache: WeakMap<object, T>, operand: Document, parse: (operand: Document) => T): T {
  if (operand === null || typeof operand !== 'object') return parse(operand);
  const hit = cache.get(operand);
  if (hit) return hit;
  const parsed = parse(operand);
  cache.set(operand, parsed);
  return parsed;
}

/** A flat shape given as a point test. */
function flatRegion(contains: (point: Point) => boolean): Region {
  const none = () => false;
  return { flat: true, containsPoint: contains, containsLine: none, containsPolygon: none };
}

const WITHIN_SHAPES: Record<string, (argument: unknown) => Region> = {
  $box: parseBox,
  $polygon: parseLegacyPolygon,
  $center: parseCenter,
  $centerSphere: parseCenterSphere,
  $geometry: parseWithinGeometry,
};

/** Parses a $geoWithin operand into a region; throws GeoError (BadValue) like mongod for bad shapes. */
export function parseWithinOperand(operand: Document): Region {
  if (!isPlainObject(operand)) throw badValue(`$geoWithin/$within argument must be an object: ${describe(operand)}`);
  // $uniqueDocs is accepted and ignored by mongod since 2.6.
  const keys = Object.keys(operand).filter((key) => key !== '$uniqueDocs');
  const shapeKey = keys[0];
  if (keys.length !== 1 || !(shapeKey in WITHIN_SHAPES)) {
    throw badValue(`unknown geo specifier: ${describe(operand)}`);
  }
  return WITHIN_SHAPES[shapeKey](operand[shapeKey]);
}

/** Parses a $geoIntersects operand; only `$geometry` is allowed there. */
export function parseIntersectsOperand(operand: Document): Part[] {
  if (!isPlainObject(operand) || !('$geometry' in operand)) {
    throw badValue(`$geoIntersect must take an object with $geometry: ${describe(operand)}`);
  }
  return parseIntersectsGeometry(operand.$geometry);
}

function twoItems(argument: unknown, shape: string): [unknown, unknown] {
  if (!Array.isArray(argument) || argument.length !== 2) {
    throw badValue(`${shape} must be an array of two elements: ${describe(argument)}`);
  }
  return [argument[0], argument[1]];
}

function parseBox(argument: unknown): Region {
  const [first, second] = twoItems(argument, '$box');
  const a = parseLegacyPairOperand(first, '$box');
  const b = parseLegacyPairOperand(second, '$box');
  const [minX, maxX] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])];
  const [minY, maxY] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])];
  return flatRegion(([x, y]) => x >= minX && x <= maxX && y >= minY && y <= maxY);
}

function parseLegacyPolygon(argument: unknown): Region {
  if (!Array.isArray(argument)) throw badValue(`$polygon must be an array of points: ${describe(argument)}`);
  const ring = argument.map((item) => parseLegacyPairOperand(item, '$polygon'));
  if (ring.length < 3) throw badValue(`Polygon must have at least 3 points, instead got ${ring.length} vertices`);
  return flatRegion((point) => planarPolygonContains(ring, point));
}

function parseRadius(value: unknown): number {
  const radius = asNumber(value);
  if (radius === undefined || !(radius >= 0)) throw badValue(`Radius must be a non-negative number: ${describe(value)}`);
  return radius;
}

function parseCenter(argument: unknown): Region {
  const [first, second] = twoItems(argument, '$center');
  const center = parseLegacyPairOperand(first, '$center');
  const radius = parseRadius(second);
  return flatRegion((point) => planarDistance(center, point) <= radius);
}

function parseCenterSphere(argument: unknown): Region {
  const [first, second] = twoItems(argument, '$centerSphere');
  const center = parseLegacyPairOperand(first, '$centerSphere');
  if (!isValidLngLat(center)) throw badValue(outOfBoundsMessage(center));
  const radius = parseRadius(second);
  const inCap = (point: Point) => isValidLngLat(point) && sphericalCapContains(center, radius, point);
  // A cap no larger than a hemisphere is convex: holding every vertex, it holds the edges too.
  return {
    flat: false,
    containsPoint: inCap,
    containsLine: (line) => line.points.every(inCap),
    containsPolygon: (polygon) => polygon.vertices[0].every(inCap),
  };
}

function parseWithinGeometry(geometry: unknown): Region {
  if (!isPlainObject(geometry)) throw badValue(`geometry must be an object: ${describe(geometry)}`);
  if (geometry.type === 'Polygon') return polygonRegion([parsePolygonCoordinates(geometry.coordinates)]);
  if (geometry.type === 'MultiPolygon') return polygonRegion(parseMultiPolygonCoordinates(geometry.coordinates));
  if (typeof geometry.type !== 'string' || !KNOWN_GEOJSON_TYPES.has(geometry.type)) {
    throw badValue(`unknown GeoJSON type: ${describe(geometry)}`);
  }
  throw badValue(`$within not supported with provided geometry: ${describe(geometry)}`);
}

const KNOWN_GEOJSON_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

function parseLine(coordinates: unknown): LinePart {
  const line = parsePositions(coordinates, 'LineString');
  if (line.length < 2) throw badValue(`GeoJSON LineString must have at least 2 vertices: ${describe(coordinates)}`);
  return linePart(line);
}

function parseIntersectsGeometry(geometry: unknown): Part[] {
  if (!isPlainObject(geometry)) throw badValue(`geometry must be an object: ${describe(geometry)}`);
  switch (geometry.type) {
    case 'Point':
      return [{ kind: 'point', point: parseGeoJsonPointOperand(geometry, '$geoIntersects') }];
    case 'MultiPoint':
      return parsePositions(geometry.coordinates, 'MultiPoint').map((point) => ({ kind: 'point', point }));
    case 'LineString':
      return [parseLine(geometry.coordinates)];
    case 'MultiLineString':
      if (!Array.isArray(geometry.coordinates)) throw badValue(`MultiLineString coordinates must be an array: ${describe(geometry.coordinates)}`);
      return geometry.coordinates.map(parseLine);
    case 'Polygon':
      return [polygonPart(parsePolygonCoordinates(geometry.coordinates))];
    case 'MultiPolygon':
      return parseMultiPolygonCoordinates(geometry.coordinates).map(polygonPart);
    case 'GeometryCollection':
      if (!Array.isArray(geometry.geometries)) throw badValue(`GeometryCollection geometries must be an array: ${describe(geometry.geometries)}`);
      return geometry.geometries.flatMap(parseIntersectsGeometry);
    default:
      throw badValue(`unknown GeoJSON type: ${describe(geometry)}`);
  }
}

/** A $geometry (Multi)Polygon: a part is inside when one of the polygons holds all of it. */
function polygonRegion(polygons: Point[][][]): Region {
  const prepared = polygons.map(polygonPart);
  return {
    flat: false,
    containsPoint: (point) => prepared.some((polygon) => polygonContainsPoint(polygon, point)),
    containsLine: (line) => prepared.some((polygon) => polygonContainsLine(polygon, line)),
    containsPolygon: (inner) => prepared.some((polygon) => polygonContainsPolygon(polygon, inner)),
  };
}

function parsePositions(value: unknown, what: string): Point[] {
  if (!Array.isArray(value)) throw badValue(`GeoJSON coordinates must be an array of coordinates: ${what} ${describe(value)}`);
  return value.map((position) => {
    const point = Array.isArray(position) ? legacyPair(position) : undefined;
    if (!point || !Number.isFinite(point[0]) || !Number.isFinite(point[1])) {
      throw badValue(`GeoJSON coordinates must be an array of numbers: ${describe(position)}`);
    }
    if (!isValidLngLat(point)) throw badValue(outOfBoundsMessage(point));
    return point;
  });
}

/** A GeoJSON polygon as rings of lng/lat points without the closing vertex; ring 0 is the shell. */
function parsePolygonCoordinates(coordinates: unknown): Point[][] {
  if (!Array.isArray(coordinates)) throw badValue(`Polygon coordinates must be an array, instead got ${describe(coordinates)}`);
  if (coordinates.length === 0) throw badValue('Polygon has no loops.');
  return coordinates.map(parseRing);
}

function parseMultiPolygonCoordinates(coordinates: unknown): Point[][][] {
  if (!Array.isArray(coordinates)) throw badValue(`MultiPolygon coordinates must be an array, instead got ${describe(coordinates)}`);
  if (coordinates.length === 0) throw badValue('MultiPolygon coordinates must have at least 1 element');
  return coordinates.map(parsePolygonCoordinates);
}

/** A closed ring of at least 3 distinct vertices, returned without its closing vertex. */
function parseRing(value: unknown): Point[] {
  const points = parsePositions(value, 'Polygon');
  if (points.length === 0) throw badValue(`Loop has no vertices: ${describe(value)}`);
  const first = points[0];
  const last = points[points.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    throw badValue(`Loop is not closed, first vertex does not equal last vertex: ${describe(value)}`);
  }
  const open = points.slice(0, -1).filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
  const distinct = new Set(open.map((p) => `${p[0]},${p[1]}`)).size;
  if (distinct < 3) {
    throw badValue(`Loop must have at least 3 different vertices, ${distinct} unique vertices were provided: ${describe(value)}`);
  }
  return open;
}
