/** Makes, models, serial numbers and installation spots that look like real instruments. */
import type { CategoryId } from '@shared/catalogue';
import type { Rng } from './prng';

interface Make {
  manufacturer: string;
  models: readonly string[];
  serialPrefix: string;
}

const MAKES: Record<CategoryId, readonly Make[]> = {
  price_scale: [
    { manufacturer: '上海友声衡器有限公司', models: ['ACS-15', 'ACS-30'], serialPrefix: 'YS' },
    { manufacturer: '梅特勒-托利多(常州)称重设备系统有限公司', models: ['bPlus-15', 'ACS-JE15'], serialPrefix: 'MT' },
    { manufacturer: '凯丰集团有限公司', models: ['ACS-6K', 'ACS-30K'], serialPrefix: 'KF' },
  ],
  platform_scale: [
    { manufacturer: '上海友声衡器有限公司', models: ['TCS-150', 'TCS-300'], serialPrefix: 'YS' },
    { manufacturer: '永康市华鹰衡器有限公司', models: ['TCS-100', 'ACS-60'], serialPrefix: 'HY' },
  ],
  fuel_dispenser: [
    { manufacturer: '正星科技股份有限公司', models: ['CS46', 'CS52'], serialPrefix: 'ZX' },
    { manufacturer: '托肯恒山科技(广州)有限公司', models: ['Quantium 510', 'Quantium 310'], serialPrefix: 'TK' },
    { manufacturer: '北京长吉加油设备有限公司', models: ['CJ-4242', 'CJ-2222'], serialPrefix: 'CJ' },
  ],
  gas_dispenser: [{ manufacturer: '厚普清洁能源(集团)股份有限公司', models: ['HPJQ-CNG', 'HPJQ-LNG'], serialPrefix: 'HP' }],
  taximeter: [
    { manufacturer: '深圳市天派电子有限公司', models: ['TP-JJ8', 'TP-JJ9'], serialPrefix: 'TP' },
    { manufacturer: '济南舜泰电子有限公司', models: ['ST-2018', 'ST-2020'], serialPrefix: 'ST' },
  ],
  speed_radar: [{ manufacturer: '四川川速微波科技有限公司', models: ['CSR-IIIC', 'CSR-IK'], serialPrefix: 'CS' }],
  bp_meter: [
    { manufacturer: '欧姆龙(大连)有限公司', models: ['HBP-1300', 'HBP-9021'], serialPrefix: 'OM' },
    { manufacturer: '江苏鱼跃医疗设备股份有限公司', models: ['YE660D', 'XJ11D'], serialPrefix: 'YY' },
  ],
  thermometer: [{ manufacturer: '江苏华强体温计有限公司', models: ['三角型棒式'], serialPrefix: 'HQ' }],
  lensmeter: [
    { manufacturer: '上海雄博精密仪器股份有限公司', models: ['JD-2600A', 'JD-2000B'], serialPrefix: 'XB' },
    { manufacturer: '拓普康(Topcon)', models: ['CL-300', 'CL-200'], serialPrefix: 'TC' },
  ],
  optometer: [
    { manufacturer: '尼德克(NIDEK)', models: ['ARK-1', 'ARK-510A'], serialPrefix: 'ND' },
    { manufacturer: '重庆远视科技有限公司', models: ['RM-9000', 'FA-6500'], serialPrefix: 'YS' },
  ],
  water_meter: [
    { manufacturer: '宁波水表(集团)股份有限公司', models: ['LXS-15E', 'LXS-20E'], serialPrefix: 'NB' },
    { manufacturer: '三川智慧科技股份有限公司', models: ['LXSY-20', 'LXLC-25'], serialPrefix: 'SC' },
  ],
  electricity_meter: [
    { manufacturer: '威胜集团有限公司', models: ['DDZY102', 'DTZY102'], serialPrefix: 'WS' },
    { manufacturer: '宁波三星医疗电气股份有限公司', models: ['DDZY1710', 'DDZY188'], serialPrefix: 'SX' },
  ],
  gas_meter: [{ manufacturer: '金卡智能集团股份有限公司', models: ['G2.5', 'G4'], serialPrefix: 'JK' }],
  heat_meter: [{ manufacturer: '山东力创科技股份有限公司', models: ['LCRB-20', 'LCRB-25'], serialPrefix: 'LC' }],
};

export interface Equipment {
  manufacturer: string;
  model: string;
  serial: string;
}

export function equipmentFor(rng: Rng, category: CategoryId, year: number): Equipment {
  const make = rng.pick(MAKES[category]);
  return {
    manufacturer: make.manufacturer,
    model: rng.pick(make.models),
    serial: `${make.serialPrefix}${year}${String(rng.int(0, 999_999)).padStart(6, '0')}`,
  };
}

const ROOMS = ['门诊', '内科诊室', '体检中心', '护士站', '预检分诊台'] as const;
const COUNTER_SPOTS = ['收银台1号', '收银台2号', '生鲜称重台', '熟食柜台', '后厨', '水产柜台'] as const;

export function installLocationFor(rng: Rng, category: CategoryId, ctx: { stall?: string; place: string; otherPlace: string }): string {
  switch (category) {
    case 'price_scale':
    case 'platform_scale':
      return ctx.stall ? `${ctx.stall}号摊位` : rng.pick(COUNTER_SPOTS);
    case 'fuel_dispenser':
      return `${rng.int(1, 4)}号加油岛 ${rng.int(1, 8)}号机`;
    case 'gas_dispenser':
      return `加气岛${rng.int(1, 3)}号机`;
    case 'taximeter':
      return `鲁A${rng.pick(['T', 'D'])}${String(rng.int(0, 9999)).padStart(4, '0')} 车载`;
    case 'speed_radar':
      return `${ctx.place}路与${ctx.otherPlace}路交叉口`;
    case 'bp_meter':
    case 'thermometer':
      return `${rng.pick(ROOMS)}${rng.int(1, 3)}0${rng.int(1, 9)}`;
    case 'lensmeter':
    case 'optometer':
      return `验光室${rng.int(1, 3)}`;
    default:
      return `${ctx.place}小区${rng.int(1, 30)}号楼${rng.int(1, 4)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室`;
  }
}
