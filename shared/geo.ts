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
