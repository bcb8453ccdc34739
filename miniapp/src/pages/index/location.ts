import Taro from '@tarojs/taro';
import { wgs84ToGcj02 } from '@shared/geo';

/**
 * The visitor's position as `[lng, lat]` GCJ-02 (the datum the business search expects), but only
 * when they have already allowed it: the home page never pops the permission prompt (the 附近
 * tab asks, when someone chooses it). null when not allowed, not yet asked, or it fails.
 */
export async function alreadyGrantedLocation(): Promise<[number, number] | null> {
  try {
    if (process.env.TARO_ENV === 'weapp') {
      const { authSetting } = await Taro.getSetting();
      if (authSetting['scope.userLocation'] !== true) return null;
      const { longitude, latitude } = await Taro.getLocation({ type: 'gcj02' });
      return [longitude, latitude];
    }
    // A browser's geolocation is WGS-84 (Taro's H5 getLocation supports nothing else).
    if (typeof navigator === 'undefined' || !navigator.permissions) return null;
    const permission = await navigator.permissions.query({ name: 'geolocation' });
    if (permission.state !== 'granted') return null;
    const { longitude, latitude } = await Taro.getLocation({ type: 'wgs84' });
    return wgs84ToGcj02([longitude, latitude]);
  } catch {
    return null;
  }
}
