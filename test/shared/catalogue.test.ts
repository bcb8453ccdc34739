import {
  CATEGORIES,
  CATEGORY_IDS,
  INDUSTRIES,
  INDUSTRY_IDS,
  categoriesForIndustry,
  categoryByCode,
  categoryById,
  categoryName,
  findCategory,
  industryName,
} from '@shared/catalogue';

describe('catalogue', () => {
  test('the eight industries of the open letter with their Chinese names', () => {
    expect(INDUSTRY_IDS).toEqual(['market', 'fuel', 'catering', 'retail', 'medical', 'optical', 'traffic', 'utility']);
    expect(industryName('fuel')).toBe('加油(气)站');
    expect(industryName('nope')).toBeUndefined();
    expect(new Set(INDUSTRIES.map((i) => i.name)).size).toBe(8);
  });

  test('category codes are unique 4-digit codes and ids are unique', () => {
    expect(new Set(CATEGORIES.map((c) => c.code)).size).toBe(CATEGORIES.length);
    expect(new Set(CATEGORY_IDS).size).toBe(CATEGORIES.length);
    for (const category of CATEGORIES) expect(category.code).toMatch(/^\d{4}$/);
  });

  test("every category's industries exist, and every industry has at least one category", () => {
    for (const category of CATEGORIES) {
      expect(category.industries.length).toBeGreaterThan(0);
      for (const industry of category.industries) expect(INDUSTRY_IDS).toContain(industry);
    }
    for (const industry of INDUSTRY_IDS) expect(categoriesForIndustry(industry).length).toBeGreaterThan(0);
  });

  test('cycles: periodic and replace-by categories have a positive cycle, initial-only ones none', () => {
    for (const category of CATEGORIES) {
      if (category.cycleKind === 'initial_only') expect(category.cycleMonths).toBeNull();
      else expect(category.cycleMonths).toBeGreaterThan(0);
    }
    expect(categoryById('fuel_dispenser')?.cycleMonths).toBe(6);
    expect(categoryById('water_meter')).toMatchObject({ cycleKind: 'replace_by', cycleMonths: 72 });
  });

  test('the mandatory kinds named in the issue are all present', () => {
    const names = CATEGORIES.map((c) => c.name).join(' ');
    for (const word of ['计价秤', '台案秤', '加油机', '加气机', '计价器', '血压计', '体温计', '焦度计', '验光仪', '水表', '电能表', '燃气表', '热量表', '测速仪']) {
      expect(names).toContain(word);
    }
  });

  test('lookups by code and by id', () => {
    expect(categoryByCode('0101')?.id).toBe('price_scale');
    expect(categoryById('taximeter')?.code).toBe('0301');
    expect(findCategory('0301')).toBe(findCategory('taximeter'));
    expect(categoryName('price_scale')).toBe('电子计价秤');
    expect(categoryByCode('9999')).toBeUndefined();
  });
});
