/**
 * Demo business profiles per industry: a realistic name, the kind of registration it has
 * (credit code prefix, or a platform id for market stalls without one), and which instrument
 * categories it owns in what proportion.
 */
import type { CategoryId, IndustryId } from '@shared/catalogue';
import { surname } from './people';
import type { Rng } from './prng';

/**
 * First two characters of the credit code: 91 enterprise, 92 individual business (个体工商户),
 * 12 public institution (事业单位), 11 government organ (机关); null → market stall with a
 * platform id instead.
 */
export type RegistrationPrefix = '91' | '92' | '12' | '11' | null;

export interface BusinessProfile {
  name: string;
  registration: RegistrationPrefix;
  categories: ReadonlyArray<readonly [CategoryId, number]>;
  /** A market stall: its instruments stand at its stall number. */
  stall?: string;
}

interface Place {
  districtName: string;
  place: string;
}

type ProfileMaker = (rng: Rng, where: Place) => BusinessProfile;

const GOODS = ['蔬菜', '水果', '猪肉', '牛羊肉', '禽蛋', '水产', '粮油', '调料干货', '豆制品', '熟食'] as const;
const DISHES = ['把子肉', '甜沫', '油旋', '鲁菜馆', '水饺馆', '拉面馆', '烧烤', '砂锅', '快餐', '包子铺', '羊汤馆', '海鲜大排档'] as const;
const SHOP_BRANDS = ['惠民', '家和', '乐购', '万家福', '佳佳', '邻里', '泉城', '鲁信', '好又多', '天天'] as const;
const OPTICAL_BRANDS = ['明视', '亮晶晶', '视界', '清晰', '精益', '大光明', '泉城'] as const;
const TAXI_BRANDS = ['鲁能', '泉城', '舜耕', '恒通', '银河', '齐鲁', '大明湖'] as const;
const FUEL_PRIVATE = ['鑫源', '恒通', '宏达', '顺发', '永丰', '华通'] as const;

const SCALES: BusinessProfile['categories'] = [['price_scale', 75], ['platform_scale', 25]];

const market: ProfileMaker = (rng, { districtName, place }) => {
  const marketName = `${place}${rng.pick(['农贸市场', '便民市场', '综合市场'])}`;
  if (rng.chance(0.15)) {
    return { name: `济南市${districtName}${marketName}`, registration: '91', categories: [['platform_scale', 1]] };
  }
  const stall = `${rng.pick(['A', 'B', 'C', 'D'])}-${String(rng.int(1, 120)).padStart(3, '0')}`;
  return { name: `${surname(rng)}记${rng.pick(GOODS)}（${marketName}${stall}号）`, registration: null, categories: SCALES, stall };
};

const fuel: ProfileMaker = (rng, { place }) =>
  rng.weighted<BusinessProfile>([
    [{ name: `中国石化销售股份有限公司山东济南${place}加油站`, registration: '91', categories: [['fuel_dispenser', 9], ['gas_dispenser', 1]] }, 45],
    [{ name: `中国石油天然气股份有限公司山东济南销售分公司${place}加油站`, registration: '91', categories: [['fuel_dispenser', 1]] }, 30],
    [{ name: `济南${place}${rng.pick(FUEL_PRIVATE)}加油站有限公司`, registration: '91', categories: [['fuel_dispenser', 1]] }, 15],
    [{ name: `济南${place}CNG加气站`, registration: '91', categories: [['gas_dispenser', 1]] }, 10],
  ]);

const catering: ProfileMaker = (rng, { place }) => ({
  name: rng.chance(0.5) ? `${surname(rng)}记${rng.pick(DISHES)}（${place}店）` : `${place}${rng.pick(DISHES)}`,
  registration: rng.chance(0.7) ? '92' : '91',
  categories: [['platform_scale', 60], ['price_scale', 40]],
});

const retail: ProfileMaker = (rng, { place }) => ({
  name: `${rng.pick(SHOP_BRANDS)}${rng.pick(['超市', '便利店', '生鲜超市', '购物广场'])}（${place}店）`,
  registration: rng.chance(0.4) ? '92' : '91',
  categories: SCALES,
});

const medical: ProfileMaker = (rng, { districtName, place }) =>
  rng.weighted<BusinessProfile>([
    [{ name: `济南市${districtName}${place}社区卫生服务中心`, registration: '12', categories: [['bp_meter', 8], ['optometer', 1]] }, 40],
    [{ name: `${districtName}${place}${surname(rng)}氏诊所`, registration: '92', categories: [['bp_meter', 1]] }, 35],
    [{ name: `济南${place}${rng.pick(['中医医院', '医院', '眼科医院'])}`, registration: '91', categories: [['bp_meter', 6], ['lensmeter', 1], ['optometer', 1]] }, 25],
  ]);

const optical: ProfileMaker = (rng, { place }) => ({
  name: rng.chance(0.6) ? `${rng.pick(OPTICAL_BRANDS)}眼镜（${place}店）` : `${place}${surname(rng)}氏眼镜店`,
  registration: rng.chance(0.5) ? '92' : '91',
  categories: [['lensmeter', 1], ['optometer', 1]],
});

const traffic: ProfileMaker = (rng, { districtName }) =>
  rng.chance(0.8)
    ? { name: `济南${rng.pick(TAXI_BRANDS)}出租汽车有限公司`, registration: '91', categories: [['taximeter', 1]] }
    : { name: `济南市公安局交通警察支队${districtName}大队`, registration: '11', categories: [['speed_radar', 1]] };

const utility: ProfileMaker = (rng, { districtName, place }) =>
  rng.weighted<BusinessProfile>([
    [{ name: `济南水务集团有限公司${districtName}供水所`, registration: '91', categories: [['water_meter', 1]] }, 35],
    [{ name: `国网济南供电公司${districtName}供电中心`, registration: '91', categories: [['electricity_meter', 1]] }, 30],
    [{ name: `济南${place}燃气有限公司`, registration: '91', categories: [['gas_meter', 1]] }, 20],
    [{ name: `济南热力集团有限公司${place}供热站`, registration: '91', categories: [['heat_meter', 1]] }, 15],
  ]);

const MAKERS: Record<IndustryId, ProfileMaker> = { market, fuel, catering, retail, medical, optical, traffic, utility };

/** How common each industry is among demo businesses (markets and shops dominate). */
export const INDUSTRY_WEIGHTS: ReadonlyArray<readonly [IndustryId, number]> = [
  ['market', 30],
  ['catering', 18],
  ['retail', 18],
  ['fuel', 8],
  ['medical', 10],
  ['optical', 7],
  ['traffic', 4],
  ['utility', 5],
];

export function businessProfile(rng: Rng, industry: IndustryId, where: Place): BusinessProfile {
  return MAKERS[industry](rng, where);
}

export function streetAddress(rng: Rng, where: Place): string {
  const suffix = rng.pick(['路', '街', '大街', '东路', '西路', '北路']);
  const street = /[路街]$/.test(where.place) ? where.place : where.place + suffix;
  return `山东省济南市${where.districtName}${street}${rng.int(1, 399)}号`;
}
