/**
 * The domain catalogue: the eight industries of the open letter and the platform's catalogue
 * of mandatory (强制检定) instrument categories. This is the one place where Chinese domain
 * words are mapped to English identifiers and display text.
 *
 * To add a category: append a row to CATEGORIES with a new unique 4-digit code (never reuse
 * or renumber one: codes are printed inside instrument codes on physical labels), cite the
 * JJG regulation behind its cycle, and run `npx jest test/shared`.
 */

export const INDUSTRIES = [
  { id: 'market', name: '集贸市场' },
  { id: 'fuel', name: '加油(气)站' },
  { id: 'catering', name: '餐饮' },
  { id: 'retail', name: '商店超市' },
  { id: 'medical', name: '医疗机构' },
  { id: 'optical', name: '配镜' },
  { id: 'traffic', name: '道路交通' },
  { id: 'utility', name: '公用事业' },
] as const;

export type IndustryId = (typeof INDUSTRIES)[number]['id'];

export const INDUSTRY_IDS = INDUSTRIES.map((industry) => industry.id) as [IndustryId, ...IndustryId[]];

/**
 * How a category's verification lapses:
 * - `periodic`: re-verify every `cycleMonths` (周期检定).
 * - `replace_by`: verified once before installation and used for a limited time
 *   (首次强制检定、限期使用、到期轮换); `cycleMonths` is the service life after which the
 *   instrument must be replaced, and a passed first verification is "due" then.
 * - `initial_only`: verified once, scrapped when inaccurate (首次强制检定、失准报废); it has no
 *   due date of its own (`cycleMonths` is null) unless a certificate states one.
 */
export type CycleKind = 'periodic' | 'replace_by' | 'initial_only';

export interface InstrumentCategory {
  /** 4 digits, segment 7–10 of the platform instrument code. */
  code: string;
  id: string;
  name: string;
  cycleKind: CycleKind;
  cycleMonths: number | null;
  /** The verification regulation the cycle comes from. */
  regulation: string;
  industries: readonly IndustryId[];
}

/**
 * Cycles are the usual statutory maxima of the cited JJG regulations ("检定周期一般不超过 …");
 * a local regulator may set shorter ones, which then arrive as an explicit due date on the
 * verification record and take precedence (see verification.ts).
 */
export const CATEGORIES = [
  { code: '0101', id: 'price_scale', name: '电子计价秤', cycleKind: 'periodic', cycleMonths: 12, regulation: 'JJG 539-2016 数字指示秤', industries: ['market', 'retail', 'catering'] },
  { code: '0102', id: 'platform_scale', name: '电子台案秤', cycleKind: 'periodic', cycleMonths: 12, regulation: 'JJG 539-2016 数字指示秤', industries: ['market', 'retail', 'catering'] },
  { code: '0201', id: 'fuel_dispenser', name: '燃油加油机', cycleKind: 'periodic', cycleMonths: 6, regulation: 'JJG 443 燃油加油机', industries: ['fuel'] },
  { code: '0202', id: 'gas_dispenser', name: '加气机(LPG/CNG)', cycleKind: 'periodic', cycleMonths: 12, regulation: 'JJG 996-2012 CNG加气机 / JJG 997 LPG加气机', industries: ['fuel'] },
  { code: '0301', id: 'taximeter', name: '出租汽车计价器', cycleKind: 'periodic', cycleMonths: 12, regulation: 'JJG 517-2016 出租汽车计价器', industries: ['traffic'] },
  { code: '0302', id: 'speed_radar', name: '机动车测速仪', cycleKind: 'periodic', cycleMonths: 12, regulation: 'JJG 527-2015 固定式机动车雷达测速仪', industries: ['traffic'] },
  { code: '0401', id: 'bp_meter', name: '血压计', cycleKind: 'periodic', cycleMonths: 12, regulation: 'JJG 270-2008 血压计和血压表 / JJG 692-2010 无创自动测量血压计', industries: ['medical'] },
  { code: '0402', id: 'thermometer', name: '体温计', cycleKind: 'initial_only', cycleMonths: null, regulation: 'JJG 111-2019 玻璃体温计', industries: ['medical'] },
  { code: '0501', id: 'lensmeter', name: '焦度计', cycleKind: 'periodic', cycleMonths: 12, regulation: 'JJG 580-2005 焦度计', industries: ['optical', 'medical'] },
  { code: '0502', id: 'optometer', name: '验光仪', cycleKind: 'periodic', cycleMonths: 12, regulation: 'JJG 892-2011 验光机', industries: ['optical', 'medical'] },
  { code: '0601', id: 'water_meter', name: '水表', cycleKind: 'replace_by', cycleMonths: 72, regulation: 'JJG 162-2019 饮用冷水水表 (DN≤25 使用不超过6年)', industries: ['utility'] },
  { code: '0602', id: 'electricity_meter', name: '电能表', cycleKind: 'replace_by', cycleMonths: 96, regulation: 'JJG 596-2012 电子式交流电能表 (1、2级)', industries: ['utility'] },
  { code: '0603', id: 'gas_meter', name: '燃气表', cycleKind: 'replace_by', cycleMonths: 120, regulation: 'JJG 577-2012 膜式燃气表 (天然气介质不超过10年)', industries: ['utility'] },
  { code: '0604', id: 'heat_meter', name: '热量表', cycleKind: 'replace_by', cycleMonths: 60, regulation: 'JJG 225 热量表 (platform default service life)', industries: ['utility'] },
] as const satisfies readonly InstrumentCategory[];

export type CategoryId = (typeof CATEGORIES)[number]['id'];

export const CATEGORY_IDS = CATEGORIES.map((category) => category.id) as [CategoryId, ...CategoryId[]];

const CATEGORY_BY_CODE: ReadonlyMap<string, InstrumentCategory> = new Map(CATEGORIES.map((c) => [c.code, c]));
const CATEGORY_BY_ID: ReadonlyMap<string, InstrumentCategory> = new Map(CATEGORIES.map((c) => [c.id, c]));
const INDUSTRY_NAME_BY_ID: ReadonlyMap<string, string> = new Map(INDUSTRIES.map((i) => [i.id, i.name]));

export function categoryByCode(code: string): InstrumentCategory | undefined {
  return CATEGORY_BY_CODE.get(code);
}

export function categoryById(id: string): InstrumentCategory | undefined {
  return CATEGORY_BY_ID.get(id);
}

/** Accepts either the English id or the 4-digit code, since both travel in requests. */
export function findCategory(idOrCode: string): InstrumentCategory | undefined {
  return CATEGORY_BY_ID.get(idOrCode) ?? CATEGORY_BY_CODE.get(idOrCode);
}

export function categoryName(idOrCode: string): string | undefined {
  return findCategory(idOrCode)?.name;
}

export function isIndustryId(value: string): value is IndustryId {
  return INDUSTRY_NAME_BY_ID.has(value);
}

export function industryName(id: string): string | undefined {
  return INDUSTRY_NAME_BY_ID.get(id);
}

export function categoriesForIndustry(industry: string): InstrumentCategory[] {
  return CATEGORIES.filter((category) => (category.industries as readonly string[]).includes(industry));
}
