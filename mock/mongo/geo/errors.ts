/** MongoDB error codes the geo code raises (src/mongo/base/error_codes.yml and the uassert ids of $geoNear). */
export const GEO_ERROR_CODES = {
  BAD_VALUE: 2,
  TYPE_MISMATCH: 14,
  GEO_NEAR_NEAR_MISSING: 5860400,
  GEO_NEAR_NEAR_NOT_POINT: 5860401,
  GEO_NEAR_DISTANCE_FIELD: 16606,
  GEO_NEAR_INCLUDE_LOCS: 16607,
  GEO_NEAR_START_REMOVED: 50856,
  GEO_NEAR_NUM_REMOVED: 50857,
  GEO_NEAR_LIMIT_REMOVED: 50858,
  NEAR_INVALID_ARGUMENT: 34413,
  NEAR_SPHERE_OUT_OF_BOUNDS: 17444,
  NEAR_MAX_DISTANCE_NEGATIVE: 18522,
  NEAR_REQUIRES_GEOJSON: 16681,
} as const;

const CODE_NAMES: Record<number, string> = { 2: 'BadValue', 14: 'TypeMismatch' };

/** A geo query MongoDB would reject; the core answers it as a command error with this code and message. */
export class GeoError extends Error {
  code: number;
  codeName: string;

  constructor(code: number, message: string) {
    super(message);
    this.name = 'GeoError';
    this.code = code;
    // Numbered uassert ids have no codeName in MongoDB's replies; it sends `Location<code>`.
    this.codeName = CODE_NAMES[code] ?? `Location${code}`;
  }
}

export function badValue(message: string): GeoError {
  return new GeoError(GEO_ERROR_CODES.BAD_VALUE, message);
}

export function typeMismatch(message: string): GeoError {
  return new GeoError(GEO_ERROR_CODES.TYPE_MISMATCH, message);
}
