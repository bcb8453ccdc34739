/**
 * GB/T 2260 administrative divisions: lookup, display paths and region scoping.
 *
 * Code forms accepted everywhere in this module:
 * - the 6-digit GB/T 2260 form, where trailing zeros mark the level: `370000` province,
 *   `370100` city, `370102` county;
 * - the short prefix form: `37` province, `3701` city, `370102` county.
 * Results always use the 6-digit form, which is what documents store.
 *
 * Placeholder levels such as 北京市 → 市辖区 (110100) are real rows of the table (a regulator
 * may be scoped to them) but are left out of display paths.
 *
 * The table also carries the National Bureau of Statistics' functional zones (5th digit 7,
 * e.g. 370176 济南高新技术产业开发区): they are statistical codes used by local
 * administrations, not GB/T 2260 proper, so `jinanDistricts` leaves them out.
 */
import { REGION_ROWS } from './regions.data';

export type RegionLevel = 'province' | 'city' | 'county';

export interface Region {
  /** 6-digit GB/T 2260 form, e.g. '370100'. */
  code: string;
  name: string;
  level: RegionLevel;
  /** 6-digit code of the parent region, null for a province. */
  parentCode: string | null;
}

const PLACEHOLDER_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

const LEVEL_BY_KEY_LENGTH: Record<number, RegionLevel> = { 2: 'province', 4: 'city', 6: 'county' };

/** Short key ('37', '3701', '370102') → name. */
const NAME_BY_KEY: ReadonlyMap<string, string> = new Map(REGION_ROWS.map(([code, name]) => [code, name]));

let childrenByParentKey: Map<string, string[]> | null = null;

/** Built on first use: the mini-program rarely needs the tree, so it does not pay at startup. */
function childIndex(): Map<string, string[]> {
  if (childrenByParentKey) return childrenByParentKey;
  const index = new Map<string, string[]>();
  for (const [key] of REGION_ROWS) {
    const parent = key.length === 2 ? '' : key.slice(0, key.length - 2);
    const siblings = index.get(parent) ?? [];
    siblings.push(key);
    index.set(parent, siblings);
  }
  childrenByParentKey = index;
  return index;
}

function toSixDigits(key: string): string {
  return key.padEnd(6, '0');
}

/**
 * The candidate short keys of a code, most specific first. A 6-digit code ending in zeros is
 * ambiguous only in theory (441900 东莞市 is both a city and its own county row), so the
 * county row is tried before the shorter prefixes.
 */
function candidateKeys(code: string): string[] {
  if (/^\d{2}$|^\d{4}$/.test(code)) return [code];
  if (!/^\d{6}$/.test(code)) return [];
  const keys = [code];
  if (code.endsWith('00')) keys.push(code.slice(0, 4));
  if (code.endsWith('0000')) keys.push(code.slice(0, 2));
  return keys;
}

function findKey(code: string): string | undefined {
  return candidateKeys(code).find((key) => NAME_BY_KEY.has(key));
}

function toRegion(key: string): Region {
  return {
    code: toSixDigits(key),
    name: NAME_BY_KEY.get(key) as string,
    level: LEVEL_BY_KEY_LENGTH[key.length],
    parentCode: key.length === 2 ? null : toSixDigits(key.slice(0, key.length - 2)),
  };
}

export function isKnownRegion(code: string): boolean {
  return findKey(code) !== undefined;
}

/** True for a county-level row (the level an instrument code carries). */
export function isCountyCode(code: string): boolean {
  return /^\d{6}$/.test(code) && NAME_BY_KEY.has(code);
}

export function regionByCode(code: string): Region | undefined {
  const key = findKey(code);
  return key === undefined ? undefined : toRegion(key);
}

export function regionName(code: string): string | undefined {
  const key = findKey(code);
  return key === undefined ? undefined : NAME_BY_KEY.get(key);
}

/** Names from province down to the region itself, without placeholder levels (市辖区 …). */
export function regionPath(code: string): string[] {
  const key = findKey(code);
  if (key === undefined) return [];
  const names: string[] = [];
  for (let length = 2; length <= key.length; length += 2) {
    const name = NAME_BY_KEY.get(key.slice(0, length));
    if (name !== undefined && !PLACEHOLDER_NAMES.has(name) && names[names.length - 1] !== name) names.push(name);
  }
  return names;
}

/**
 * The direct children of a region (a province's cities, a city's counties), sorted by code.
 * With no argument (or '') the provinces. Unknown or county codes → [].
 */
export function regionsUnder(prefixCode = ''): Region[] {
  const key = prefixCode === '' ? '' : findKey(prefixCode);
  if (key === undefined || key.length === 6) return [];
  return (childIndex().get(key) ?? []).map(toRegion);
}

/**
 * The prefix a scope code stands for: 2/4-digit codes are prefixes as given; a 6-digit code
 * loses its level-marking trailing zeros (370000 → 37, 370100 → 3701, 370102 → 370102).
 */
export function scopePrefix(scopeCode: string): string | null {
  if (/^\d{2}$|^\d{4}$/.test(scopeCode)) return scopeCode;
  if (!/^\d{6}$/.test(scopeCode)) return null;
  if (scopeCode.endsWith('0000')) return scopeCode.slice(0, 2);
  if (scopeCode.endsWith('00') && !NAME_BY_KEY.has(scopeCode)) return scopeCode.slice(0, 4);
  return scopeCode;
}

/**
 * Whether `code` lies inside the region a regulator is scoped to. Scope may be a short prefix
 * ('37', '3701') or a 6-digit code with trailing zeros ('370000', '370100'); a malformed
 * scope contains nothing, so a bad token can never widen what a regulator sees.
 */
export function regionContains(scopeCode: string, code: string): boolean {
  const prefix = scopePrefix(scopeCode);
  if (prefix === null || !/^\d{6}$/.test(code)) return false;
  return code.startsWith(prefix);
}

/** The 12 districts and counties of 济南市, including 莱芜区 and 钢城区 (joined in 2019). */
export const jinanDistricts: readonly Region[] = REGION_ROWS.filter(([key]) => key.length === 6 && key.startsWith('3701') && key[4] !== '7').map(
  ([key]) => toRegion(key),
);
