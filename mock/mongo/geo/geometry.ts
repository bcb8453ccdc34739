/**
 * GeoJSON geometries as the 2dsphere predicates see them: broken into points, lines (chains of
 * great-circle arcs) and polygons (a shell and holes), with containment and intersection
 * between parts, as mongod's GeometryContainer answers them on the sphere:
 *  - a region contains a geometry when it contains every part of it: every vertex inside or on
 *    the boundary, and no edge crossing the region's boundary;
 *  - two geometries intersect when any part of one touches any part of the other (boundaries
 *    included).
 */
import type { Document } from 'bson';
import { isGeoJsonObject, legacyPair } from './points';
import {
  arcDistanceRadians,
  arcsCrossProperly,
  arcsIntersect,
  haversineRadians,
  isValidLngLat,
  onGreatCircleArc,
  sphericalPointsCoincide,
  sphericalRing,
  toVector,
  type Point,
  type SphericalRing,
  type Vec3,
} from './sphere';

export interface PointPart {
  kind: 'point';
  point: Point;
}

export interface LinePart {
  kind: 'line';
  points: Point[];
  edges: Array<readonly [Vec3, Vec3]>;
}

export interface PolygonPart {
  kind: 'polygon';
  /** Open rings (no closing vertex), shell first. */
  vertices: Point[][];
  rings: SphericalRing[];
}

export type Part = PointPart | LinePart | PolygonPart;

/** A stored geometry: its parts, and its point when it is one point (all a flat 2d shape can contain). */
export interface Geometry {
  parts: Part[];
  singlePoint?: Point;
  /** The stored value it was read from (what $geoNear's includeLocs returns). */
  source: unknown;
}

export function linePart(points: Point[]): LinePart {
  const vectors = points.map(toVector);
  return { kind: 'line', points, edges: vectors.slice(1).map((b, i) => [vectors[i], b] as const) };
}

export function polygonPart(rings: Point[][]): PolygonPart {
  return { kind: 'polygon', vertices: rings, rings: rings.map(sphericalRing) };
}

// Reading stored values. A value that is not valid GeoJSON (or a legacy pair) is no geometry: it never matches.

function position(value: unknown): Point | undefined {
  if (!Array.isArray(value) || value.length < 2) return undefined;
  const point = legacyPair(value);
  return point && isValidLngLat(point) ? point : undefined;
}

function positions(value: unknown, minimum: number): Point[] | undefined {
  if (!Array.isArray(value) || value.length < minimum) return undefined;
  const points = value.map(position);
  return points.every((p): p is Point => p !== undefined) ? points : undefined;
}

function storedRing(value: unknown): Point[] | undefined {
  const points = positions(value, 4);
  if (!points) return undefined;
  const [first, last] = [points[0], points[points.length - 1]];
  return first[0] === last[0] && first[1] === last[1] ? points.slice(0, -1) : undefined;
}

function storedPolygon(coordinates: unknown): PolygonPart | undefined {
  if (!Array.isArray(coordinates) || coordinates.length === 0) return undefined;
  const rings = coordinates.map(storedRing);
  return rings.every((r): r is Point[] => r !== undefined) ? polygonPart(rings) : undefined;
}

function allOrNothing<T>(items: unknown, read: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(items) || items.length === 0) return undefined;
  const parsed = items.map(read);
  return parsed.every((p): p is T => p !== undefined) ? parsed : undefined;
}

/** The parts of a stored GeoJSON object, or undefined when it is malformed. */
function geoJsonParts(value: Document): Part[] | undefined {
  const { coordinates } = value;
  switch (value.type) {
    case 'Point': {
      const point = Array.isArray(coordinates) && coordinates.length === 2 ? position(coordinates) : undefined;
      return point && [{ kind: 'point', point }];
    }
    case 'MultiPoint':
      return allOrNothing(coordinates, position)?.map((point): Part => ({ kind: 'point', point }));
    case 'LineString': {
      const points = positions(coordinates, 2);
      return points && [linePart(points)];
    }
    case 'MultiLineString':
      return allOrNothing(coordinates, (line) => positions(line, 2))?.map(linePart);
    case 'Polygon': {
      const polygon = storedPolygon(coordinates);
      return polygon && [polygon];
    }
    case 'MultiPolygon':
      return allOrNothing(coordinates, storedPolygon);
    case 'GeometryCollection':
      return allOrNothing(value.geometries, (g) => (isGeoJsonObject(g) ? geoJsonParts(g) : undefined))?.flat();
  }
  return undefined;
}

function storedGeometry(value: unknown): Geometry | undefined {
  if (isGeoJsonObject(value)) {
    const parts = geoJsonParts(value);
    if (!parts) return undefined;
    return value.type === 'Point' ? { parts, singlePoint: (parts[0] as PointPart).point, source: value } : { parts, source: value };
  }
  const pair = legacyPair(value);
  if (!pair || !Number.isFinite(pair[0]) || !Number.isFinite(pair[1])) return undefined;
  return { parts: isValidLngLat(pair) ? [{ kind: 'point', point: pair }] : [], singlePoint: pair, source: value };
}

/**
 * The geometries a field value holds: one, or one per element of an array (possibly nested), as
 * a 2dsphere index and a geo query treat an array of locations: any one of them may match.
 */
export function storedGeometries(value: unknown): Geometry[] {
  const single = storedGeometry(value);
  if (single) return [single];
  return Array.isArray(value) ? value.flatMap(storedGeometries) : [];
}

// Containment and intersection.

/** On any ring, or inside the shell and not strictly inside a hole. */
export function polygonContainsPoint(polygon: PolygonPart, point: Point): boolean {
  if (!isValidLngLat(point)) return false;
  if (polygon.rings.some((ring) => ring.onBoundary(point))) return true;
  const [shell, ...holes] = polygon.rings;
  return shell.containsInterior(point) && !holes.some((hole) => hole.containsInterior(point));
}

function crossesBoundary(polygon: PolygonPart, edges: ReadonlyArray<readonly [Vec3, Vec3]>): boolean {
  return edges.some(([a, b]) => polygon.rings.some((ring) => ring.edges.some(([c, d]) => arcsCrossProperly(a, b, c, d))));
}

export function polygonContainsLine(polygon: PolygonPart, line: LinePart): boolean {
  return line.points.every((p) => polygonContainsPoint(polygon, p)) && !crossesBoundary(polygon, line.edges);
}

/** The inner shell lies inside `outer`, and no hole of `outer` lies inside the inner shell. */
export function polygonContainsPolygon(outer: PolygonPart, inner: PolygonPart): boolean {
  const shell = inner.vertices[0];
  if (!shell.every((p) => polygonContainsPoint(outer, p)) || crossesBoundary(outer, inner.rings[0].edges)) return false;
  return outer.vertices.slice(1).every((hole) => !hole.some((v) => inner.rings[0].containsInterior(v)));
}

function lineTouchesPoint(line: LinePart, point: Point): boolean {
  const target = toVector(point);
  return line.edges.some(([a, b]) => onGreatCircleArc(a, b, target));
}

function edgesMeet(first: ReadonlyArray<readonly [Vec3, Vec3]>, second: ReadonlyArray<readonly [Vec3, Vec3]>): boolean {
  return first.some(([a, b]) => second.some(([c, d]) => arcsIntersect(a, b, c, d)));
}

function ringEdges(polygon: PolygonPart): Array<readonly [Vec3, Vec3]> {
  return polygon.rings.flatMap((ring) => [...ring.edges]);
}

function polygonsIntersect(a: PolygonPart, b: PolygonPart): boolean {
  return (
    a.vertices[0].some((p) => polygonContainsPoint(b, p)) ||
    b.vertices[0].some((p) => polygonContainsPoint(a, p)) ||
    edgesMeet(ringEdges(a), ringEdges(b))
  );
}

/** Do two parts share at least one point? */
export function partsIntersect(a: Part, b: Part): boolean {
  if (a.kind === 'point') {
    if (b.kind === 'point') return sphericalPointsCoincide(a.point, b.point);
    if (b.kind === 'line') return lineTouchesPoint(b, a.point);
    return polygonContainsPoint(b, a.point);
  }
  if (b.kind === 'point') return partsIntersect(b, a);
  if (a.kind === 'line') {
    if (b.kind === 'line') return edgesMeet(a.edges, b.edges);
    return a.points.some((p) => polygonContainsPoint(b, p)) || edgesMeet(a.edges, ringEdges(b));
  }
  if (b.kind === 'line') return partsIntersect(b, a);
  return polygonsIntersect(a, b);
}

function edgesDistance(edges: ReadonlyArray<readonly [Vec3, Vec3]>, target: Vec3): number {
  return Math.min(...edges.map(([a, b]) => arcDistanceRadians(a, b, target)));
}

function partDistanceRadians(part: Part, point: Point): number {
  if (part.kind === 'point') return haversineRadians(part.point, point);
  const target = toVector(point);
  if (part.kind === 'line') return edgesDistance(part.edges, target);
  return polygonContainsPoint(part, point) ? 0 : edgesDistance(ringEdges(part), target);
}

/** The angle in radians from `point` to the nearest point of a geometry (0 inside a polygon), as $near measures on a 2dsphere. */
export function geometryDistanceRadians(geometry: Geometry, point: Point): number | undefined {
  if (geometry.parts.length === 0) return undefined;
  return Math.min(...geometry.parts.map((part) => partDistanceRadians(part, point)));
}
