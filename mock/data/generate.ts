/**
 * Deterministic demo and benchmark data: businesses of all eight industries across 济南's
 * districts, their instruments and verification histories, as plain documents ready for
 * `insertMany`. Same options → deep-equal output (own PRNG, ObjectIds derived from the seed).
 *
 * Each business draws from its own PRNG stream (seed, business index), so `iterateDemoData`
 * gives the same documents whatever the chunk size; codes, certificate numbers and ids come
 * from running counters, which keeps them unique.
 */
import type { ObjectId } from 'bson';
import { categoryById, type CategoryId, type IndustryId } from '@shared/catalogue';
import { makeCreditCode, CREDIT_CODE_CHARSET } from '@shared/creditCode';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { jinanDistricts } from '@shared/regions';
import { currentVerificationOf } from '@shared/verification';
import { businessProfile, INDUSTRY_WEIGHTS, streetAddress, type BusinessProfile } from './businesses';
import { equipmentFor, installLocationFor } from './equipment';
import { planHistory, TARGET_WEIGHTS } from './history';
import { ID_KIND, deterministicObjectId } from './ids';
import { JINAN_DISTRICT_AREAS, pointInDistrict, type DistrictArea } from './jinan';
import { mobilePhone, personName } from './people';
import { createRng, hashInts, type Rng } from './prng';

export interface DemoBusiness {
  _id: ObjectId;
  creditCode?: string;
  platformId?: string;
  name: string;
  industry: IndustryId;
  regionCode: string;
  address: string;
  location: { type: 'Point'; coordinates: [number, number] };
  contacts: Array<{ name: string; phone: string }>;
  status: 'active' | 'closed';
  createdAt: Date;
  updatedAt: Date;
}

export interface DemoInstrument {
  _id: ObjectId;
  code: string;
  externalCodes: string[];
  category: CategoryId;
  model: string;
  serial: string;
  manufacturer: string;
  business: ObjectId;
  regionCode: string;
  installLocation: string;
  status: 'in_use' | 'suspended' | 'retired';
  likes: number;
  /** The latest verification's facts, as the BFF stores them (bff/src/services/currentVerification.ts). */
  current: { verificationId: ObjectId; date: Date; result: 'pass' | 'fail'; dueDate: Date | null; institution: string; certificateNo: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DemoVerification {
  _id: ObjectId;
  instrument: ObjectId;
  /** The instrument's business and region, copied as the BFF's intake does (bff/src/models/verification.ts). */
  business: ObjectId;
  regionCode: string;
  date: Date;
  result: 'pass' | 'fail';
  institution: string;
  certificateNo: string;
  dueDate: Date;
  verifier?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface DemoData {
  businesses: DemoBusiness[];
  instruments: DemoInstrument[];
  verifications: DemoVerification[];
}

export interface DemoDataOptions {
  seed: number;
  businesses: number;
  /** Inclusive range of instruments per business; default [1, 6]. */
  instrumentsPerBusiness?: [number, number];
  asOf: Date;
}

const DAY_MS = 86_400_000;

const INSTITUTIONS = ['济南市计量检定测试院', '山东省计量科学研究院', '济南市莱芜区计量测试所'] as const;

const AREAS_BY_CODE: ReadonlyMap<string, DistrictArea> = new Map(JINAN_DISTRICT_AREAS.map((area) => [area.code, area]));
const DISTRICTS = jinanDistricts.map((district) => {
  const area = AREAS_BY_CODE.get(district.code);
  if (!area) throw new Error(`no demo area for district ${district.code}`);
  return { ...district, area };
});

/** Running counters that make ids, codes and certificate numbers unique across the data set. */
interface Counters {
  instrument: number;
  verification: number;
}

function assertOptions(options: DemoDataOptions): [number, number] {
  const range = options.instrumentsPerBusiness ?? [1, 6];
  if (!Number.isInteger(options.businesses) || options.businesses < 0) throw new RangeError('businesses must be a non-negative integer');
  if (!(range[0] >= 0 && range[1] >= range[0])) throw new RangeError('instrumentsPerBusiness must be [min, max] with 0 ≤ min ≤ max');
  if (Number.isNaN(options.asOf.getTime())) throw new RangeError('asOf must be a valid date');
  return range;
}

/**
 * Multiplier that scatters sequential indexes over a code space; 3^18 is coprime to 10 and to
 * 31, so `(n · K + salt) mod 10^k` and `mod 31^7` are injective in n: codes never collide.
 */
const SCATTER = 387_420_489;

/** 9-character organisation code (the GB 11714 slot of a credit code). */
function organisationCode(prefix: string, n: number, salt: number): string {
  if (prefix === '91' || prefix === '92') {
    let value = (n * SCATTER + salt) % 31 ** 7;
    let chars = '';
    for (let i = 0; i < 7; i += 1) {
      chars = CREDIT_CODE_CHARSET[value % 31] + chars;
      value = Math.floor(value / 31);
    }
    return `MA${chars}`;
  }
  return String((n * SCATTER + salt) % 1e9).padStart(9, '0');
}

function registration(profile: BusinessProfile, index: number, seed: number, regionCode: string): Pick<DemoBusiness, 'creditCode' | 'platformId'> {
  const salt = hashInts(seed, 7);
  if (profile.registration === null) return { platformId: `P${String((index * SCATTER + salt) % 1e12).padStart(12, '0')}` };
  return { creditCode: makeCreditCode(profile.registration + regionCode + organisationCode(profile.registration, index, salt)) };
}

function instantBefore(rng: Rng, asOf: Date, minDays: number, maxDays: number): Date {
  return new Date(asOf.getTime() - rng.int(minDays, maxDays) * DAY_MS - rng.int(0, 86_399) * 1000);
}

function clampToAsOf(date: Date, asOf: Date): Date {
  return date.getTime() > asOf.getTime() ? new Date(asOf.getTime()) : date;
}

function makeBusiness(rng: Rng, index: number, options: DemoDataOptions) {
  const district = rng.pick(DISTRICTS);
  const place = rng.pick(district.area.places);
  const industry = rng.weighted(INDUSTRY_WEIGHTS);
  const where = { districtName: district.name, place };
  const profile = businessProfile(rng, industry, where);
  const createdAt = instantBefore(rng, options.asOf, 30, 900);
  const [u, v] = [rng.next(), rng.next()];
  const business: DemoBusiness = {
    _id: deterministicObjectId(ID_KIND.business, options.seed, index, createdAt),
    ...registration(profile, index, options.seed, district.code),
    name: profile.name,
    industry,
    regionCode: district.code,
    address: streetAddress(rng, where),
    location: { type: 'Point', coordinates: pointInDistrict(district.area, u, v) },
    contacts: Array.from({ length: rng.int(1, 2) }, () => ({ name: personName(rng), phone: mobilePhone(rng) })),
    status: rng.chance(0.03) ? 'closed' : 'active',
    createdAt,
    updatedAt: clampToAsOf(new Date(createdAt.getTime() + rng.int(0, 20) * DAY_MS), options.asOf),
  };
  return { business, profile, area: district.area, place };
}

function instrumentStatus(rng: Rng, business: DemoBusiness): DemoInstrument['status'] {
  if (business.status === 'closed') return 'retired';
  return rng.weighted<DemoInstrument['status']>([['in_use', 92], ['suspended', 5], ['retired', 3]]);
}

function makeVerifications(rng: Rng, instrument: DemoInstrument, asOf: Date, seed: number, counters: Counters): DemoVerification[] {
  const target = rng.weighted(TARGET_WEIGHTS);
  return planHistory(rng, instrument.category, target, asOf).map((planned) => {
    const sequence = counters.verification++;
    const createdAt = clampToAsOf(new Date(planned.date.getTime() + rng.int(0, 48) * 3_600_000), asOf);
    const year = new Date(planned.date.getTime() + 8 * 3_600_000).getUTCFullYear();
    const verification: DemoVerification = {
      _id: deterministicObjectId(ID_KIND.verification, seed, sequence, createdAt),
      instrument: instrument._id,
      business: instrument.business,
      regionCode: instrument.regionCode,
      date: planned.date,
      result: planned.result,
      institution: rng.pick(INSTITUTIONS),
      // 检定证书 (pass) and 检定结果通知书 (fail) are numbered in one series here.
      certificateNo: `${planned.result === 'pass' ? 'JD' : 'TZ'}${year}-${String(sequence).padStart(8, '0')}`,
      dueDate: planned.dueDate,
      createdAt,
      updatedAt: createdAt,
    };
    if (rng.chance(0.9)) verification.verifier = personName(rng);
    return verification;
  });
}

function makeInstrument(
  rng: Rng,
  made: ReturnType<typeof makeBusiness>,
  options: DemoDataOptions,
  counters: Counters,
): DemoInstrument {
  const { business, profile, area, place } = made;
  const category = rng.weighted(profile.categories);
  const sequence = counters.instrument++;
  const createdAt = clampToAsOf(new Date(business.createdAt.getTime() + rng.int(0, 30) * DAY_MS), options.asOf);
  const year = new Date(createdAt.getTime()).getUTCFullYear() - rng.int(0, 4);
  const catalogueEntry = categoryById(category);
  return {
    _id: deterministicObjectId(ID_KIND.instrument, options.seed, sequence, createdAt),
    code: makeInstrumentCode({ regionCode: business.regionCode, categoryCode: catalogueEntry?.code ?? '', serial: sequence + 1 }),
    externalCodes: rng.chance(0.25) ? [`SDJL-${business.regionCode}-${String(sequence + 1).padStart(8, '0')}`] : [],
    category,
    ...equipmentFor(rng, category, year),
    business: business._id,
    regionCode: business.regionCode,
    installLocation: installLocationFor(rng, category, { stall: profile.stall, place, otherPlace: rng.pick(area.places) }),
    status: instrumentStatus(rng, business),
    likes: Math.floor(rng.next() ** 3 * 60),
    current: null,
    createdAt,
    updatedAt: createdAt,
  };
}

/** The stored facts of the latest verification: history is in posting order, as the BFF breaks ties. */
function currentOf(instrument: DemoInstrument, history: DemoVerification[]): DemoInstrument['current'] {
  const latest = currentVerificationOf(instrument.category, history);
  if (!latest) return null;
  return { verificationId: latest._id, date: latest.date, result: latest.result, dueDate: latest.effectiveDueDate, institution: latest.institution, certificateNo: latest.certificateNo };
}

/**
 * Yields the data set in batches of `chunkSize` businesses with their instruments and
 * verifications, so a benchmark can insert 200,000 instruments without holding them all.
 */
export function* iterateDemoData(options: DemoDataOptions & { chunkSize?: number }): Generator<DemoData> {
  const [min, max] = assertOptions(options);
  const chunkSize = Math.max(1, options.chunkSize ?? 500);
  const counters: Counters = { instrument: 0, verification: 0 };
  let batch: DemoData = { businesses: [], instruments: [], verifications: [] };
  for (let index = 0; index < options.businesses; index += 1) {
    const rng = createRng(hashInts(options.seed, index));
    const made = makeBusiness(rng, index, options);
    batch.businesses.push(made.business);
    const count = rng.int(min, max);
    for (let i = 0; i < count; i += 1) {
      const instrument = makeInstrument(rng, made, options, counters);
      batch.instruments.push(instrument);
      const history = makeVerifications(rng, instrument, options.asOf, options.seed, counters);
      for (const verification of history) batch.verifications.push(verification);
      instrument.current = currentOf(instrument, history);
    }
    if (batch.businesses.length === chunkSize) {
      yield batch;
      batch = { businesses: [], instruments: [], verifications: [] };
    }
  }
  if (batch.businesses.length > 0) yield batch;
}

export function generateDemoData(options: DemoDataOptions): DemoData {
  const all: DemoData = { businesses: [], instruments: [], verifications: [] };
  for (const batch of iterateDemoData(options)) {
    for (const doc of batch.businesses) all.businesses.push(doc);
    for (const doc of batch.instruments) all.instruments.push(doc);
    for (const doc of batch.verifications) all.verifications.push(doc);
  }
  return all;
}
