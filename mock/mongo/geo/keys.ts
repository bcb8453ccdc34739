/**
 * What a 2dsphere index demands of the documents it indexes, as mongod checks it when it
 * generates the index keys (expression_keys_private.cpp getS2Keys, geometry_container.cpp
 * parseFromStorage, geoparser.cpp): a document whose indexed field is not a geometry is refused
 * with 16755 "Can't extract geo keys: <document>  <reason>", on insert, update, replace and when
 * the index is built over existing documents.
 *
 * Rules, all mongod's (2dsphere index version 2 and 3, the defaults since MongoDB 2.6):
 * - A missing field, null, undefined, [] or {} is not indexed (the index is sparse).
 * - Arrays along the path are multikey (`places.loc` over `places: [{loc}, {loc}]` checks each);
 *   the field's own value is not expanded: an array there is one legacy pair `[lng, lat, ...]`.
 * - An object is GeoJSON unless its first value is a number (then a legacy pair `{lng, lat}`).
 * - Positions need two finite numbers (more are allowed: altitude), lng in [-180, 180] and
 *   lat in [-90, 90]; a LineString two distinct positions; a Polygon ring is closed, has three
 *   distinct vertices, no repeated vertex and no crossing edges, and holes lie inside the shell.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { isPlainObject } from './points';
import { sphericalRing, type Point } from './sphere';

/** mongod's uassert id for a document whose geo field cannot be indexed. */
export const CANNOT_EXTRACT_GEO_KEYS = 16755;

type Vec3 = [number, number, number];

/** Why a value is not a geometry, or null when it is one. */
type Problem = string | null;

const STRICT_WINDING_CRS = 'urn:x-mongodb:crs:strictwinding:EPSG:4326';
const SPHERE_CRS_NAMES = new Set(['urn:ogc:def:crs:OGC:1.3:CRS84', 'EPSG:4326']);

/** The 2dsphere fields of each key pattern, found once per index. */
const geoFieldsByKey = new WeakMap<Document, string[]>();

function geoFieldsOf(key: Document): string[] {
  let fields = geoFieldsByKey.get(key);
  if (!fields) {
    fields = Object.keys(key).filter((field) => key[field] === '2dsphere');
    geoFieldsByKey.set(key, fields);
  }
  return fields;
}

/**
 * Throws 16755 when `doc` cannot be indexed by an index with key pattern `key`; does nothing for
 * indexes without a 2dsphere field or documents a partial index's filter leaves out.
 */
export function assertGeoKeys(key: Document, doc: Document, inIndex: (doc: Document) => boolean = () => true): void {
  const fields = geoFieldsOf(key);
  if (fields.length === 0 || !inIndex(doc)) return;
  for (const field of fields) {
    const problem = geoFieldProblem(doc, field);
    if (problem) throw new MongoCommandError(CANNOT_EXTRACT_GEO_KEYS, `Can't extract geo keys: ${bsonText(doc)}  ${problem}`);
  }
}

/** Why the values at a 2dsphere field of a document cannot be indexed, or null. */
export function geoFieldProblem(doc: Document, path: string): Problem {
  const values = elementsAlongPath(doc, path.split('.'));
  if (values.length === 1 && isNotIndexed(values[0])) return null;
  for (const value of values) {
    const problem = storedGeometryProblem(path.split('.').pop() as string, value);
    if (problem) return problem;
  }
  return null;
}

/** null, undefined, [] and {} alone say "no location" (2dsphere indexes are sparse). */
function isNotIndexed(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/**
 * The values a dotted path reaches, descending into every element of arrays met before its
 * last part (a numeric part indexes the array instead); the last value is not expanded.
 */
function elementsAlongPath(value: unknown, parts: string[]): unknown[] {
  if (!isContainer(value)) return [];
  const [head, ...rest] = parts;
  const child = (value as Document)[head];
  if (rest.length === 0) return child === undefined ? [] : [child];
  if (Array.isArray(child) && !/^\d+$/.test(rest[0])) return child.flatMap((item) => elementsAlongPath(item, rest));
  return elementsAlongPath(child, rest);
}

function isContainer(value: unknown): boolean {
  return Array.isArray(value) || isPlainObject(value);
}

/** parseFromStorage: an array is a legacy pair; an object GeoJSON, or a legacy pair when its first value is a number. */
function storedGeometryProblem(fieldName: string, value: unknown): Problem {
  if (!isContainer(value)) return `geo element must be an array or object: ${fieldName}: ${bsonText(value)}`;
  const first = Object.values(value as Document)[0];
  if (Array.isArray(value) || numeric(first) !== undefined) return legacyPairProblem(value);
  return geoJsonProblem(value as Document);
}

function legacyPairProblem(value: unknown): Problem {
  const parsed = flatPoint(value);
  if (typeof parsed === 'string') return parsed;
  if (!inLngLatBounds(parsed)) return `can't project geometry into spherical CRS: ${bsonText(value)}`;
  return null;
}

/** parseFlatPoint with additional values allowed: two leading finite numbers, else mongod's reason. */
function flatPoint(value: unknown): Point | string {
  if (!isContainer(value)) return `Point must be an array or object, instead got type ${bsonTypeName(value)}`;
  const [x, y] = Object.values(value as Document);
  const coordinates: number[] = [];
  for (const item of [x, y]) {
    const n = numeric(item);
    if (n === undefined) return `Point must only contain numeric elements, instead got type ${bsonTypeName(item)}`;
    coordinates.push(n);
  }
  if (!coordinates.every(Number.isFinite)) return 'Point coordinates must be finite numbers';
  return [coordinates[0], coordinates[1]];
}

function inLngLatBounds([lng, lat]: Point): boolean {
  return Math.abs(lng) <= 180 && Math.abs(lat) <= 90;
}

/** A GeoJSON position: `[lng, lat, ...]` inside the bounds. */
function position(value: unknown): Point | string {
  if (!Array.isArray(value)) return `GeoJSON coordinates must be an array, instead got type ${bsonTypeName(value)}`;
  const point = flatPoint(value);
  if (typeof point === 'string') return point;
  if (!inLngLatBounds(point)) return `Longitude/latitude is out of bounds, lng: ${point[0]} lat: ${point[1]}`;
  return point;
}

function positions(value: unknown): Point[] | string {
  if (!Array.isArray(value)) return `GeoJSON coordinates must be an array of coordinates, instead got type ${bsonTypeName(value)}`;
  const points: Point[] = [];
  for (const item of value) {
    const point = position(item);
    if (typeof point === 'string') return point;
    points.push(point);
  }
  return points;
}

const GEOJSON_PARSERS: Record<string, (geometry: Document) => Problem> = {
  Point: pointProblem,
  LineString: (g) => crsProblem(g) ?? lineProblem(g.coordinates),
  Polygon: polygonGeometryProblem,
  MultiPoint: multiPointProblem,
  MultiLineString: (g) => crsProblem(g) ?? eachProblem('MultiLineString', g.coordinates, lineProblem),
  MultiPolygon: (g) => crsProblem(g) ?? eachProblem('MultiPolygon', g.coordinates, polygonRingsProblem),
  GeometryCollection: geometryCollectionProblem,
};

function geoJsonProblem(geometry: Document): Problem {
  const parse = typeof geometry.type === 'string' ? GEOJSON_PARSERS[geometry.type] : undefined;
  if (!parse) return `unknown GeoJSON type: ${bsonText(geometry)}`;
  return parse(geometry);
}

function pointProblem(geometry: Document): Problem {
  const crs = crsProblem(geometry);
  if (crs) return crs;
  const point = flatPoint(geometry.coordinates);
  if (typeof point === 'string') return point;
  return inLngLatBounds(point) ? null : `Longitude/latitude is out of bounds, lng: ${point[0]} lat: ${point[1]}`;
}

function multiPointProblem(geometry: Document): Problem {
  const crs = crsProblem(geometry);
  if (crs) return crs;
  const points = positions(geometry.coordinates);
  if (typeof points === 'string') return points;
  return points.length === 0 ? 'MultiPoint coordinates must have at least 1 element' : null;
}

/** The `crs` member: absent, or a named CRS mongod knows (strict winding is for polygon queries, not storage). */
function crsProblem(geometry: Document, allowStrictWinding = false): Problem {
  const crs = geometry.crs;
  if (crs === undefined) return null;
  if (!isPlainObject(crs)) return `GeoJSON CRS must be an object, instead got type ${bsonTypeName(crs)}`;
  if (crs.type !== 'name') return 'GeoJSON CRS must have field "type": "name"';
  if (!isPlainObject(crs.properties)) {
    return `CRS must have field "properties" which is an object, instead got type ${bsonTypeName(crs.properties)}`;
  }
  const name = crs.properties.name;
  if (typeof name !== 'string') return `In CRS, "properties.name" must be a string, instead got type ${bsonTypeName(name)}`;
  if (SPHERE_CRS_NAMES.has(name)) return null;
  if (name !== STRICT_WINDING_CRS) return `Unknown CRS name: ${name}`;
  return allowStrictWinding ? "can't index geometry with strict winding order" : 'Strict winding order CRS is only supported by polygon';
}

function eachProblem(type: string, value: unknown, check: (item: unknown) => Problem): Problem {
  if (!Array.isArray(value)) return `${type} coordinates must be an array, instead got type ${bsonTypeName(value)}`;
  if (value.length === 0) return `${type} coordinates must have at least 1 element`;
  for (const item of value) {
    const problem = check(item);
    if (problem) return problem;
  }
  return null;
}

function lineProblem(coordinates: unknown): Problem {
  const points = positions(coordinates);
  if (typeof points === 'string') return points;
  const vertices = withoutRepeats(points.map(toVector));
  if (vertices.length < 2) {
    return `GeoJSON LineString must have at least 2 vertices, instead got ${vertices.length} vertices: ${bsonText(coordinates)}`;
  }
  const antipodal = vertices.findIndex((v, i) => i > 0 && isAntipodal(vertices[i - 1], v));
  if (antipodal > 0) {
    return `GeoJSON LineString is not valid: Vertices ${antipodal - 1} and ${antipodal} are antipodal ${bsonText(coordinates)}`;
  }
  return null;
}

function polygonGeometryProblem(geometry: Document): Problem {
  return crsProblem(geometry, true) ?? polygonRingsProblem(geometry.coordinates);
}

/** The rings of a polygon: the shell first, then holes inside it. */
function polygonRingsProblem(coordinates: unknown): Problem {
  if (!Array.isArray(coordinates)) return `Polygon coordinates must be an array, instead got type ${bsonTypeName(coordinates)}`;
  if (coordinates.length === 0) return 'Polygon has no loops.';
  const rings: Point[][] = [];
  for (const ringValue of coordinates) {
    const ring = ringVertices(ringValue);
    if (typeof ring === 'string') return ring;
    if (rings.length > 0 && !ringInside(ring, rings[0])) {
      return `Secondary loops not contained by first exterior loop - secondary loops must be holes: ${bsonText(ringValue)} first loop: ${bsonText(coordinates[0])}`;
    }
    rings.push(ring);
  }
  return null;
}

/** A ring's distinct vertices (closing vertex dropped), or why it is not a valid loop. */
function ringVertices(ringValue: unknown): Point[] | string {
  const points = positions(ringValue);
  if (typeof points === 'string') return points;
  if (points.length === 0) return `Loop has no vertices: ${bsonText(ringValue)}`;
  const [first, last] = [toVector(points[0]), toVector(points[points.length - 1])];
  if (!sameVector(first, last)) return `Loop is not closed, first vertex does not equal last vertex: ${bsonText(ringValue)}`;
  const kept = withoutRepeatedPoints(points).slice(0, -1);
  if (kept.length < 3) {
    return `Loop must have at least 3 different vertices, ${kept.length} unique vertices were provided: ${bsonText(ringValue)}`;
  }
  const invalid = loopDefect(kept.map(toVector));
  return invalid ? `Loop is not valid: ${bsonText(ringValue)} ${invalid}` : kept;
}

/** S2Loop::IsValid's checks: no vertex twice, no two edges crossing. */
function loopDefect(vertices: Vec3[]): string | null {
  for (let i = 0; i < vertices.length; i++) {
    for (let j = i + 1; j < vertices.length; j++) {
      if (sameVector(vertices[i], vertices[j])) return `Duplicate vertices: ${i} and ${j}`;
    }
  }
  const n = vertices.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // the closing edge touches the first one
      if (edgesCross(vertices[i], vertices[(i + 1) % n], vertices[j], vertices[(j + 1) % n])) return `Edges ${i} and ${j} cross`;
    }
  }
  return null;
}

/** Every vertex of a hole is inside (or on) the shell: how mongod's loop containment reads for valid loops. */
function ringInside(hole: Point[], shell: Point[]): boolean {
  const region = sphericalRing(shell);
  return hole.every((p) => region.containsInterior(p) || region.onBoundary(p));
}

function withoutRepeatedPoints(points: Point[]): Point[] {
  return points.filter((p, i) => i === 0 || !sameVector(toVector(points[i - 1]), toVector(p)));
}

function withoutRepeats(vertices: Vec3[]): Vec3[] {
  return vertices.filter((v, i) => i === 0 || !sameVector(vertices[i - 1], v));
}

function geometryCollectionProblem(geometry: Document): Problem {
  const geometries = geometry.geometries;
  if (!Array.isArray(geometries)) return `GeometryCollection geometries must be an array, instead got type ${bsonTypeName(geometries)}`;
  if (geometries.length === 0) return 'GeometryCollection geometries must have at least 1 element';
  for (const [i, member] of geometries.entries()) {
    if (!isPlainObject(member)) {
      return `Element ${i} of "geometries" must be an object, instead got type ${bsonTypeName(member)}: ${bsonText(member)}`;
    }
    if (member.type === 'GeometryCollection') return `GeometryCollections cannot be nested: ${bsonText(member)}`;
    const parse = typeof member.type === 'string' ? GEOJSON_PARSERS[member.type] : undefined;
    if (!parse) return `Unknown GeoJSON type: ${bsonText(member)}`;
    const problem = parse(member);
    if (problem) return problem;
  }
  return null;
}

/** The point as S2 takes it: a unit vector from lng/lat in degrees. */
function toVector([lng, lat]: Point): Vec3 {
  const phi = (lat * Math.PI) / 180;
  const lambda = (lng * Math.PI) / 180;
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)];
}

function sameVector(a: Vec3, b: Vec3): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

function isAntipodal(a: Vec3, b: Vec3): boolean {
  return a[0] === -b[0] && a[1] === -b[1] && a[2] === -b[2];
}

/** Sign of the triple product a·(b×c): which side of the great circle through a and b c lies on. */
function orientation(a: Vec3, b: Vec3, c: Vec3): number {
  const det =
    a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
  return Math.sign(det);
}

/** Do the great-circle edges ab and cd cross at a point interior to both (S2's robust crossing, without ties)? */
function edgesCross(a: Vec3, b: Vec3, c: Vec3, d: Vec3): boolean {
  const acb = -orientation(a, b, c);
  const bda = orientation(a, b, d);
  if (acb === 0 || bda === 0 || acb !== bda) return false;
  const cbd = -orientation(c, d, b);
  const dac = orientation(c, d, a);
  return cbd === acb && dac === acb;
}

/** A plain number, or the number a BSON numeric wrapper (Int32, Double, Long, Decimal128) holds. */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const type = bsonType(value);
  if (type === 'Int32' || type === 'Double') return (value as { value: number }).value;
  if (type === 'Long' || type === 'Decimal128') return Number(String(value));
  return undefined;
}

function bsonType(value: unknown): string | undefined {
  return value !== null && typeof value === 'object' ? (value as { _bsontype?: string })._bsontype : undefined;
}

const BSON_TYPE_NAMES: Record<string, string> = {
  Int32: 'int',
  Double: 'double',
  Long: 'long',
  Decimal128: 'decimal',
  ObjectId: 'objectId',
  Binary: 'binData',
  Timestamp: 'timestamp',
  MinKey: 'minKey',
  MaxKey: 'maxKey',
  Code: 'javascript',
  BSONRegExp: 'regex',
  BSONSymbol: 'symbol',
};

/** mongod's typeName() for a value; a missing value is "missing" (BSON's EOO). */
function bsonTypeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 'int' : 'double';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  return BSON_TYPE_NAMES[bsonType(value) ?? ''] ?? 'object';
}

/** A value in the shape of mongod's BSON toString, for error messages. */
function bsonText(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (Array.isArray(value)) return value.length ? `[ ${value.map(bsonText).join(', ')} ]` : '[]';
  const type = bsonType(value);
  if (type === 'ObjectId') return `ObjectId('${String((value as { toHexString(): string }).toHexString())}')`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${k}: ${bsonText(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return String(value);
}
