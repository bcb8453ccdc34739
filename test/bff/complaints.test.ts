import { TRACKING_NO_PATTERN } from '@shared/complaints';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { fileComplaint, newTrackingNo } from '@bff/services/complaints';
import { startTestApp, type TestApp } from '../helpers/app';

/** TRUST_PROXY=1: each test speaks from its own client address, so one test's rate limits leave the others alone. */
let app: TestApp;
let codes: string[];
let businessId: string;
let addresses = 0;
const address = () => `198.51.100.${(addresses += 1)}`;

beforeAll(async () => {
  app = await startTestApp({ TRUST_PROXY: '1' });
  const regulator = await app.tokenFor('regulator', { regionCode: '370102' });
  ({ businessId, codes } = await app.registerBusinessWithInstruments(regulator, { name: '历下区泉城农贸市场', industry: 'market', regionCode: '370102', contacts: [{ name: '王经理', phone: '0531-88880000' }] }, 'price_scale', 2));
});
afterAll(() => app.stop());

interface Caller {
  token: string;
  ip: string;
}

/** A WeChat user signed in through mock WeChat (an account with an openid), at an address of its own. */
async function wechatUser(name: string, ip = address()): Promise<Caller> {
  const res = await app.request('/api/v1/auth/wechat', { body: { code: `js-code-${name}` }, headers: { 'x-forwarded-for': ip } });
  expect(res.status).toBe(200);
  return { token: res.body.token, ip };
}

const as = (who: Caller, path: string, body?: unknown) => app.request(path, { token: who.token, body, headers: { 'x-forwarded-for': who.ip } });
const complain = (who: Caller, body: unknown) => as(who, '/api/v1/complaints', body);
const aboutScale = (over: Record<string, unknown> = {}) => ({ instrumentCode: codes[0], category: 'short_weight', content: '称了一斤苹果，回家复称只有八两。', contact: '13800138000', ...over });

describe('filing a complaint', () => {
  it('about an instrument: 201 with id and tracking number; the complainant then sees it with its history', async () => {
    const alice = await wechatUser('complaint-alice');
    const res = await complain(alice, aboutScale());
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'trackingNo']);
    expect(res.body.trackingNo).toMatch(TRACKING_NO_PATTERN);
    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10).replace(/-/g, '');
    expect(res.body.trackingNo.slice(2, 10)).toBe(today);

    const one = await as(alice, `/api/v1/complaints/${res.body.trackingNo}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      id: res.body.id,
      trackingNo: res.body.trackingNo,
      category: 'short_weight',
      categoryName: '缺斤少两',
      content: '称了一斤苹果，回家复称只有八两。',
      status: 'submitted',
      statusName: '已提交',
      business: { id: businessId, name: '历下区泉城农贸市场' },
      instrument: { code: codes[0], categoryName: expect.any(String) },
      photos: [],
      history: [{ status: 'submitted', statusName: '已提交', at: expect.any(String) }],
      createdAt: expect.any(String),
    });
    const mine = await as(alice, '/api/v1/complaints/mine');
    expect(mine.body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(mine.body.items).toEqual([one.body]);
  });

  it('stores the business, its region, the complainant and the contact (for handlers only)', async () => {
    const bob = await wechatUser('complaint-bob');
    const res = await complain(bob, aboutScale({ contact: 'wx-bob-2026' }));
    const stored = await app.server.deps.models.Complaint.findById(res.body.id).lean();
    expect(stored).toMatchObject({ regionCode: '370102', contact: 'wx-bob-2026', status: 'submitted', instrumentCode: codes[0] });
    expect(String(stored!.business)).toBe(businessId);
    expect(stored!.user).toBeDefined();
  });

  it('about a business as a whole, by its id', async () => {
    const carol = await wechatUser('complaint-carol');
    const res = await complain(carol, { businessId, category: 'other', content: '摊位没有张贴计量器具的检定标志。' });
    expect(res.status).toBe(201);
    const one = await as(carol, `/api/v1/complaints/${res.body.trackingNo}`);
    expect(one.body).toMatchObject({ business: { id: businessId, name: '历下区泉城农贸市场' }, instrument: null, categoryName: '其他' });
  });

  it('never answers the contact, the openid or any user id', async () => {
    const dave = await wechatUser('complaint-dave');
    const created = await complain(dave, aboutScale({ contact: '13912345678' }));
    const stored = await app.server.deps.models.Complaint.findById(created.body.id).lean();
    const account = await app.server.deps.models.User.findById(stored!.user).lean();
    expect(account!.openid).toBeTruthy();
    for (const res of [created, await as(dave, `/api/v1/complaints/${created.body.trackingNo}`), await as(dave, '/api/v1/complaints/mine')]) {
      expect(res.text).not.toContain('13912345678');
      expect(res.text).not.toContain(account!.openid!);
      expect(res.text).not.toContain(String(account!._id));
      expect(res.text).not.toMatch(/contact|openid|"user"|regionCode|internalNote/);
    }
  });

  it('a guest may complain too (and see only their own)', async () => {
    const ip = address();
    const guest = (await app.request('/api/v1/auth/guest', { body: { deviceId: 'device-complaint-guest-1' }, headers: { 'x-forwarded-for': ip } })).body.token;
    const res = await complain({ token: guest, ip }, aboutScale({ contact: undefined }));
    expect(res.status).toBe(201);
    const mine = await as({ token: guest, ip }, '/api/v1/complaints/mine');
    expect(mine.body.items.map((c: { trackingNo: string }) => c.trackingNo)).toEqual([res.body.trackingNo]);
  });

  it("someone else's tracking number is 404 COMPLAINT_NOT_FOUND, as is an unknown one", async () => {
    const erin = await wechatUser('complaint-erin');
    const frank = await wechatUser('complaint-frank');
    const res = await complain(erin, aboutScale());
    const other = await as(frank, `/api/v1/complaints/${res.body.trackingNo}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('COMPLAINT_NOT_FOUND');
    expect(other.text).not.toContain('称了一斤苹果');
    const unknown = await as(frank, '/api/v1/complaints/TS20260101000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('COMPLAINT_NOT_FOUND');
    expect((await as(frank, '/api/v1/complaints/mine')).body.total).toBe(0);
  });

  it('lists my complaints newest first, paginated', async () => {
    const gina = await wechatUser('complaint-gina');
    const first = await complain(gina, aboutScale({ content: '第一次投诉的内容描述。' }));
    const second = await complain(gina, aboutScale({ content: '第二次投诉的内容描述。', instrumentCode: codes[1] }));
    const mine = await as(gina, '/api/v1/complaints/mine');
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([second.body.id, first.body.id]);
    const page2 = await as(gina, '/api/v1/complaints/mine?page=2&pageSize=1');
    expect(page2.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(page2.body.items.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
  });
});

describe('tracking numbers', () => {
  it('are TS + the China day + 6 digits: 16:30 UTC is already the next day in China', () => {
    expect(newTrackingNo(new Date('2026-12-01T16:30:00Z'), () => 42)).toBe('TS20261202000042');
    expect(newTrackingNo(new Date('2026-12-01T15:59:59Z'), () => 999_999)).toBe('TS20261201999999');
  });

  it('a number already taken is drawn again', async () => {
    const { models } = app.server.deps;
    const ruth = await wechatUser('complaint-ruth');
    const user = { id: JSON.parse(Buffer.from(ruth.token.split('.')[1], 'base64url').toString()).sub, role: 'public' as const };
    const draws = [7, 7, 7, 8];
    const digits = () => draws.shift()!;
    const body = { instrumentCode: codes[0], category: 'other' as const, content: '编号冲突时应当重新生成。', photos: [] };
    const now = new Date('2026-06-01T04:00:00Z');
    const first = await fileComplaint(models, user, body, now, digits);
    const second = await fileComplaint(models, user, body, now, digits);
    expect(first.trackingNo).toBe('TS20260601000007');
    expect(second.trackingNo).toBe('TS20260601000008');
    expect(await models.Complaint.countDocuments({ trackingNo: /^TS20260601/ })).toBe(2);
  });
});

describe('what a complaint must say', () => {
  const details = (res: { body: any }) => res.body.error.details.map((d: { path: string; message: string }) => `${d.path}:${d.message}`);

  it('an empty description is 400 VALIDATION_FAILED naming the field', async () => {
    const hank = await wechatUser('complaint-hank');
    const res = await complain(hank, aboutScale({ content: '' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([expect.objectContaining({ in: 'body', path: 'content' })]);
  });

  it('a description over the limit is 400 VALIDATION_FAILED naming the field', async () => {
    const ivan = await wechatUser('complaint-ivan');
    const res = await complain(ivan, aboutScale({ content: '缺'.repeat(501) }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(details(res)).toEqual([expect.stringMatching(/^content:/)]);
  });

  it('needs exactly one target and a known category', async () => {
    const jack = await wechatUser('complaint-jack');
    const neither = await complain(jack, { category: 'short_weight', content: '没有说明投诉对象的内容。' });
    expect(neither.status).toBe(400);
    expect(details(neither)).toEqual(['instrumentCode:COMPLAINT_TARGET_REQUIRED']);
    const badCategory = await complain(jack, aboutScale({ category: 'price' }));
    expect(details(badCategory)).toEqual(['category:COMPLAINT_CATEGORY_REQUIRED']);
  });

  it('an unknown instrument is 404 INSTRUMENT_NOT_FOUND; an unknown or closed business 404 BUSINESS_NOT_FOUND', async () => {
    const kate = await wechatUser('complaint-kate');
    const never = makeInstrumentCode({ regionCode: codes[0].slice(0, 6), categoryCode: codes[0].slice(6, 10), serial: 99_999_999 });
    const unknownInstrument = await complain(kate, aboutScale({ instrumentCode: never }));
    expect(unknownInstrument.status).toBe(404);
    expect(unknownInstrument.body.error.code).toBe('INSTRUMENT_NOT_FOUND');
    const unknownBusiness = await complain(kate, { businessId: '0123456789abcdef01234567', category: 'other', content: '不存在的经营者。。' });
    expect(unknownBusiness.status).toBe(404);
    expect(unknownBusiness.body.error.code).toBe('BUSINESS_NOT_FOUND');
    const { Business } = app.server.deps.models;
    const closed = await Business.create({ name: '已停业的小店', industry: 'retail', regionCode: '370102', status: 'closed', platformId: 'P999999999999' });
    const closedBusiness = await complain(kate, { businessId: String(closed._id), category: 'other', content: '已经停业的经营者。' });
    expect(closedBusiness.status).toBe(404);
    expect(closedBusiness.body.error.code).toBe('BUSINESS_NOT_FOUND');
  });

  it('only signed-in public users and guests may complain', async () => {
    const ip = address();
    expect((await app.request('/api/v1/complaints', { body: aboutScale(), headers: { 'x-forwarded-for': ip } })).status).toBe(401);
    expect((await complain({ token: await app.tokenFor('owner'), ip }, aboutScale())).status).toBe(403);
  });
});

describe('complaint rate limits', () => {
  it('5 an hour per user, then 429 RATE_LIMITED with Retry-After', async () => {
    const liam = await wechatUser('complaint-liam');
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await complain(liam, aboutScale())).status);
    expect(statuses).toEqual(Array(5).fill(201));
    const sixth = await complain(liam, aboutScale());
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('RATE_LIMITED');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(sixth.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
  });

  it('guests get 2 an hour', async () => {
    const ip = address();
    const guest = { token: (await app.request('/api/v1/auth/guest', { body: { deviceId: 'device-complaint-guest-2' }, headers: { 'x-forwarded-for': ip } })).body.token, ip };
    expect((await complain(guest, aboutScale())).status).toBe(201);
    expect((await complain(guest, aboutScale())).status).toBe(201);
    expect((await complain(guest, aboutScale())).status).toBe(429);
  });

  it('20 an hour per address, whoever signs in there', async () => {
    const ip = address();
    const statuses = [];
    for (let i = 0; i < 7; i += 1) {
      const who = await wechatUser(`complaint-crowd-${i}`, ip);
      for (let j = 0; j < 3; j += 1) statuses.push((await complain(who, aboutScale())).status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(201));
    expect(statuses[20]).toBe(429);
  });
});
