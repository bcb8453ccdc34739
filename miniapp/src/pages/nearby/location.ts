import Taro from '@tarojs/taro';
import { HOME_CITY, wgs84ToGcj02 } from '@shared/geo';

/** Where the nearby search is centred: `[lng, lat]` GCJ-02, and whether it is the visitor or the city centre. */
export type SearchPoint =
  | { source: 'device'; point: [number, number] }
  | { source: 'city'; point: [number, number]; reason: 'denied' | 'unavailable' };

/** What a refusal says: WeChat's `getLocation:fail auth deny`, a browser's `User denied Geolocation`. */
function wasDenied(error: unknown): boolean {
  const message = String((error as { errMsg?: string; message?: string })?.errMsg ?? (error as Error)?.message ?? error);
  return /den(y|ied)|auth|permission/i.test(message);
}

/**
 * The visitor's position in GCJ-02, the datum the platform stores and WeChat's map draws in.
 * WeChat returns GCJ-02 when asked (`type: 'gcj02'`); a browser's geolocation is WGS-84 (Taro's
 * H5 getLocation accepts only `wgs84`), converted here before anything is sent. When the
 * position cannot be had (refused, no GPS, timeout) the city centre stands in, and says why.
 */
export async function locateVisitor(): Promise<SearchPoint> {
  try {
    if (process.env.TARO_ENV === 'h5') {
      const { longitude, latitude } = await Taro.getLocation({ type: 'wgs84', highAccuracyExpireTime: 10_000 });
      return { source: 'device', point: wgs84ToGcj02([longitude, latitude]) };
    }
    const { longitude, latitude } = await Taro.getLocation({ type: 'gcj02' });
    return { source: 'device', point: [longitude, latitude] };
  } catch (error) {
    return { source: 'city', point: [...HOME_CITY.centre], reason: wasDenied(error) ? 'denied' : 'unavailable' };
  }
}
