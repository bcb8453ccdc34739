/**
 * Geospatial queries for the embedded MongoDB: $near/$nearSphere (extractNear + applyNear),
 * $geoWithin/$geoIntersects (mingo query operators) and the $geoNear stage.
 * Semantics and choices are documented in geo/near.ts, geo/shapes.ts and geo/geometry.ts.
 */
export { GeoError, GEO_ERROR_CODES } from './geo/errors';
export { extractNear, applyNear, geoNearStage, distanceFrom, setPath, type NearQuery } from './geo/near';
export { geoWithin, geoIntersects, parseWithinOperand, parseIntersectsOperand, type Region } from './geo/shapes';
export { pointsAtPath, storedPoints, storedPoint, valuesAtPath, type StoredPoint } from './geo/points';
export {
  EARTH_RADIUS_METRES,
  haversineMetres,
  haversineRadians,
  planarDistance,
  isValidLngLat,
  toRadians,
  type Point,
} from './geo/sphere';
