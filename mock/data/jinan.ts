/**
 * Where demo businesses are placed: one circle per district of 济南, in GCJ-02 like every
 * stored location (see bff/src/models/business.ts). Each centre is the district's main
 * built-up area (its seat), looked up in WGS-84 from public map data, cross-checked against a
 * second public table and converted to GCJ-02 (a shift of about 550 m here); each radius is small
 * enough that the whole circle stays inside the district, so every generated point is a
 * plausible address in the district it claims. `places` are real neighbourhood and township
 * names of the district, used for business names and addresses.
 */
import { wgs84ToGcj02 } from '@shared/geo';

export interface DistrictArea {
  code: string;
  /** [lng, lat] */
  center: readonly [number, number];
  radiusKm: number;
  places: readonly string[];
}

/** The circles as looked up: centres in WGS-84. */
const DISTRICT_AREAS_WGS84: readonly DistrictArea[] = [
  { code: '370102', center: [117.085, 36.655], radiusKm: 2.0, places: ['泉城', '燕山', '甸柳', '文化东', '千佛山', '姚家', '龙洞', '解放', '山大', '和平', '趵突泉', '舜华'] },
  { code: '370103', center: [116.995, 36.64], radiusKm: 2.0, places: ['经七', '英雄山', '舜耕', '四里村', '七里山', '魏家庄', '大观园', '二七', '王官庄', '六里山', '杆石桥'] },
  { code: '370104', center: [116.92, 36.655], radiusKm: 2.5, places: ['段店', '张庄', '道德街', '五里沟', '营市街', '振兴街', '玉清湖', '西客站', '美里湖', '青年公园', '兴福'] },
  { code: '370105', center: [116.995, 36.695], radiusKm: 2.0, places: ['北园', '天桥东街', '堤口', '无影山', '官扎营', '药山', '北坦', '工人新村', '泺口', '纬北'] },
  { code: '370112', center: [117.17, 36.705], radiusKm: 2.5, places: ['王舍人', '唐冶', '董家', '华山', '全福', '鲍山', '荷花', '遥墙', '彩石', '洪家楼', '山大北'] },
  { code: '370113', center: [116.75, 36.555], radiusKm: 3.0, places: ['文昌', '平安', '崮云湖', '大学城', '归德', '张夏', '万德', '孝里', '五峰', '马山'] },
  { code: '370114', center: [117.53, 36.7], radiusKm: 3.0, places: ['明水', '双山', '埠村', '圣井', '龙山', '相公庄', '绣惠', '枣园', '官庄', '普集'] },
  { code: '370115', center: [117.18, 36.98], radiusKm: 2.5, places: ['济阳', '济北', '崔寨', '孙耿', '回河', '太平', '垛石', '曲堤', '新市', '仁风'] },
  { code: '370116', center: [117.675, 36.215], radiusKm: 3.0, places: ['凤城', '张家洼', '高庄', '鹏泉', '口镇', '羊里', '方下', '牛泉', '苗山', '雪野'] },
  { code: '370117', center: [117.815, 36.07], radiusKm: 2.0, places: ['艾山', '里辛', '汶源', '颜庄', '辛庄', '棋山', '钢都'] },
  { code: '370124', center: [116.45, 36.28], radiusKm: 2.0, places: ['榆山', '锦水', '东阿', '玫瑰', '孝直', '孔村', '洪范池', '安城'] },
  { code: '370126', center: [117.157, 37.31], radiusKm: 2.0, places: ['许商', '殷巷', '怀仁', '龙桑寺', '郑路', '贾庄', '玉皇庙', '白桥'] },
];

export const JINAN_DISTRICT_AREAS: readonly DistrictArea[] = DISTRICT_AREAS_WGS84.map((area) => {
  const [lng, lat] = wgs84ToGcj02(area.center);
  return { ...area, center: [round6(lng), round6(lat)] as const };
});

const KM_PER_DEGREE_LAT = 111.32;
const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km between two [lng, lat] points. */
export function distanceKm(a: readonly [number, number], b: readonly [number, number]): number {
  const toRad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = toRad(b[1] - a[1]);
  const dLng = toRad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a[1])) * Math.cos(toRad(b[1])) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

/**
 * A point uniformly distributed in the district's circle (sqrt for uniform area density),
 * kept to 95% of the radius so rounding to 6 decimals can never push it outside.
 */
export function pointInDistrict(area: DistrictArea, u: number, v: number): [number, number] {
  const r = area.radiusKm * 0.95 * Math.sqrt(u);
  const theta = 2 * Math.PI * v;
  const [lng, lat] = area.center;
  const dLat = (r * Math.sin(theta)) / KM_PER_DEGREE_LAT;
  const dLng = (r * Math.cos(theta)) / (KM_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180));
  return [round6(lng + dLng), round6(lat + dLat)];
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
