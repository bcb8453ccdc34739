import { wgs84ToGcj02 } from '@shared/geo';
import { JINAN_DISTRICT_AREAS, distanceKm } from '@mock/data';

describe('demo locations are GCJ-02, the datum China’s maps and the business model use', () => {
  test('the WGS-84 → GCJ-02 shift matches the published reference values', () => {
    const [lng, lat] = wgs84ToGcj02([116.404, 39.915]);
    expect(lng).toBeCloseTo(116.41024449916938, 10);
    expect(lat).toBeCloseTo(39.91640428150164, 10);
  });

  test('a district centre looked up in WGS-84 is stored shifted by about half a kilometre', () => {
    const lixia = JINAN_DISTRICT_AREAS.find((a) => a.code === '370102')!;
    expect(lixia.center).toEqual([117.091116, 36.655438]);
    const shift = distanceKm([117.085, 36.655], lixia.center);
    expect(shift).toBeGreaterThan(0.5);
    expect(shift).toBeLessThan(0.6);
  });
});
