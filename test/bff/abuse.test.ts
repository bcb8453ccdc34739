import crypto from 'node:crypto';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { startServer } from '@bff/server';
import { startTestApp, type TestApp } from '../helpers/app';

/** TRUST_PROXY=1, so each test can speak from its own client address (X-Forwarded-For). */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ TRUST_PROXY: '1' });
});
afterAll(() => app.stop());

const from = (address: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...extra });
const guestLogin = (address: string, deviceId: string) => app.request('/api/v1/auth/guest', { headers: from(address), body: { deviceId } });
const login = (address: string, username: string, password: string) => app.request('/api/v1/auth/login', { headers: from(address), body: { username, password } });

describe('scan limits per client address', () => {
  it('fresh guest tokens from one address do not multiply the scan limit', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 18; i++) tokens.push((await guestLogin('198.51.100.7', `rotating-device-${i}`)).body.token);
    // 18 guests × 40 scans each would be 720; the address allows 600 a minute (5 × 120).
    const statuses: number[] = [];
    for (const token of tokens) {
      const answers = await Promise.all(Array.from({ length: 40 }, () => app.request('/api/v1/scan?q=x', { token, headers: from('198.51.100.7') })));
      statuses.push(...answers.map((r) => r.status));
    }
    expect(statuses.filter((s) => s !== 429)).toHaveLength(600);
    const otherAddress = await app.request('/api/v1/scan?q=x', { headers: from('198.51.100.8') });
    expect(otherAddress.status).not.toBe(429);
  });

  it('bounds new guest accounts per address; a returning device still signs in', async () => {
    for (let i = 0; i < 20; i++) expect((await guestLogin('198.51.100.20', `new-device-${i}`)).status).toBe(200);
    const one = await guestLogin('198.51.100.20', 'new-device-20');
    expect(one.status).toBe(429);
    expect(one.body.error.code).toBe('RATE_LIMITED');
    expect(Number(one.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await app.server.deps.models.User.exists({ deviceId: 'new-device-20' })).toBeNull();
    expect((await guestLogin('198.51.100.20', 'new-device-3')).status).toBe(200);
    expect((await guestLogin('198.51.100.21', 'new-device-20')).status).toBe(200);
  });
});

describe('password guessing', () => {
  it('locks an account after 5 wrong passwords from any addresses: the right one is refused until the lock ends', async () => {
    await app.tokenFor('regulator', { username: 'reg-guessed', password: 'right-password' });
    for (let i = 1; i <= 4; i++) expect((await login(`203.0.113.${i}`, 'reg-guessed', `guess-${i}`)).body.error.code).toBe('INVALID_CREDENTIALS');
    const fifth = await login('203.0.113.5', 'reg-guessed', 'guess-5');
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('LOGIN_LOCKED');
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
    const right = await login('203.0.113.6', 'reg-guessed', 'right-password');
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('LOGIN_LOCKED');
  });

  it('counts guesses sent all at once: no more than 4 are answered as plain wrong passwords', async () => {
    await app.tokenFor('regulator', { username: 'reg-burst', password: 'right-password' });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => login(`203.0.114.${i}`, 'reg-burst', `guess-${i}`)));
    const codes = answers.map((r) => r.body.error.code);
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS').length).toBeLessThanOrEqual(4);
    expect(codes.filter((c) => c !== 'INVALID_CREDENTIALS').every((c) => c === 'LOGIN_LOCKED')).toBe(true);
    expect((await login('203.0.114.99', 'reg-burst', 'right-password')).body.error.code).toBe('LOGIN_LOCKED');
  });

  it('keeps the lock in the database: another BFF instance on the same data refuses the account too', async () => {
    await app.tokenFor('regulator', { username: 'reg-two-instances', password: 'right-password' });
    for (let i = 1; i <= 5; i++) await login(`203.0.115.${i}`, 'reg-two-instances', `guess-${i}`);
    const second = await startServer({ ...app.server.deps.config, port: 0 });
    try {
      const res = await fetch(`${second.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'reg-two-instances', password: 'right-password' }),
      });
      expect(res.status).toBe(429);
      expect(((await res.json()) as any).error.code).toBe('LOGIN_LOCKED');
    } finally {
      await second.close();
    }
  });

  it('a success clears the count of earlier failures', async () => {
    await app.tokenFor('regulator', { username: 'reg-forgetful', password: 'right-password' });
    for (let i = 1; i <= 4; i++) await login(`203.0.116.${i}`, 'reg-forgetful', `guess-${i}`);
    expect((await login('203.0.116.9', 'reg-forgetful', 'right-password')).status).toBe(200);
    for (let i = 1; i <= 4; i++) expect((await login(`203.0.116.${10 + i}`, 'reg-forgetful', `guess-${i}`)).status).toBe(401);
    expect((await login('203.0.116.20', 'reg-forgetful', 'right-password')).status).toBe(200);
  });

  it('an unknown username costs the same scrypt as a wrong password and gets the same answers', async () => {
    await app.tokenFor('regulator', { username: 'reg-timed', password: 'right-password' });
    await login('203.0.117.1', 'warm-up-unknown-user', 'x'); // the dummy hash is made on first use
    const scrypt = jest.spyOn(crypto, 'scrypt');
    try {
      const known = await login('203.0.117.2', 'reg-timed', 'wrong-password');
      const knownCalls = scrypt.mock.calls.map((c) => c[3]);
      scrypt.mockClear();
      const unknown = await login('203.0.117.3', 'nobody-by-this-name', 'wrong-password');
      const unknownCalls = scrypt.mock.calls.map((c) => c[3]);
      expect(knownCalls).toHaveLength(1);
      expect(unknownCalls).toEqual(knownCalls);
      expect(unknown.status).toBe(known.status);
      expect(unknown.body).toEqual(known.body);
    } finally {
      scrypt.mockRestore();
    }
    for (let i = 2; i <= 4; i++) await login(`203.0.117.${10 + i}`, 'nobody-by-this-name', 'wrong-password');
    expect((await login('203.0.117.20', 'nobody-by-this-name', 'wrong-password')).body.error.code).toBe('LOGIN_LOCKED');
  });
});

describe('label sheets', () => {
  let businessId: string;
  const tokens: string[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) tokens.push(await app.tokenFor('regulator', { regionCode: '370102' }));
    const { Business, Instrument } = app.server.deps.models;
    const business = await Business.create({ name: '历下区标签测试市场', industry: 'market', regionCode: '370102', platformId: 'P370102999999' });
    businessId = String(business._id);
    // Enough labels that a sheet nobody reads stays in flight (the PDF waits for the reader).
    const docs = Array.from({ length: 400 }, (_, i) => ({
      code: makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 900_000 + i }),
      category: 'price_scale',
      business: business._id,
      regionCode: '370102',
    }));
    await Instrument.insertMany(docs);
  });

  const sheet = (token: string, limit = 400) => fetch(`${app.url}/api/v1/admin/labels.pdf?business=${businessId}&limit=${limit}`, { headers: { authorization: `Bearer ${token}` } });

  it('prints one sheet at a time per user and two per process; over it 429 RATE_LIMITED with Retry-After', async () => {
    const first = await sheet(tokens[0]);
    expect(first.status).toBe(200);
    const sameUser = await sheet(tokens[0], 1);
    expect(sameUser.status).toBe(429);
    expect(((await sameUser.json()) as any).error.code).toBe('RATE_LIMITED');
    expect(Number(sameUser.headers.get('retry-after'))).toBeGreaterThan(0);

    const second = await sheet(tokens[1]);
    expect(second.status).toBe(200);
    const third = await sheet(tokens[2], 1);
    expect(third.status).toBe(429);
    await third.body?.cancel();

    const pdf = Buffer.from(await first.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await second.body?.cancel();

    const again = await sheet(tokens[0], 1);
    expect(again.status).toBe(200);
    await again.arrayBuffer();
  });
});
