/**
 * The product's models hold on a real MongoDB: what mongod refuses (a bare `{ type: 'Point' }`
 * under a 2dsphere index, several `[]` under a unique sparse index) must never be written.
 */
import { Types } from 'mongoose';
import { ensureIndexes } from '@bff/models';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let lixia: string;
let stallId: string;

beforeAll(async () => {
  app = await startTestApp();
  lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  const stall = await app.request('/api/v1/admin/businesses', { token: lixia, body: { name: '历下区某水果摊', industry: 'market', regionCode: '370102' } });
  stallId = stall.body.id;
});
afterAll(() => app.stop());

const rawBusiness = (id: string) => app.server.deps.models.Business.collection.findOne({ _id: new Types.ObjectId(id) });
const registerInstrument = (body: Record<string, unknown> = {}) =>
  app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId: stallId, category: 'price_scale', ...body } });

describe('a business without a location', () => {
  it('is registered, and stored without any location field', async () => {
    const res = await app.request('/api/v1/admin/businesses', { token: lixia, body: { name: '历下区某早餐摊', industry: 'market', regionCode: '370102' } });
    expect(res.status).toBe(201);
    expect(res.body.location).toBeNull();
    const stored = await rawBusiness(res.body.id);
    expect(stored).not.toBeNull();
    expect(stored).not.toHaveProperty('location');
  });

  it('can be edited without a location and given one later, which nearby search then finds', async () => {
    const created = await app.request('/api/v1/admin/businesses', { token: lixia, body: { name: '历下区某修鞋摊', industry: 'market', regionCode: '370102' } });
    const renamed = await app.request(`/api/v1/admin/businesses/${created.body.id}`, { method: 'PATCH', token: lixia, body: { address: '泉城路 2 号' } });
    expect(renamed.status).toBe(200);
    expect(await rawBusiness(created.body.id)).not.toHaveProperty('location');
    const located = await app.request(`/api/v1/admin/businesses/${created.body.id}`, { method: 'PATCH', token: lixia, body: { location: [117.0285, 36.6612] } });
    expect(located.status).toBe(200);
    expect(located.body.location).toEqual([117.0285, 36.6612]);
    const near = await app.server.deps.models.Business.find({
      location: { $near: { $geometry: { type: 'Point', coordinates: [117.0286, 36.6612] }, $maxDistance: 100 } },
    }).lean();
    expect(near.map((b) => String(b._id))).toEqual([created.body.id]);
  });

  it('a location without coordinates is a validation error of the model, not a document the index refuses', async () => {
    const { Business } = app.server.deps.models;
    const err = await Business.create({ name: '某摊', industry: 'market', regionCode: '370102', location: { type: 'Point' } }).catch((e) => e);
    expect(err.name).toBe('ValidationError');
    expect(Object.keys(err.errors)).toEqual(['location.coordinates']);
    const outOfRange = await Business.create({ name: '某摊', industry: 'market', regionCode: '370102', location: { type: 'Point', coordinates: [36.66, 117.02] } }).catch((e) => e);
    expect(outOfRange.name).toBe('ValidationError');
  });
});

describe('external codes under their unique index', () => {
  it('many instruments without external codes are registered', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await registerInstrument();
      expect(res.status).toBe(201);
      expect(res.body.externalCodes).toEqual([]);
    }
    const { Instrument } = app.server.deps.models;
    await Instrument.create([
      { code: 'RAW-1', category: 'price_scale', business: stallId, regionCode: '370102' },
      { code: 'RAW-2', category: 'price_scale', business: stallId, regionCode: '370102' },
    ]);
    expect(await Instrument.countDocuments({ externalCodes: { $size: 0 } })).toBeGreaterThanOrEqual(5);
  });

  it('an external code already used is refused with 409, also when two registrations race', async () => {
    expect((await registerInstrument({ externalCodes: ['SDJL-0001', 'SDJL-0002'] })).status).toBe(201);
    const taken = await registerInstrument({ externalCodes: ['SDJL-0002'] });
    expect(taken.status).toBe(409);
    const racing = await Promise.all(Array.from({ length: 4 }, () => registerInstrument({ externalCodes: ['SDJL-RACE'] })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const { Instrument } = app.server.deps.models;
    const dup = await Instrument.create({ code: 'RAW-3', category: 'price_scale', business: stallId, regionCode: '370102', externalCodes: ['SDJL-0001'] }).catch((e) => e);
    expect(dup.code).toBe(11000);
    expect(await Instrument.countDocuments({ externalCodes: 'SDJL-RACE' })).toBe(1);
  });

  it('a scan by external code still finds the instrument', async () => {
    const created = await registerInstrument({ externalCodes: ['SDJL-SCAN-7'] });
    const scan = await app.request('/api/v1/scan?q=SDJL-SCAN-7');
    expect(scan.status).toBe(200);
    expect(scan.body.instrument.code).toBe(created.body.code);
    const list = await app.request('/api/v1/admin/instruments?code=SDJL-SCAN-7', { token: lixia });
    expect(list.body.items.map((i: { code: string }) => i.code)).toEqual([created.body.code]);
  });
});

describe('a database made by an earlier version', () => {
  it('gets the new external-code index in place of the sparse one, and loses bare locations', async () => {
    const { Business, Instrument } = app.server.deps.models;
    await Instrument.deleteMany({});
    await Instrument.collection.dropIndex('externalCodes_1');
    await Instrument.collection.createIndex({ externalCodes: 1 }, { name: 'externalCodes_1', unique: true, sparse: true });
    await Business.collection.dropIndex('location_2dsphere');
    const { insertedId } = await Business.collection.insertOne({ name: '旧数据摊位', industry: 'market', regionCode: '370102', location: { type: 'Point', coordinates: [] } });
    await ensureIndexes(app.server.deps.models);
    const external = (await Instrument.collection.indexes()).find((i) => i.name === 'externalCodes_1');
    expect(external).toMatchObject({ unique: true, partialFilterExpression: { 'externalCodes.0': { $exists: true } } });
    expect(external).not.toHaveProperty('sparse');
    expect((await Business.collection.indexes()).map((i) => i.name)).toContain('location_2dsphere');
    expect(await Business.collection.findOne({ _id: insertedId })).not.toHaveProperty('location');
  });
});
