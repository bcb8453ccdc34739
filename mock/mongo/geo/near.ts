/**
 * $near / $nearSphere in find filters and the $geoNear aggregation stage.
 *
 * Units follow MongoDB:
 * - a GeoJSON point (`$geometry`, or a bare Point as the $near/$nearSphere argument, or
 *   `near: {type:'Point'}` for $geoNear) measures on the sphere, distances and
 *   $minDistance/$maxDistance in metres (radius 6378100 m);
 * - legacy `$nearSphere: [x, y]` (and $geoNear with a legacy pair and `spherical: true`) measures on
 *   the sphere in radians of arc;
 * - legacy `$near: [x, y]` (and $geoNear with a legacy pair and `spherical: false`) is a 2d index
 *   query: flat Euclidean distance in coordinate units.
 * Documents without a usable location at the field are left out, as a geo index would leave them out.
 * A document holding several locations is placed by its nearest one; on the sphere a stored line or
 * polygon is placed by its nearest point (distance 0 for a query point inside a polygon).
 */
import type { Document } from 'bson';
import { badValue, GEO_ERROR_CODES, GeoError, typeMismatch } from './errors';
import { geometryDistanceRadians, storedGeometries } from './geometry';
import {
  asNumber,
  describe,
  isGeoJsonObject,
  isPlainObject,
  legacyPair,
  parseGeoJsonPointOperand,
  parseLegacyPairOperand,
  pointsAtPath,
  valuesAtPath,
  type StoredPoint,
} from './points';
import { EARTH_RADIUS_METRES, haversineMetres, haversineRadians, isValidLngLat, planarDistance, type Point } from './sphere';

export interface NearQuery {
  field: string;
  point: [number, number];
  /** Measure on the sphere (metres, or radians when `inRadians`) rather than on the plane. */
  spherical: boolean;
  minDistance?: number;
  maxDistance?: number;
  /** Legacy $nearSphere: distances and bounds in radians of arc instead of metres. */
  inRadians?: boolean;
}

const NEAR_OPERATORS = ['$near', '$nearSphere'] as const;

/** Finds a $near / $nearSphere clause in a find filter (top level, or inside a top-level $and), returns it and the filter without it. */
export function extractNear(filter: Document): { near: NearQuery | null; rest: Document } {
  const found: NearQuery[] = [];
  const rest = withoutNear(filter ?? {}, found, true);
  if (found.length > 1) throw badValue('Too many geoNear expressions');
  if (containsNearOperator(rest)) throw badValue('geoNear must be top-level expr');
  return { near: found[0] ?? null, rest };
}

function withoutNear(filter: Document, found: NearQuery[], allowAnd: boolean): Document {
  const rest: Document = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && allowAnd && Array.isArray(value)) {
      const clauses = value.map((clause) => (isPlainObject(clause) ? withoutNear(clause, found, false) : clause));
      const kept = clauses.filter((clause) => !isPlainObject(clause) || Object.keys(clause).length > 0);
      if (kept.length > 0) rest.$and = kept;
    } else if (!key.startsWith('$') && isPlainObject(value) && NEAR_OPERATORS.some((op) => op in value)) {
      found.push(parseNearClause(key, value));
    } else {
      rest[key] = value;
    }
  }
  return rest;
}

function containsNearOperator(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsNearOperator);
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([key, inner]) => NEAR_OPERATORS.some((op) => op === key) || containsNearOperator(inner));
}

/**
 * One field's near clause, parsed as mongod's GeoNearExpression does: first the legacy form
 * `{ $near|$nearSphere: <pair or GeoJSON point>, $minDistance?, $maxDistance? }`, then the GeoJSON form
 * `{ $near|$nearSphere: { $geometry, $minDistance?, $maxDistance? } }`, which takes no siblings.
 */
function parseNearClause(field: string, clause: Document): NearQuery {
  return parseLegacyNearClause(field, clause) ?? parseGeoJsonNearClause(field, clause);
}

/** Location codes mongod gives the bounds of each form (uassert ids in expression_geo.cpp). */
const LEGACY_BOUND_CODES = { $minDistance: [16893, 16894], $maxDistance: [16895, 16896] } as const;
const GEOJSON_BOUND_CODES = { $minDistance: [16897, 16898], $maxDistance: [16899, 16900] } as const;
type BoundName = keyof typeof LEGACY_BOUND_CODES;

function isBoundName(key: string): key is BoundName {
  return key === '$minDistance' || key === '$maxDistance';
}

function parseLegacyNearClause(field: string, clause: Document): NearQuery | undefined {
  let centre: { point: Point; geoJson: boolean; maxDistance?: number } | undefined;
  let operator = '$near';
  const bounds: Pick<NearQuery, 'minDistance' | 'maxDistance'> = {};
  for (const [key, value] of Object.entries(clause)) {
    if (key === '$near' || key === '$nearSphere') {
      centre = legacyCentre(value);
      if (!centre) return undefined;
      operator = key;
    } else if (isBoundName(key)) {
      bounds[key === '$minDistance' ? 'minDistance' : 'maxDistance'] = parseBound(value, key, LEGACY_BOUND_CODES[key]);
    } else if (key !== '$uniqueDocs') {
      throw new GeoError(GEO_ERROR_CODES.NEAR_INVALID_ARGUMENT, `invalid argument in geo near query: ${key}`);
    }
  }
  if (!centre) return undefined;
  const maxDistance = bounds.maxDistance ?? centre.maxDistance;
  const query: NearQuery = { field, point: centre.point, spherical: centre.geoJson, ...bounds, ...(maxDistance === undefined ? {} : { maxDistance }) };
  if (operator === '$near') return query;
  if (!isValidLngLat(centre.point)) {
    throw new GeoError(GEO_ERROR_CODES.NEAR_SPHERE_OUT_OF_BOUNDS, 'Legacy point is out of bounds for spherical query');
  }
  return centre.geoJson ? query : { ...query, spherical: true, inRadians: true };
}

/** A legacy near centre: `[x, y]`, `{x, y}`, `[x, y, maxDistance]`, or a bare GeoJSON Point (measured in metres). */
function legacyCentre(value: unknown): { point: Point; geoJson: boolean; maxDistance?: number } | undefined {
  if (isGeoJsonObject(value)) {
    const point = value.type === 'Point' && Array.isArray(value.coordinates) && value.coordinates.length === 2 ? legacyPair(value.coordinates) : undefined;
    return point && isValidLngLat(point) ? { point, geoJson: true } : undefined;
  }
  const items = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
  const numbers = items.map(asNumber);
  if ((items.length !== 2 && items.length !== 3) || numbers.some((n) => n === undefined || !Number.isFinite(n))) return undefined;
  const [x, y, maxDistance] = numbers as number[];
  if (maxDistance !== undefined && maxDistance < 0) {
    throw new GeoError(GEO_ERROR_CODES.NEAR_MAX_DISTANCE_NEGATIVE, 'max distance must be non-negative');
  }
  return { point: [x, y], geoJson: false, ...(maxDistance === undefined ? {} : { maxDistance }) };
}

function parseGeoJsonNearClause(field: string, clause: Document): NearQuery {
  const [entry, ...extra] = Object.entries(clause);
  if (!entry) throw badValue('empty geo near query object');
  if (extra.length > 0) {
    throw badValue(`geo near accepts just one argument when querying for a GeoJSON point. Extra field found: ${extra[0][0]}: ${describe(extra[0][1])}`);
  }
  const [operator, argument] = entry;
  if (!isPlainObject(argument)) throw badValue('geo near query argument is not an object');
  if (operator !== '$near' && operator !== '$nearSphere') throw badValue(`invalid geo near query operator: ${operator}`);
  let point: Point | undefined;
  const bounds: Pick<NearQuery, 'minDistance' | 'maxDistance'> = {};
  for (const [key, value] of Object.entries(argument)) {
    if (key === '$geometry') {
      point = geometryCentre(value);
    } else if (isBoundName(key)) {
      bounds[key === '$minDistance' ? 'minDistance' : 'maxDistance'] = parseBound(value, key, GEOJSON_BOUND_CODES[key]);
    } else {
      throw badValue(`invalid argument in geo near query: ${key}`);
    }
  }
  if (!point) throw badValue('$geometry is required for geo near query');
  return { field, point, spherical: true, ...bounds };
}

function geometryCentre(geometry: unknown): Point {
  if (Array.isArray(geometry) || (isPlainObject(geometry) && !isGeoJsonObject(geometry))) {
    throw new GeoError(GEO_ERROR_CODES.NEAR_REQUIRES_GEOJSON, `$near requires geojson point, given ${describe(geometry)}`);
  }
  return parseGeoJsonPointOperand(geometry, 'invalid point in geo near query $geometry argument');
}

function parseBound(value: unknown, name: BoundName, [notNumber, negative]: readonly [number, number]): number {
  const distance = asNumber(value);
  if (distance === undefined) throw new GeoError(notNumber, `${name} must be a number`);
  if (!(distance >= 0)) throw new GeoError(negative, `${name} must be non-negative`);
  return distance;
}

/** A $geoNear option that must be a non-negative number when present (TypeMismatch / BadValue otherwise). */
function parseDistance(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const distance = asNumber(value);
  if (distance === undefined) throw typeMismatch(`${name} must be a number`);
  if (!(distance >= 0)) throw badValue(`${name} must be nonnegative`);
  return distance;
}

/** How far a stored point is from the query point, in the query's units; undefined if it cannot be placed. */
export function distanceFrom(near: Pick<NearQuery, 'point' | 'spherical' | 'inRadians'>, point: Point): number | undefined {
  if (!near.spherical) return planarDistance(near.point, point);
  if (!isValidLngLat(point)) return undefined;
  return near.inRadians ? haversineRadians(near.point, point) : haversineMetres(near.point, point);
}

/** How far a document is, and the stored value that is nearest. */
interface Nearest {
  distance: number;
  location: { source: unknown };
}

interface Placed<T> extends Nearest {
  doc: T;
}

/** Each document's nearest stored point within the bounds, nearest first (ties keep input order). */
function placeDocuments<T extends Document>(docs: T[], near: NearQuery): Array<Placed<T>> {
  const placed: Array<Placed<T>> = [];
  for (const doc of docs) {
    const nearest = near.spherical ? nearestGeometry(doc, near) : nearestPoint(pointsAtPath(doc, near.field), near);
    if (!nearest) continue;
    if (near.minDistance !== undefined && nearest.distance < near.minDistance) continue;
    if (near.maxDistance !== undefined && nearest.distance > near.maxDistance) continue;
    placed.push({ doc, ...nearest });
  }
  return placed.sort((a, b) => a.distance - b.distance);
}

/** On a plane (a 2d index) only points have a place. */
function nearestPoint(points: StoredPoint[], near: NearQuery): Nearest | undefined {
  let best: Nearest | undefined;
  for (const location of points) {
    const distance = distanceFrom(near, location.point);
    if (distance !== undefined && (!best || distance < best.distance)) best = { distance, location };
  }
  return best;
}

/** On the sphere (a 2dsphere index) lines and polygons have a place too: their nearest point (0 inside a polygon). */
function nearestGeometry(doc: Document, near: NearQuery): Nearest | undefined {
  let best: Nearest | undefined;
  for (const geometry of valuesAtPath(doc, near.field).flatMap(storedGeometries)) {
    const radians = geometryDistanceRadians(geometry, near.point);
    if (radians === undefined) continue;
    const distance = near.inRadians ? radians : radians * EARTH_RADIUS_METRES;
    if (!best || distance < best.distance) best = { distance, location: { source: geometry.source } };
  }
  return best;
}

/** Keeps docs within min/max distance of near.point and orders them nearest first. */
export function applyNear<T extends Document>(docs: T[], near: NearQuery): Array<{ doc: T; distance: number }> {
  return placeDocuments(docs, near).map(({ doc, distance }) => ({ doc, distance }));
}

/** Options of a $geoNear stage, validated. */
interface GeoNearSpec {
  near: NearQuery;
  distanceField: string;
  distanceMultiplier: number;
  query?: Document;
  includeLocs?: string;
}

/** The $geoNear aggregation stage over a collection's docs. key = the geo field (chosen by the caller). matches(query, doc) evaluates an ordinary filter. */
export function geoNearStage(
  docs: Document[],
  spec: Document,
  key: string,
  matches: (query: Document, doc: Document) => boolean,
): Document[] {
  const options = parseGeoNearSpec(spec, key);
  const candidates = options.query ? docs.filter((doc) => matches(options.query as Document, doc)) : docs;
  return placeDocuments(candidates, options.near).map(({ doc, distance, location }) => {
    const withDistance = setPath(doc, options.distanceField, distance * options.distanceMultiplier);
    return options.includeLocs ? setPath(withDistance, options.includeLocs, location.source) : withDistance;
  });
}

function parseGeoNearSpec(spec: Document, key: string): GeoNearSpec {
  if (!isPlainObject(spec)) throw new GeoError(GEO_ERROR_CODES.TYPE_MISMATCH, '$geoNear argument must be an object');
  rejectRemovedOptions(spec);
  if (spec.near === undefined) throw new GeoError(GEO_ERROR_CODES.GEO_NEAR_NEAR_MISSING, "$geoNear requires a 'near' argument");
  if (typeof spec.distanceField !== 'string' || spec.distanceField === '') {
    throw new GeoError(GEO_ERROR_CODES.GEO_NEAR_DISTANCE_FIELD, "$geoNear requires a 'distanceField' option as a String");
  }
  if (spec.includeLocs !== undefined && typeof spec.includeLocs !== 'string') {
    throw new GeoError(GEO_ERROR_CODES.GEO_NEAR_INCLUDE_LOCS, "$geoNear requires that 'includeLocs' option is a String");
  }
  if (spec.query !== undefined && !isPlainObject(spec.query)) throw typeMismatch('query must be an object');
  if (spec.key !== undefined && typeof spec.key !== 'string') {
    throw typeMismatch(`$geoNear parameter 'key' must be of type string but found type: ${typeof spec.key}`);
  }
  if (spec.key === '') throw badValue("$geoNear parameter 'key' cannot be the empty string");
  const distanceMultiplier = parseDistance(spec.distanceMultiplier, 'distanceMultiplier') ?? 1;
  const bounds = {
    ...optional('minDistance', parseDistance(spec.minDistance, 'minDistance')),
    ...optional('maxDistance', parseDistance(spec.maxDistance, 'maxDistance')),
  };
  return {
    near: { ...parseGeoNearPoint(spec.near, Boolean(spec.spherical)), field: key, ...bounds },
    distanceField: spec.distanceField,
    distanceMultiplier,
    query: spec.query,
    includeLocs: spec.includeLocs,
  };
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

function rejectRemovedOptions(spec: Document): void {
  if ('limit' in spec) {
    throw new GeoError(GEO_ERROR_CODES.GEO_NEAR_LIMIT_REMOVED, "$geoNear no longer supports the 'limit' parameter. Use a $limit stage instead.");
  }
  if ('num' in spec) {
    throw new GeoError(GEO_ERROR_CODES.GEO_NEAR_NUM_REMOVED, "$geoNear no longer supports the 'num' parameter. Use a $limit stage instead.");
  }
  if ('start' in spec) throw new GeoError(GEO_ERROR_CODES.GEO_NEAR_START_REMOVED, "$geoNear no longer supports the 'start' argument.");
}

/** `near` as GeoJSON (metres on the sphere) or a legacy pair (radians if spherical, else flat). */
function parseGeoNearPoint(near: unknown, spherical: boolean): Omit<NearQuery, 'field'> {
  if (!Array.isArray(near) && !isPlainObject(near)) {
    throw new GeoError(GEO_ERROR_CODES.GEO_NEAR_NEAR_NOT_POINT, '$geoNear requires near argument to be a GeoJSON object or a legacy point(array)');
  }
  if (isGeoJsonObject(near)) {
    return { point: parseGeoJsonPointOperand(near, 'invalid point in geo near query $geometry argument'), spherical: true };
  }
  const point = parseLegacyPairOperand(near, 'invalid point in geo near query');
  if (!spherical) return { point, spherical: false };
  if (!isValidLngLat(point)) throw badValue(`invalid point in geo near query: ${describe(near)}`);
  return { point, spherical: true, inRadians: true };
}

/**
 * A copy of `doc` with `value` at the dotted `path`, copying only the objects along the path so
 * BSON values elsewhere (ObjectId, Date, Decimal128) stay as they are. A non-object on the way is
 * replaced by an object, as MongoDB does when it adds the distance field.
 */
export function setPath(doc: Document, path: string, value: unknown): Document {
  const [head, ...tail] = path.split('.');
  if (tail.length === 0) return { ...doc, [head]: value };
  const child = isPlainObject(doc[head]) ? (doc[head] as Document) : {};
  return { ...doc, [head]: setPath(child, tail.join('.'), value) };
}
