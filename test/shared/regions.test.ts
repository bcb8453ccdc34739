import {
  isCountyCode,
  isKnownRegion,
  jinanDistricts,
  regionByCode,
  regionContains,
  regionName,
  regionPath,
  regionsUnder,
} from '@shared/regions';
import { REGION_ROWS } from '@shared/regions.data';

describe('GB/T 2260 regions', () => {
  test('the table has every province, every prefecture-level city and every county', () => {
    expect(REGION_ROWS.filter(([code]) => code.length === 2)).toHaveLength(31);
    expect(REGION_ROWS.filter(([code]) => code.length === 4)).toHaveLength(342);
    expect(REGION_ROWS.filter(([code]) => code.length === 6).length).toBeGreaterThan(2900);
    expect(new Set(REGION_ROWS.map(([code]) => code)).size).toBe(REGION_ROWS.length);
  });

  test('every city and county hangs under a known parent', () => {
    for (const [code] of REGION_ROWS) {
      if (code.length > 2) expect(isKnownRegion(code.slice(0, code.length - 2))).toBe(true);
    }
  });

  test('names in both code forms', () => {
    expect(regionName('370102')).toBe('历下区');
    expect(regionName('370100')).toBe('济南市');
    expect(regionName('3701')).toBe('济南市');
    expect(regionName('370000')).toBe('山东省');
    expect(regionName('37')).toBe('山东省');
    expect(regionName('379999')).toBeUndefined();
    expect(regionName('abc')).toBeUndefined();
  });

  test('paths read province → city → county and skip placeholder levels', () => {
    expect(regionPath('370102')).toEqual(['山东省', '济南市', '历下区']);
    expect(regionPath('370100')).toEqual(['山东省', '济南市']);
    expect(regionPath('110101')).toEqual(['北京市', '东城区']);
    expect(regionPath('441900')).toEqual(['广东省', '东莞市']);
    expect(regionPath('999999')).toEqual([]);
  });

  test('regionsUnder lists direct children in the 6-digit form', () => {
    expect(regionsUnder()).toHaveLength(31);
    const shandongCities = regionsUnder('370000');
    expect(shandongCities).toHaveLength(16);
    expect(shandongCities[0]).toEqual({ code: '370100', name: '济南市', level: 'city', parentCode: '370000' });
    expect(regionsUnder('3702').map((r) => r.level)).toEqual(expect.arrayContaining(['county']));
    expect(regionsUnder('370102')).toEqual([]);
    expect(regionsUnder('990000')).toEqual([]);
  });

  test('a regulator scoped to 370100 or 3701 sees 370102; scoped to 370000 or 37 sees all of Shandong', () => {
    for (const scope of ['370100', '3701']) {
      expect(regionContains(scope, '370102')).toBe(true);
      expect(regionContains(scope, '370202')).toBe(false);
    }
    for (const scope of ['370000', '37']) {
      expect(regionContains(scope, '370202')).toBe(true);
      expect(regionContains(scope, '110101')).toBe(false);
    }
    expect(regionContains('370102', '370102')).toBe(true);
    expect(regionContains('370102', '370103')).toBe(false);
  });

  test('a malformed scope or code contains nothing (a bad token never widens access)', () => {
    for (const scope of ['', '3', '37010', '3701020', 'xx0000']) expect(regionContains(scope, '370102')).toBe(false);
    expect(regionContains('37', '37010')).toBe(false);
  });

  test('Jinan has its 12 districts and counties, including 莱芜区 (370116) and 钢城区 (370117) since 2019', () => {
    expect(jinanDistricts).toHaveLength(12);
    expect(jinanDistricts.map((r) => [r.code, r.name])).toEqual(
      expect.arrayContaining([
        ['370102', '历下区'],
        ['370116', '莱芜区'],
        ['370117', '钢城区'],
        ['370126', '商河县'],
      ]),
    );
    expect(regionByCode('3712')).toBeUndefined(); // the former 莱芜市 no longer exists
    expect(jinanDistricts.every((r) => isCountyCode(r.code) && r.parentCode === '370100')).toBe(true);
  });
});
