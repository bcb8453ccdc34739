import { CATEGORIES, INDUSTRY_IDS, categoryById } from '@shared/catalogue';
import { isValidCreditCode } from '@shared/creditCode';
import { parseInstrumentCode } from '@shared/instrumentCode';
import { jinanDistricts, regionContains } from '@shared/regions';
import { parseScanQuery } from '@shared/scan';
import { verificationStatus, type VerificationStatus } from '@shared/verification';
import { JINAN_DISTRICT_AREAS, distanceKm, generateDemoData, iterateDemoData, type DemoData, type DemoVerification } from '@mock/data';

const asOf = new Date('2026-11-28T04:00:00.000Z');
const options = { seed: 20171127, businesses: 300, asOf };
const data: DemoData = generateDemoData(options);

function verificationsByInstrument(verifications: DemoVerification[]): Map<string, DemoVerification[]> {
  const map = new Map<string, DemoVerification[]>();
  for (const verification of verifications) {
    const key = verification.instrument.toHexString();
    const list = map.get(key) ?? [];
    list.push(verification);
    map.set(key, list);
  }
  return map;
}

function expectUnique(values: string[]): void {
  expect(new Set(values).size).toBe(values.length);
}

describe('demo data generator', () => {
  test('the same seed gives deep-equal data; another seed gives other data', () => {
    expect(generateDemoData(options)).toEqual(data);
    const other = generateDemoData({ ...options, seed: 1 });
    expect(other.businesses.map((b) => b.name)).not.toEqual(data.businesses.map((b) => b.name));
    expect(other.businesses[0]._id.toHexString()).not.toBe(data.businesses[0]._id.toHexString());
  });

  test('the iterator gives the same documents whatever the chunk size', () => {
    const joined: DemoData = { businesses: [], instruments: [], verifications: [] };
    for (const batch of iterateDemoData({ ...options, chunkSize: 7 })) {
      expect(batch.businesses.length).toBeLessThanOrEqual(7);
      joined.businesses.push(...batch.businesses);
      joined.instruments.push(...batch.instruments);
      joined.verifications.push(...batch.verifications);
    }
    expect(joined).toEqual(data);
  });

  test('sizes follow the options', () => {
    expect(data.businesses).toHaveLength(300);
    const small = generateDemoData({ ...options, businesses: 20, instrumentsPerBusiness: [2, 2] });
    expect(small.instruments).toHaveLength(40);
    expect(generateDemoData({ ...options, businesses: 0 })).toEqual({ businesses: [], instruments: [], verifications: [] });
    expect(() => generateDemoData({ ...options, instrumentsPerBusiness: [3, 1] })).toThrow(RangeError);
  });

  test('every id is unique across all collections', () => {
    expectUnique([...data.businesses, ...data.instruments, ...data.verifications].map((doc) => doc._id.toHexString()));
  });

  test('instrument codes are valid, unique, carry the business district and the category code', () => {
    const businessById = new Map(data.businesses.map((b) => [b._id.toHexString(), b]));
    expectUnique(data.instruments.map((i) => i.code));
    for (const instrument of data.instruments) {
      const parsed = parseInstrumentCode(instrument.code);
      if (!parsed.ok) throw new Error(`${instrument.code}: ${parsed.reason}`);
      const business = businessById.get(instrument.business.toHexString());
      expect(business).toBeDefined();
      expect(parsed.value.regionCode).toBe(business?.regionCode);
      expect(instrument.regionCode).toBe(business?.regionCode);
      expect(parsed.value.categoryCode).toBe(categoryById(instrument.category)?.code);
      expect(categoryById(instrument.category)?.industries).toContain(business?.industry);
    }
  });

  test('external codes are unique and resolve as external codes, never as platform codes', () => {
    const externalCodes = data.instruments.flatMap((i) => i.externalCodes);
    expect(externalCodes.length).toBeGreaterThan(0);
    expectUnique(externalCodes);
    for (const value of externalCodes) expect(parseScanQuery(value)).toEqual({ ok: true, kind: 'external', value });
  });

  test('companies have valid unique credit codes; stalls have a platform id', () => {
    const creditCodes = data.businesses.flatMap((b) => (b.creditCode ? [b.creditCode] : []));
    const platformIds = data.businesses.flatMap((b) => (b.platformId ? [b.platformId] : []));
    expect(creditCodes.length + platformIds.length).toBe(data.businesses.length);
    expect(platformIds.length).toBeGreaterThan(0);
    expectUnique(creditCodes);
    expectUnique(platformIds);
    for (const code of creditCodes) expect(isValidCreditCode(code)).toBe(true);
    for (const id of platformIds) expect(id).toMatch(/^P\d{12}$/);
  });

  test('every business lies inside its district circle, in a district of Jinan', () => {
    const areaByCode = new Map(JINAN_DISTRICT_AREAS.map((area) => [area.code, area]));
    for (const business of data.businesses) {
      expect(regionContains('370100', business.regionCode)).toBe(true);
      const area = areaByCode.get(business.regionCode);
      if (!area) throw new Error(`no area for ${business.regionCode}`);
      expect(distanceKm(area.center, business.location.coordinates)).toBeLessThanOrEqual(area.radiusKm);
      expect(business.location.type).toBe('Point');
    }
    expect(new Set(data.businesses.map((b) => b.regionCode)).size).toBe(12);
  });

  test('the district circles cover exactly the districts of Jinan', () => {
    expect(JINAN_DISTRICT_AREAS.map((a) => a.code).sort()).toEqual(jinanDistricts.map((d) => d.code).sort());
  });

  test('all eight industries appear, with names, addresses and contacts', () => {
    expect(new Set(data.businesses.map((b) => b.industry))).toEqual(new Set(INDUSTRY_IDS));
    for (const business of data.businesses) {
      expect(business.name.length).toBeGreaterThan(3);
      expect(business.address).toMatch(/^山东省济南市.+号$/);
      expect(business.contacts.length).toBeGreaterThan(0);
      for (const contact of business.contacts) expect(contact.phone).toMatch(/^1\d{2}-\d{4}-\d{4}$/);
    }
  });

  test('as of asOf every verification status appears, from the shared rules', () => {
    const records = verificationsByInstrument(data.verifications);
    const seen = new Set<VerificationStatus>();
    for (const instrument of data.instruments) seen.add(verificationStatus(instrument, records.get(instrument._id.toHexString()) ?? [], asOf));
    expect([...seen].sort()).toEqual(['expiring', 'failed', 'overdue', 'suspended', 'unverified', 'valid']);
  });

  test('histories have 1–4 records, none in the future, unique certificate numbers, stated due dates', () => {
    const records = verificationsByInstrument(data.verifications);
    for (const list of records.values()) {
      expect(list.length).toBeGreaterThanOrEqual(1);
      expect(list.length).toBeLessThanOrEqual(4);
    }
    expectUnique(data.verifications.map((v) => v.certificateNo));
    for (const verification of data.verifications) {
      expect(verification.date.getTime()).toBeLessThanOrEqual(asOf.getTime());
      expect(verification.createdAt.getTime()).toBeLessThanOrEqual(asOf.getTime());
      expect(verification.dueDate.getTime()).toBeGreaterThanOrEqual(verification.date.getTime() - 86_400_000);
    }
  });

  test('categories used are from the catalogue', () => {
    const ids = new Set<string>(CATEGORIES.map((c) => c.id));
    for (const instrument of data.instruments) expect(ids.has(instrument.category)).toBe(true);
  });

  test('streams in bounded batches with codes and certificate numbers unique across batches', () => {
    // The benchmark size (10,000 businesses × 20 = 200,000 instruments) takes a few seconds,
    // too long for every `npm test` on a shared 2-core machine; a fifth of it checks the same
    // streaming properties.
    const codes = new Set<string>();
    const certificates = new Set<string>();
    let businesses = 0;
    let instruments = 0;
    let verifications = 0;
    let largestBatch = 0;
    for (const batch of iterateDemoData({ seed: 7, businesses: 2_000, instrumentsPerBusiness: [20, 20], asOf, chunkSize: 250 })) {
      businesses += batch.businesses.length;
      instruments += batch.instruments.length;
      verifications += batch.verifications.length;
      largestBatch = Math.max(largestBatch, batch.instruments.length);
      for (const instrument of batch.instruments) codes.add(instrument.code);
      for (const verification of batch.verifications) certificates.add(verification.certificateNo);
    }
    expect(businesses).toBe(2_000);
    expect(instruments).toBe(40_000);
    expect(largestBatch).toBe(5_000);
    expect(codes.size).toBe(instruments);
    expect(certificates.size).toBe(verifications);
  });
});
