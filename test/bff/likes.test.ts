import { categoryById } from '@shared/catalogue';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { startTestApp, type TestApp } from '../helpers/app';

/** TRUST_PROXY=1: each test speaks from its own client address, so rate limits of one test leave the others alone. */
let app: TestApp;
let codes: string[];
let businessId: string;
let addresses = 0;
const address = () => `203.0.113.${(addresses += 1)}`;

beforeAll(async () => {
  app = await startTestApp({ TRUST_PROXY: '1' });
  const regulator = await app.tokenFor('regulator', { regionCode: '370102' });
  ({ businessId, codes } = await app.registerBusinessWithInstruments(regulator, { name: '历下区某农贸市场', industry: 'market', regionCode: '370102' }, 'price_scale', 5));
});
afterAll(() => app.stop());

/** A WeChat user signed in through mock WeChat (so the account has an openid). */
async function wechatUser(name: string, ip: string): Promise<string> {
  const res = await app.request('/api/v1/auth/wechat', { body: { code: `js-code-${name}` }, headers: { 'x-forwarded-for': ip } });
  expect(res.status).toBe(200);
  return res.body.token;
}

const userIdOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;
const like = (code: string, token: string, ip: string) => app.request(`/api/v1/instruments/${code}/likes`, { method: 'POST', token, headers: { 'x-forwarded-for': ip } });
const likesOf = async (code: string) => (await app.request(`/api/v1/instruments/${code}`, { headers: { 'x-forwarded-for': address() } })).body.instrument.likes;

describe('likes', () => {
  it('a second like on the same day is not counted and says alreadyLiked', async () => {
    const ip = address();
    const alice = await wechatUser('like-alice', ip);
    const first = await like(codes[0], alice, ip);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ likes: 1, alreadyLiked: false });
    const second = await like(codes[0], alice, ip);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ likes: 1, alreadyLiked: true });
    expect(await likesOf(codes[0])).toBe(1);
  });

  it("another user's like is counted, a guest's too", async () => {
    const ip = address();
    const bob = await wechatUser('like-bob', ip);
    const carol = await wechatUser('like-carol', ip);
    const guest = (await app.request('/api/v1/auth/guest', { body: { deviceId: 'device-like-guest-0001' }, headers: { 'x-forwarded-for': ip } })).body.token;
    expect((await like(codes[1], bob, ip)).body).toEqual({ likes: 1, alreadyLiked: false });
    expect((await like(codes[1], carol, ip)).body).toEqual({ likes: 2, alreadyLiked: false });
    expect((await like(codes[1], guest, ip)).body).toEqual({ likes: 3, alreadyLiked: false });
    expect(await likesOf(codes[1])).toBe(3);
  });

  it('concurrent likes by one user count once', async () => {
    const ip = address();
    const dave = await wechatUser('like-dave', ip);
    const answers = await Promise.all(Array.from({ length: 8 }, () => like(codes[2], dave, ip)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.filter((a) => a.body.alreadyLiked === false)).toHaveLength(1);
    expect(answers.every((a) => a.body.likes === 1)).toBe(true);
    expect(await likesOf(codes[2])).toBe(1);
    expect(await app.server.deps.models.Like.countDocuments({ instrument: (await app.server.deps.models.Instrument.findOne({ code: codes[2] }))!._id })).toBe(1);
  });

  it('concurrent likes by different users are all counted', async () => {
    const ip = address();
    const tokens = await Promise.all(Array.from({ length: 6 }, (_, i) => wechatUser(`like-crowd-${i}`, ip)));
    const answers = await Promise.all(tokens.map((t) => like(codes[3], t, ip)));
    expect(answers.map((a) => a.body.alreadyLiked)).toEqual(Array(6).fill(false));
    expect(answers.map((a) => a.body.likes).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await likesOf(codes[3])).toBe(6);
  });

  it('a like the next China day counts again (the day changes at China midnight, not UTC midnight)', async () => {
    const { Like, Instrument, User } = app.server.deps.models;
    const ip = address();
    const erin = await wechatUser('like-erin', ip);
    const user = await User.findById(userIdOf(erin));
    const instrument = await Instrument.findOne({ code: codes[4] });
    // Yesterday's like, as it was stored yesterday (China day).
    const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
    await Like.create({ instrument: instrument!._id, user: user!._id, day: new Date(yesterday.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10), business: instrument!.business, code: codes[4], category: 'price_scale' });
    await Instrument.updateOne({ _id: instrument!._id }, { $inc: { likes: 1 } });
    expect((await like(codes[4], erin, ip)).body).toEqual({ likes: 2, alreadyLiked: false });
  });

  it('an unknown code is 404 INSTRUMENT_NOT_FOUND; a malformed one 400', async () => {
    const ip = address();
    const frank = await wechatUser('like-frank', ip);
    const never = makeInstrumentCode({ regionCode: '370102', categoryCode: categoryById('price_scale')!.code, serial: 99_999_999 });
    const unknown = await like(never, frank, ip);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('INSTRUMENT_NOT_FOUND');
    const wrongCheckDigit = never.slice(0, 18) + String((Number(never[18]) + 1) % 10);
    const malformed = await like(wrongCheckDigit, frank, ip);
    expect(malformed.status).toBe(400);
  });

  it('likes by an external code count on the same instrument', async () => {
    const regulator = await app.tokenFor('regulator', { regionCode: '370102' });
    const created = await app.request('/api/v1/admin/instruments', { token: regulator, body: { businessId, category: 'price_scale', externalCodes: ['SD-JN-2026-0001'] } });
    expect(created.status).toBe(201);
    const ip = address();
    const gina = await wechatUser('like-gina', ip);
    expect((await like('SD-JN-2026-0001', gina, ip)).body).toEqual({ likes: 1, alreadyLiked: false });
    expect((await like(created.body.code, gina, ip)).body).toEqual({ likes: 1, alreadyLiked: true });
  });

  it('needs a signed-in public user or guest: 401 anonymous, 403 for staff', async () => {
    const ip = address();
    expect((await app.request(`/api/v1/instruments/${codes[0]}/likes`, { method: 'POST', headers: { 'x-forwarded-for': ip } })).status).toBe(401);
    expect((await like(codes[0], await app.tokenFor('regulator'), ip)).status).toBe(403);
  });

  it('lists my likes newest first with the business name, and only mine', async () => {
    const ip = address();
    const hank = await wechatUser('like-hank', ip);
    await like(codes[0], hank, ip);
    await like(codes[3], hank, ip);
    const mine = await app.request('/api/v1/likes/mine', { token: hank, headers: { 'x-forwarded-for': ip } });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect(mine.body.items.map((i: { instrument: { code: string } }) => i.instrument.code)).toEqual([codes[3], codes[0]]);
    expect(mine.body.items[0]).toEqual({
      id: expect.any(String),
      day: new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10),
      instrument: { code: codes[3], categoryName: expect.any(String) },
      business: { id: businessId, name: '历下区某农贸市场' },
    });
    expect(mine.text).not.toMatch(/openid|"user"/);
    const page2 = await app.request('/api/v1/likes/mine?page=2&pageSize=1', { token: hank, headers: { 'x-forwarded-for': ip } });
    expect(page2.body.items.map((i: { instrument: { code: string } }) => i.instrument.code)).toEqual([codes[0]]);
  });

  it('rate-limits likes per user with 429 RATE_LIMITED and Retry-After', async () => {
    const ip = address();
    const ivan = await wechatUser('like-ivan', ip);
    const answers = [];
    for (let i = 0; i < 31; i += 1) answers.push(await like(codes[0], ivan, ip));
    expect(answers.slice(0, 30).every((a) => a.status === 200)).toBe(true);
    const last = answers[30];
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('RATE_LIMITED');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
