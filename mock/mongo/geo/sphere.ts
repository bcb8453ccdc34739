/**
 * Distance and containment on the sphere and on the plane.
 * A point is `[x, y]`: for geographic data x is longitude and y latitude, in degrees (GeoJSON order).
 */
export type Point = [number, number];
export type Vec3 = [number, number, number];

/** The earth radius MongoDB's 2dsphere code uses (kRadiusOfEarthInMeters), so metre distances match mongod's. */
export const EARTH_RADIUS_METRES = 6378100;

/** Angles below this count as zero: about 0.6 mm on the earth, far below what coordinates in degrees carry. */
const ON_ARC_TOLERANCE_RADIANS = 1e-10;
/** Flat distances below this count as zero (coordinates are usually degrees, so this is sub-millimetre). */
const FLAT_TOLERANCE = 1e-9;

export function toRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

export function isValidLngLat([lng, lat]: Point): boolean {
  return Number.isFinite(lng) && Number.isFinite(lat) && Math.abs(lng) <= 180 && Math.abs(lat) <= 90;
}

/** Great-circle angle between two lng/lat points in radians (haversine formula, stable for short distances). */
export function haversineRadians(a: Point, b: Point): number {
  const lat1 = toRadians(a[1]);
  const lat2 = toRadians(b[1]);
  const sinHalfDLat = Math.sin((lat2 - lat1) / 2);
  const sinHalfDLng = Math.sin(toRadians(b[0] - a[0]) / 2);
  const h = sinHalfDLat * sinHalfDLat + Math.cos(lat1) * Math.cos(lat2) * sinHalfDLng * sinHalfDLng;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Great-circle distance in metres on MongoDB's earth sphere. */
export function haversineMetres(a: Point, b: Point): number {
  return haversineRadians(a, b) * EARTH_RADIUS_METRES;
}

/** Euclidean distance in coordinate units, what a 2d index measures. */
export function planarDistance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Is `p` inside (or on) the closed flat polygon `ring`? The ring may be open or closed. */
export function planarPolygonContains(ring: Point[], p: Point): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j];
    const b = ring[i];
    if (onPlanarSegment(a, b, p)) return true;
    const crosses = a[1] > p[1] !== b[1] > p[1];
    if (crosses && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

function onPlanarSegment(a: Point, b: Point, p: Point): boolean {
  const length = planarDistance(a, b);
  if (length === 0) return planarDistance(a, p) <= FLAT_TOLERANCE;
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  if (Math.abs(cross) / length > FLAT_TOLERANCE) return false;
  const along = (p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1]);
  return along >= -FLAT_TOLERANCE * length && along <= length * length + FLAT_TOLERANCE * length;
}

export function toVector([lng, lat]: Point): Vec3 {
  const phi = toRadians(lat);
  const lambda = toRadians(lng);
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)];
}

function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function norm(a: Vec3): number {
  return Math.sqrt(dot(a, a));
}

/** Is unit vector `p` on the shorter great-circle arc from `a` to `b`? */
export function onGreatCircleArc(a: Vec3, b: Vec3, p: Vec3): boolean {
  if (norm(cross(a, p)) <= ON_ARC_TOLERANCE_RADIANS && dot(a, p) > 0) return true;
  if (norm(cross(b, p)) <= ON_ARC_TOLERANCE_RADIANS && dot(b, p) > 0) return true;
  const normal = cross(a, b);
  const length = norm(normal);
  if (length === 0) return false;
  if (Math.abs(dot(p, normal)) / length > ON_ARC_TOLERANCE_RADIANS) return false;
  return dot(cross(a, p), normal) >= 0 && dot(cross(p, b), normal) >= 0;
}

/** Are two lng/lat points the same place (within rounding)? */
export function sphericalPointsCoincide(a: Point, b: Point): boolean {
  return haversineRadians(a, b) <= ON_ARC_TOLERANCE_RADIANS;
}

/** Tests against a path of great-circle arcs, its vertices turned into vectors once for all documents. */
export interface SphericalRing {
  /** The ring's edges as unit vectors, the closing edge included. */
  readonly edges: ReadonlyArray<readonly [Vec3, Vec3]>;
  /** Is the point on an edge (GeoJSON edges on a 2dsphere are great-circle arcs)? */
  onBoundary(p: Point): boolean;
  /** Is the point strictly inside? */
  containsInterior(p: Point): boolean;
}

/**
 * A closed ring (given without its closing vertex).
 * Inside means the signed angles the edges subtend at the point sum to ±2π (0 outside). That sum
 * cannot tell a point inside from its antipode, so the point must also face the ring's vertex
 * centroid: MongoDB takes a GeoJSON polygon as the region smaller than a hemisphere, and for such
 * rings that holds.
 */
export function sphericalRing(ring: Point[]): SphericalRing {
  const vertices = ring.map(toVector);
  const edges = vertices.map((a, i) => [a, vertices[(i + 1) % vertices.length]] as const);
  const sum = vertices.reduce<Vec3>((total, v) => [total[0] + v[0], total[1] + v[1], total[2] + v[2]], [0, 0, 0]);
  const centroid: Vec3 = [sum[0] / norm(sum), sum[1] / norm(sum), sum[2] / norm(sum)];
  const mayContain = boundingCap(centroid, vertices);
  return {
    edges,
    onBoundary(p) {
      const target = toVector(p);
      return mayContain(target) && edges.some(([a, b]) => onGreatCircleArc(a, b, target));
    },
    containsInterior(p) {
      const target = toVector(p);
      if (dot(centroid, target) <= 0 || !mayContain(target)) return false;
      let winding = 0;
      for (const [a, b] of edges) {
        winding += Math.atan2(dot(target, cross(a, b)), dot(a, b) - dot(target, a) * dot(target, b));
      }
      return Math.abs(winding) > Math.PI;
    },
  };
}

/**
 * A quick rejection for points far from the ring. A cap narrower than a hemisphere is convex, so when
 * it holds every vertex it holds every edge and the region they enclose.
 */
function boundingCap(centre: Vec3, vertices: Vec3[]): (target: Vec3) => boolean {
  const minCos = Math.min(...vertices.map((v) => dot(centre, v)));
  if (!(minCos > 0)) return () => true;
  const threshold = Math.cos(Math.acos(Math.min(1, minCos)) + ON_ARC_TOLERANCE_RADIANS);
  return (target) => dot(centre, target) >= threshold;
}

/** Is `p` within `radians` of `center` along the sphere (boundary included, as S2Cap does)? */
export function sphericalCapContains(center: Point, radians: number, p: Point): boolean {
  return haversineRadians(center, p) <= radians;
}

function scaled(v: Vec3, k: number): Vec3 {
  return [v[0] * k, v[1] * k, v[2] * k];
}

function sameDirection(a: Vec3, b: Vec3): boolean {
  return norm(cross(a, b)) <= ON_ARC_TOLERANCE_RADIANS && dot(a, b) > 0;
}

/** Where the shorter great-circle arcs a–b and c–d meet at one point other than their ends, if they do. */
function crossingPoint(a: Vec3, b: Vec3, c: Vec3, d: Vec3): Vec3 | undefined {
  const line = cross(cross(a, b), cross(c, d));
  const length = norm(line);
  if (length <= ON_ARC_TOLERANCE_RADIANS) return undefined;
  const unit = scaled(line, 1 / length);
  return [unit, scaled(unit, -1)].find((p) => onGreatCircleArc(a, b, p) && onGreatCircleArc(c, d, p));
}

/** Do the arcs a–b and c–d share a point (an end on the other arc counts)? */
export function arcsIntersect(a: Vec3, b: Vec3, c: Vec3, d: Vec3): boolean {
  if (onGreatCircleArc(a, b, c) || onGreatCircleArc(a, b, d) || onGreatCircleArc(c, d, a) || onGreatCircleArc(c, d, b)) return true;
  return crossingPoint(a, b, c, d) !== undefined;
}

/** Do the arcs cross at a point inside both (not merely touching at an end)? */
export function arcsCrossProperly(a: Vec3, b: Vec3, c: Vec3, d: Vec3): boolean {
  const p = crossingPoint(a, b, c, d);
  return p !== undefined && ![a, b, c, d].some((end) => sameDirection(end, p));
}

function angleBetween(a: Vec3, b: Vec3): number {
  return Math.atan2(norm(cross(a, b)), dot(a, b));
}

/** The angle in radians from `p` to the nearest point of the shorter great-circle arc a–b. */
export function arcDistanceRadians(a: Vec3, b: Vec3, p: Vec3): number {
  const normal = cross(a, b);
  const length = norm(normal);
  const toEnds = Math.min(angleBetween(a, p), angleBetween(b, p));
  if (length === 0) return toEnds;
  const n = scaled(normal, 1 / length);
  const offPlane = dot(p, n);
  const foot: Vec3 = [p[0] - offPlane * n[0], p[1] - offPlane * n[1], p[2] - offPlane * n[2]];
  const footLength = norm(foot);
  if (footLength === 0) return toEnds;
  const onCircle = scaled(foot, 1 / footLength);
  return onGreatCircleArc(a, b, onCircle) ? angleBetween(p, onCircle) : toEnds;
}
